import { Channel, ChannelPreference, Conversations, defaultPreference, type InboxFilter, type InboxQuery, type LineId, Message, type OutboxEntry } from "@careline/core"
import { and, asc, desc, eq, exists, getTableColumns, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm"
import { Effect, Option } from "effect"
import type { Database } from "./Database.js"
import { channelFromRow, channelRow, messageFromRow, messageRow, writeChannel } from "./ConversationRows.js"
import { decodeAll, decodeFirst, decoder, decoderSync } from "./Decode.js"
import { makeInboundInserts, makeRoutedInserts } from "./InboundInserts.js"
import { outboxRow } from "./LibsqlOutboxStore.js"
import { preparedQueries } from "./Prepared.js"
import * as t from "./schema.js"
import type { Sql } from "./WriteBatcher.js"

const decodeChannel = decoder("channel", Channel)
const decodeChannelSync = decoderSync("channel", Channel)
const decodeMessage = decoder("message", Message)
const decodePreference = decoder("channel preference", ChannelPreference)

/** The inbox filters of `matchesFilter`, in SQL: "archived" shows only archived channels, the rest only unarchived. */
const inboxFilter = (filter: InboxFilter) =>
  filter === "archived"
    ? eq(t.channels.archived, true)
    : filter === "all"
      ? eq(t.channels.archived, false)
      : and(eq(t.channels.archived, false), eq(t.channels.status, filter))

/** The shape of an inbox query: what its SQL text depends on (its values are placeholders). */
interface InboxShape {
  readonly lines: number
  readonly filter: InboxFilter
  readonly assigned: boolean
  readonly after: boolean
}

const at = (name: string) => sql.placeholder(name)

/** The top `limit` inbox rows of the `i`th line, newest activity first (served by `channels_inbox_idx`). */
const inboxOfLine = (db: Sql, i: number, shape: InboxShape) =>
  db
    .select({ ...getTableColumns(t.channels), muted: t.channelPreferences.muted })
    .from(t.channels)
    .leftJoin(t.channelPreferences, and(eq(t.channelPreferences.channelId, t.channels.id), eq(t.channelPreferences.staffId, at("viewer"))))
    .where(
      and(
        eq(t.channels.lineId, at(`line${i}`)),
        or(isNull(t.channelPreferences.hidden), eq(t.channelPreferences.hidden, false)),
        inboxFilter(shape.filter),
        !shape.assigned
          ? undefined
          : or(
              isNull(t.channels.clientId),
              exists(
                db
                  .select({ one: sql`1` })
                  .from(t.assignments)
                  .where(and(eq(t.assignments.clientId, t.channels.clientId), eq(t.assignments.staffId, at("assignedTo")), isNull(t.assignments.endedAt)))
              )
            ),
        !shape.after
          ? undefined
          : or(
              lt(t.channels.lastActivityAt, at("afterAt")),
              and(eq(t.channels.lastActivityAt, at("afterAt")), gt(t.channels.id, at("afterId")))
            )
      )
    )
    .orderBy(desc(t.channels.lastActivityAt), asc(t.channels.id))
    .limit(at("limit"))

/**
 * The top `limit` inbox rows of several lines in one statement: each line's own indexed top-N (see
 * `inboxOfLine`), merged by `UNION ALL` and cut again — `line_id IN (…) ORDER BY` would sort every
 * channel of every line. Prepared once per connection and shape.
 */
const inboxOfLines = (db: Sql, shape: InboxShape) => {
  if (shape.lines === 1) return inboxOfLine(db, 0, shape).prepare()
  const [first, ...rest] = Array.from({ length: shape.lines }, (_, i) => db.select().from(inboxOfLine(db, i, shape).as(`line_${i}`)))
  return rest
    .reduce((merged, next) => merged.unionAll(next), first!.$dynamic())
    .orderBy(sql`last_activity_at DESC`, sql`id ASC`)
    .limit(at("limit"))
    .prepare()
}
const inboxQueries = preparedQueries<ReturnType<typeof inboxOfLines>>()

/** The rows of the inbox page `query` asks for, over distinct `lineIds`. */
const inboxRows = (db: Sql, lineIds: ReadonlyArray<LineId>, query: InboxQuery) => {
  const shape: InboxShape = { lines: lineIds.length, filter: query.filter, assigned: query.assignedTo !== undefined, after: query.after !== undefined }
  const values: Record<string, string | number> = { viewer: query.viewer, limit: Math.floor(query.limit) }
  lineIds.forEach((lineId, i) => (values[`line${i}`] = lineId))
  if (query.assignedTo !== undefined) values["assignedTo"] = query.assignedTo
  if (query.after !== undefined) Object.assign(values, { afterAt: query.after.lastActivityAt, afterId: query.after.id })
  return inboxQueries(db, `${shape.lines}|${shape.filter}|${shape.assigned}|${shape.after}`, () => inboxOfLines(db, shape)).all(values)
}

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
    inbox: (query) =>
      query.lineIds.length === 0 || query.limit <= 0
        ? Effect.succeed([])
        : database
            .read("Conversations.inbox", (db) => inboxRows(db, [...new Set(query.lineIds)], query))
            .pipe(
              Effect.flatMap((rows) =>
                Effect.map(
                  decodeAll(decodeChannel("Conversations.inbox"))(rows.map(({ muted: _, ...row }) => channelFromRow(row))),
                  (channels) => channels.map((channel, i) => ({ channel, muted: rows[i]!.muted === true }))
                ))
            ),
    channelsOfClient: (clientId) =>
      database
        .read("Conversations.channelsOfClient", (db) =>
          db.select().from(t.channels).where(eq(t.channels.clientId, clientId)).orderBy(asc(t.channels.id))
        )
        .pipe(Effect.flatMap((rows) => decodeAll(decodeChannel("Conversations.channelsOfClient"))(rows.map(channelFromRow)))),

    recordInbound,
    recordRoutedInbound,
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
