import { ChannelId, type InboundDelivery, inboundMessage, type Message, OrganisationId, type RoutedInbound, StorageError } from "@careline/core"
import { inArray, sql } from "drizzle-orm"
import { Effect } from "effect"
import { messageRow } from "./ConversationRows.js"
import { type Database, storageCause } from "./Database.js"
import * as t from "./schema.js"
import { MAX_BATCH, type Tx } from "./WriteBatcher.js"

interface Pending {
  readonly message: Message
  readonly resolve: (outcome: "inserted" | "duplicate") => void
  readonly reject: (error: unknown) => void
}

const insertAll = (tx: Tx, messages: ReadonlyArray<Message>) =>
  tx
    .insert(t.messages)
    .values(messages.map(messageRow))
    .onConflictDoNothing({ target: t.messages.providerMessageId })
    .returning({ id: t.messages.id })

/**
 * `recordInbound` for many webhooks at once: the texts recorded in one turn of the event loop go into
 * one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING id` (a statement per text costs more CPU
 * than the commit they share). A text is "inserted" when its own message id comes back, so two
 * deliveries of one provider id in the same statement still give one "inserted". Should the
 * statement fail (say, one text's channel is gone), each text is tried on its own, so only that one fails.
 */
export const makeInboundInserts = (database: Database) => {
  let pending: Array<Pending> = []
  let scheduled = false

  const flush = async () => {
    scheduled = false
    const batch = pending.slice(0, MAX_BATCH)
    pending = pending.slice(MAX_BATCH)
    if (pending.length > 0) schedule()
    try {
      const rows = await database.batcher.write((tx) => insertAll(tx, batch.map((p) => p.message)))
      const inserted = new Set(rows.map((row) => row.id))
      for (const p of batch) p.resolve(inserted.has(p.message.id) ? "inserted" : "duplicate")
    } catch {
      await Promise.all(batch.map((p) =>
        database.batcher.write((tx) => insertAll(tx, [p.message])).then(
          (rows) => p.resolve(rows.length === 1 ? "inserted" : "duplicate"),
          p.reject
        )))
    }
  }

  const schedule = () => {
    if (scheduled) return
    scheduled = true
    setImmediate(() => void flush())
  }

  return (message: Message): Effect.Effect<"inserted" | "duplicate", StorageError> =>
    Effect.tryPromise({
      try: () =>
        new Promise<"inserted" | "duplicate">((resolve, reject) => {
          pending.push({ message, resolve, reject })
          schedule()
        }),
      catch: (error) => new StorageError({ operation: "Conversations.recordInbound", cause: storageCause(error) })
    })
}

/**
 * One statement for a batch of deliveries: each row finds its line by number and its channel by
 * (line, sender) in the INSERT itself, so the accept path reads nothing before it writes. Rows keep
 * their order (the first of two deliveries of one provider id wins); a delivery with no channel
 * yields no row, and neither does a duplicate (`ON CONFLICT DO NOTHING`).
 */
const insertRouted = (tx: Tx, deliveries: ReadonlyArray<InboundDelivery>) =>
  tx.all<{ id: string; organisationId: string; channelId: string; off: number | null }>(sql`
    WITH d(ord, id, to_number, from_number, body, at, provider_message_id, media) AS (VALUES ${sql.join(
      deliveries.map((d, i) =>
        sql`(${i}, ${d.id}, ${d.to}, ${d.from}, ${d.body}, ${d.at}, ${d.providerMessageId}, ${d.media === undefined || d.media.length === 0 ? null : JSON.stringify(d.media)})`),
      sql`, `
    )})
    INSERT INTO messages (id, organisation_id, channel_id, direction, author_kind, body, at, status, provider_message_id, received_while_replies_off, media)
    SELECT d.id, c.organisation_id, c.id, 'inbound', 'Client', d.body, d.at, 'received', d.provider_message_id,
      CASE WHEN c.replies_allowed THEN NULL ELSE 1 END, d.media
    FROM d
    JOIN lines l ON l.number = d.to_number
    JOIN channels c ON c.line_id = l.id AND c.phone = d.from_number
    WHERE true
    ORDER BY d.ord
    ON CONFLICT (provider_message_id) DO NOTHING
    RETURNING id, organisation_id AS organisationId, channel_id AS channelId, received_while_replies_off AS off`)

/** The batch's outcomes: stored rows as messages; of the rest, those whose provider id is now stored are duplicates. */
const routeAll = async (tx: Tx, deliveries: ReadonlyArray<InboundDelivery>): Promise<Array<RoutedInbound>> => {
  const stored = new Map((await insertRouted(tx, deliveries)).map((row) => [row.id, row]))
  const rest = deliveries.filter((d) => !stored.has(d.id))
  const known =
    rest.length === 0
      ? new Set<string>()
      : new Set(
          (await tx
            .select({ providerMessageId: t.messages.providerMessageId })
            .from(t.messages)
            .where(inArray(t.messages.providerMessageId, rest.map((d) => d.providerMessageId)))).map((row) => row.providerMessageId)
        )
  return deliveries.map((d): RoutedInbound => {
    const row = stored.get(d.id)
    if (row !== undefined) {
      const channel = { id: ChannelId.make(row.channelId), organisationId: OrganisationId.make(row.organisationId), repliesAllowed: row.off !== 1 }
      return { _tag: "Stored", message: inboundMessage(d, channel) }
    }
    return known.has(d.providerMessageId) ? { _tag: "Duplicate" } : { _tag: "Unrouted" }
  })
}

/**
 * `recordRoutedInbound` for many webhooks at once: the deliveries of one turn of the event loop go
 * into one statement (see {@link insertRouted}) in one operation of the group commit, so a webhook's
 * accept path is one row of a shared INSERT and a share of one fsync. Should the statement fail, each
 * delivery is tried on its own, so only the one at fault fails.
 */
export const makeRoutedInserts = (database: Database) => {
  let pending: Array<{ readonly delivery: InboundDelivery; readonly resolve: (outcome: RoutedInbound) => void; readonly reject: (error: unknown) => void }> = []
  let scheduled = false

  const flush = async () => {
    scheduled = false
    const batch = pending.slice(0, MAX_BATCH)
    pending = pending.slice(MAX_BATCH)
    if (pending.length > 0) schedule()
    try {
      const outcomes = await database.batcher.write((tx) => routeAll(tx, batch.map((p) => p.delivery)))
      batch.forEach((p, i) => p.resolve(outcomes[i]!))
    } catch {
      await Promise.all(batch.map((p) =>
        database.batcher.write((tx) => routeAll(tx, [p.delivery])).then((outcomes) => p.resolve(outcomes[0]!), p.reject)))
    }
  }

  const schedule = () => {
    if (scheduled) return
    scheduled = true
    setImmediate(() => void flush())
  }

  return (delivery: InboundDelivery): Effect.Effect<RoutedInbound, StorageError> =>
    Effect.tryPromise({
      try: () =>
        new Promise<RoutedInbound>((resolve, reject) => {
          pending.push({ delivery, resolve, reject })
          schedule()
        }),
      catch: (error) => new StorageError({ operation: "Conversations.recordRoutedInbound", cause: storageCause(error) })
    })
}
