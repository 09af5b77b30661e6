import { Channel, ChannelPreference, Conversations, defaultPreference, Message, type OutboxEntry } from "@careline/core"
import { and, asc, desc, eq, inArray, isNull, lt, lte, or } from "drizzle-orm"
import { Effect, Option, Schema } from "effect"
import type { Database } from "./Database.js"
import { channelFromRow, channelRow, messageFromRow, messageRow, writeChannel } from "./ConversationRows.js"
import { decodeAll, decodeFirst, decoder, decoderSync } from "./Decode.js"
import { inboxEntryFromRow, inboxStatement } from "./InboxRows.js"
import { makeInboundInserts, makeRoutedInserts } from "./InboundInserts.js"
import { dropLogged, makeInboundLog, routeLogged } from "./InboundLog.js"
import { outboxRow } from "./LibsqlOutboxStore.js"
import * as t from "./schema.js"

const decodeChannel = decoder("channel", Channel)
const decodeChannelSync = decoderSync("channel", Channel)
/** A page of channels, decoded in one go rather than one effect a row. */
const decodeChannels = decoder("channel", Schema.Array(Channel))
const decodeMessage = decoder("message", Message)
const decodePreference = decoder("channel preference", ChannelPreference)

/** Inbound, not processed, and under no live claim (the partial index `messages_unprocessed_idx` serves it). */
const unclaimed = (now: number) =>
  and(
    eq(t.messages.direction, "inbound"),
    isNull(t.messages.processedAt),
    or(isNull(t.messages.claimedUntil), lte(t.messages.claimedUntil, now))
  )

/**
 * `Conversations` over libSQL. Uniqueness is the database's: one channel per (line, phone), one
 * message per provider message id (NULLs repeat); concurrent creates and deliveries are settled by
 * `ON CONFLICT`, not by reading first; `updateChannel` reads, changes and writes in one savepoint.
 * Writes go through the group-commit batcher, which runs them one at a time.
 */
export const makeConversations = (database: Database) => {
  const recordInbound = makeInboundInserts(database)
  const recordRoutedInbound = makeRoutedInserts(database)
  return Conversations.of({
    getChannel: (id) =>
      database
        .read("Conversations.getChannel", (db) => db.select().from(t.channels).where(eq(t.channels.id, id)))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeChannel("Conversations.getChannel"))(rows.map(channelFromRow)))),
    findChannel: (lineId, phone) =>
      database
        .read("Conversations.findChannel", (db) =>
          db.select().from(t.channels).where(and(eq(t.channels.lineId, lineId), eq(t.channels.phone, phone)))
        )
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeChannel("Conversations.findChannel"))(rows.map(channelFromRow)))),
    findChannelByReplyToken: (token) =>
      database
        .read("Conversations.findChannelByReplyToken", (db) => db.select().from(t.channels).where(eq(t.channels.replyToken, token)).limit(1))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeChannel("Conversations.findChannelByReplyToken"))(rows.map(channelFromRow)))),
    createChannel: (channel) =>
      database
        .write("Conversations.createChannel", async (tx) => {
          await tx.insert(t.channels).values(channelRow(channel)).onConflictDoNothing({ target: [t.channels.lineId, t.channels.phone] })
          return tx.select().from(t.channels).where(and(eq(t.channels.lineId, channel.lineId), eq(t.channels.phone, channel.phone)))
        })
        .pipe(
          Effect.flatMap((rows) => decodeFirst(decodeChannel("Conversations.createChannel"))(rows.map(channelFromRow))),
          Effect.flatMap(Option.match({ onNone: () => Effect.die(new Error("createChannel found no channel after inserting")), onSome: Effect.succeed }))
        ),
    saveChannel: (channel) => database.write("Conversations.saveChannel", (tx) => writeChannel(tx, channel)),
    updateChannel: (id, change) =>
      database.write("Conversations.updateChannel", async (tx) => {
        const [row] = await tx.select().from(t.channels).where(eq(t.channels.id, id))
        if (row === undefined) return Option.none()
        const before = decodeChannelSync(channelFromRow(row))
        const after = change(before)
        await writeChannel(tx, after)
        return Option.some({ before, after })
      }),
    channelsOfLines: (lineIds) =>
      lineIds.length === 0
        ? Effect.succeed([])
        : database
            .read("Conversations.channelsOfLines", (db) =>
              db.select().from(t.channels).where(inArray(t.channels.lineId, [...lineIds])).orderBy(asc(t.channels.id))
            )
            .pipe(Effect.flatMap((rows) => decodeAll(decodeChannel("Conversations.channelsOfLines"))(rows.map(channelFromRow)))),
    inbox: (query) => {
      if (query.lineIds.length === 0 || query.limit <= 0) return Effect.succeed([])
      const statement = inboxStatement([...new Set(query.lineIds)], query)
      return database
        .read("Conversations.inbox", async () => (await database.reader.execute(statement)).rows.map(inboxEntryFromRow))
        .pipe(
          Effect.flatMap((entries) =>
            Effect.map(
              decodeChannels("Conversations.inbox")(entries.map((entry) => entry.channel)),
              (channels) => channels.map((channel, i) => ({ channel, muted: entries[i]!.muted }))
            ))
        )
    },
    channelsOfClient: (clientId) =>
      database
        .read("Conversations.channelsOfClient", (db) =>
          db.select().from(t.channels).where(eq(t.channels.clientId, clientId)).orderBy(asc(t.channels.id))
        )
        .pipe(Effect.flatMap((rows) => decodeAll(decodeChannel("Conversations.channelsOfClient"))(rows.map(channelFromRow)))),

    recordInbound,
    recordRoutedInbound,
    logInbound: makeInboundLog(database),
    routeLogged: routeLogged(database),
    dropLogged: dropLogged(database),
    claimInbound: (id, now, until) =>
      database.write("Conversations.claimInbound", async (tx) => {
        const claimed = await tx
          .update(t.messages)
          .set({ claimedUntil: until })
          .where(and(eq(t.messages.id, id), unclaimed(now)))
          .returning({ id: t.messages.id })
        return claimed.length === 1
      }),
    completeInbound: (id, at) =>
      database.write("Conversations.completeInbound", async (tx) => {
        await tx.update(t.messages).set({ processedAt: at }).where(eq(t.messages.id, id))
      }),
    unprocessedInbound: (now, limit) =>
      database
        .read("Conversations.unprocessedInbound", (db) =>
          db.select().from(t.messages).where(unclaimed(now)).orderBy(asc(t.messages.at), asc(t.messages.id)).limit(Math.max(0, limit))
        )
        .pipe(Effect.flatMap((rows) => decodeAll(decodeMessage("Conversations.unprocessedInbound"))(rows.map(messageFromRow)))),
    recordOutbound: (message, entry: OutboxEntry) =>
      database.write("Conversations.recordOutbound", async (tx) => {
        await tx.insert(t.messages).values(messageRow(message))
        await tx.insert(t.outbox).values(outboxRow(entry))
      }),
    getMessage: (id) =>
      database
        .read("Conversations.getMessage", (db) => db.select().from(t.messages).where(eq(t.messages.id, id)))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeMessage("Conversations.getMessage"))(rows.map(messageFromRow)))),
    findMessageByProviderId: (providerMessageId) =>
      database
        .read("Conversations.findMessageByProviderId", (db) =>
          db.select().from(t.messages).where(eq(t.messages.providerMessageId, providerMessageId))
        )
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeMessage("Conversations.findMessageByProviderId"))(rows.map(messageFromRow)))),
    saveMessage: (message) =>
      database.write("Conversations.saveMessage", async (tx) => {
        const { id, ...row } = messageRow(message)
        await tx.insert(t.messages).values({ id, ...row }).onConflictDoUpdate({ target: t.messages.id, set: row })
      }),
    markCharted: (ids, at) =>
      ids.length === 0
        ? Effect.void
        : database.write("Conversations.markCharted", async (tx) => {
          await tx.update(t.messages).set({ chartedAt: at }).where(inArray(t.messages.id, [...ids]))
        }),
    listMessages: (channelId, page) => {
      const limit = Math.max(0, Math.floor(page.limit))
      if (limit === 0) return Effect.succeed([])
      const before = page.before
      return database
        .read("Conversations.listMessages", (db) =>
          db
            .select()
            .from(t.messages)
            .where(
              and(
                eq(t.messages.channelId, channelId),
                before === undefined
                  ? undefined
                  : or(lt(t.messages.at, before.at), and(eq(t.messages.at, before.at), lt(t.messages.id, before.id)))
              )
            )
            .orderBy(desc(t.messages.at), desc(t.messages.id))
            .limit(limit)
        )
        .pipe(Effect.flatMap((rows) => decodeAll(decodeMessage("Conversations.listMessages"))(rows.map(messageFromRow))))
    },

    getPreference: (channelId, staffId) =>
      database
        .read("Conversations.getPreference", (db) =>
          db
            .select({ muted: t.channelPreferences.muted, hidden: t.channelPreferences.hidden })
            .from(t.channelPreferences)
            .where(and(eq(t.channelPreferences.channelId, channelId), eq(t.channelPreferences.staffId, staffId)))
        )
        .pipe(
          Effect.flatMap(decodeFirst(decodePreference("Conversations.getPreference"))),
          Effect.map(Option.getOrElse(() => defaultPreference))
        ),
    setPreference: (channelId, staffId, preference) =>
      database.write("Conversations.setPreference", async (tx) => {
        const row = { muted: preference.muted, hidden: preference.hidden }
        await tx
          .insert(t.channelPreferences)
          .values({ channelId, staffId, ...row })
          .onConflictDoUpdate({ target: [t.channelPreferences.channelId, t.channelPreferences.staffId], set: row })
      })
  })
}
