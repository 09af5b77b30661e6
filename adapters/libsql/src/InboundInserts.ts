import { ChannelId, type InboundDelivery, inboundMessage, type Message, OrganisationId, type RoutedInbound, StorageError } from "@careline/core"
import type { InStatement, ResultSet } from "@libsql/client"
import { Effect } from "effect"
import { messageRow } from "./ConversationRows.js"
import { type Database, storageCause } from "./Database.js"
import * as t from "./schema.js"
import { MAX_BATCH, type Tx } from "./WriteBatcher.js"

/**
 * Calls that share one write: the items of every call made while the previous write of the same kind
 * is still on its way in (the usual case under load: it waits for the connection and its commit) go
 * into the next `runAll` together, at most `MAX_BATCH` at a time, so a burst costs a few statements
 * and one commit rather than one of each per call. Should `runAll` fail, each item is tried on its own
 * with `runOne`, so only the one at fault fails.
 */
export const microBatch = <I, O>(operation: string, runAll: (items: ReadonlyArray<I>) => Promise<ReadonlyArray<O>>) => {
  let pending: Array<{ readonly item: I; readonly resolve: (outcome: O) => void; readonly reject: (error: unknown) => void }> = []
  let writing = false

  const flush = async () => {
    const batch = pending.slice(0, MAX_BATCH)
    pending = pending.slice(MAX_BATCH)
    try {
      const outcomes = await runAll(batch.map((p) => p.item))
      batch.forEach((p, i) => p.resolve(outcomes[i]!))
    } catch {
      await Promise.all(batch.map((p) => runAll([p.item]).then((outcomes) => p.resolve(outcomes[0]!), p.reject)))
    }
  }

  const drain = async () => {
    while (pending.length > 0) await flush()
    writing = false
  }

  return (item: I): Effect.Effect<O, StorageError> =>
    Effect.tryPromise({
      try: () =>
        new Promise<O>((resolve, reject) => {
          pending.push({ item, resolve, reject })
          if (writing) return
          writing = true
          // setImmediate, not a microtask: every call of this turn of the event loop joins the first write.
          setImmediate(() => void drain())
        }),
      catch: (error) => new StorageError({ operation, cause: storageCause(error) })
    })
}

const insertAll = async (tx: Tx, messages: ReadonlyArray<Message>): Promise<Array<"inserted" | "duplicate">> => {
  const rows = await tx
    .insert(t.messages)
    .values(messages.map(messageRow))
    .onConflictDoNothing({ target: t.messages.providerMessageId })
    .returning({ id: t.messages.id })
  const inserted = new Set(rows.map((row) => row.id))
  return messages.map((message) => (inserted.has(message.id) ? "inserted" : "duplicate"))
}

/**
 * `recordInbound` for many webhooks at once (see {@link microBatch}): one multi-row
 * `INSERT … ON CONFLICT DO NOTHING RETURNING id`. A text is "inserted" when its own message id comes
 * back, so two deliveries of one provider id in the same statement still give one "inserted".
 */
export const makeInboundInserts = (database: Database): ((message: Message) => Effect.Effect<"inserted" | "duplicate", StorageError>) =>
  microBatch("Conversations.recordInbound", (messages) => database.batcher.write((tx) => insertAll(tx, messages)))

/** `(?, ?, …)` of `count` placeholders, `times` times over, comma-separated. */
export const placeholders = (times: number, count: number) => {
  const row = `(${Array.from({ length: count }, () => "?").join(", ")})`
  return Array.from({ length: times }, () => row).join(", ")
}

/** A delivery's columns, as `inbound_log` holds them and as {@link routedInsert} reads them. */
export const DELIVERY_COLUMNS = "id, to_number, from_number, body, at, provider_message_id, media"

/** A delivery's values in the order of {@link DELIVERY_COLUMNS}; its media whole, as JSON (null when absent). */
export const deliveryValues = (d: InboundDelivery) => [
  d.id,
  d.to,
  d.from,
  d.body,
  d.at,
  d.providerMessageId,
  d.media === undefined ? null : JSON.stringify(d.media)
]

/**
 * One statement that stores the deliveries `source` yields (its columns: an order, then
 * {@link DELIVERY_COLUMNS}) as messages: each row finds its line by number and its channel by
 * (line, sender) in the INSERT itself, so nothing is read before it. Rows keep their order (the first
 * of two deliveries of one provider id wins); a delivery with no channel yields no row, and neither
 * does a duplicate (`ON CONFLICT DO NOTHING`). The message is the one `inboundMessage` builds (an empty
 * media list stores none). Returns the stored rows, for {@link routedOutcomes}.
 */
export const routedInsert = (source: string) => `WITH d(ord, ${DELIVERY_COLUMNS}) AS (${source})
    INSERT INTO messages (id, organisation_id, channel_id, direction, author_kind, body, at, status, provider_message_id, received_while_replies_off, media)
    SELECT d.id, c.organisation_id, c.id, 'inbound', 'Client', d.body, d.at, 'received', d.provider_message_id,
      CASE WHEN c.replies_allowed THEN NULL ELSE 1 END, NULLIF(d.media, '[]')
    FROM d
    JOIN lines l ON l.number = d.to_number
    JOIN channels c ON c.line_id = l.id AND c.phone = d.from_number
    WHERE true
    ORDER BY d.ord
    ON CONFLICT (provider_message_id) DO NOTHING
    RETURNING id, organisation_id AS organisationId, channel_id AS channelId, received_while_replies_off AS off`

/**
 * What became of each delivery of a {@link routedInsert}, in order: `Stored` when its own message id
 * came back (once per id), otherwise `Duplicate` when its provider id is stored (`present`, read in
 * the same transaction), otherwise `Unrouted`.
 */
export const routedOutcomes = (
  deliveries: ReadonlyArray<InboundDelivery>,
  inserted: ResultSet,
  present: (delivery: InboundDelivery, index: number) => boolean
): Array<RoutedInbound> => {
  const stored = new Map(inserted.rows.map((row) => [String(row["id"]), row]))
  return deliveries.map((d, i): RoutedInbound => {
    const row = stored.get(d.id)
    if (row !== undefined) {
      stored.delete(d.id)
      const channel = {
        id: ChannelId.make(String(row["channelId"])),
        organisationId: OrganisationId.make(String(row["organisationId"])),
        repliesAllowed: row["off"] !== 1
      }
      return { _tag: "Stored", message: inboundMessage(d, channel) }
    }
    return present(d, i) ? { _tag: "Duplicate" } : { _tag: "Unrouted" }
  })
}

/** {@link routedInsert} over a batch of deliveries, bound as arguments. */
const insertRouted = (deliveries: ReadonlyArray<InboundDelivery>): InStatement => ({
  sql: routedInsert(`VALUES ${placeholders(deliveries.length, 8)}`),
  args: deliveries.flatMap((d, i) => [i, ...deliveryValues(d)])
})

/** After the insert, in the same transaction: which of the batch's provider ids are stored (just now or before). */
const storedProviderIds = (deliveries: ReadonlyArray<InboundDelivery>): InStatement => ({
  sql: `SELECT provider_message_id AS providerMessageId FROM messages WHERE provider_message_id IN ${placeholders(1, deliveries.length)}`,
  args: deliveries.map((d) => d.providerMessageId)
})

/**
 * The batch's outcomes, from one write transaction of two statements sent to the connection at once
 * (a single round trip to the database thread, and one commit): stored rows as messages; of the rest,
 * those whose provider id is now stored are duplicates, the others have no channel yet.
 */
const routeAll = (database: Database) => async (deliveries: ReadonlyArray<InboundDelivery>): Promise<Array<RoutedInbound>> => {
  const [inserted, known] = await database.batcher.exclusive(() =>
    database.client.batch([insertRouted(deliveries), storedProviderIds(deliveries)], "write"))
  const present = new Set(known!.rows.map((row) => String(row["providerMessageId"])))
  return routedOutcomes(deliveries, inserted!, (d) => present.has(d.providerMessageId))
}

/**
 * `recordRoutedInbound` for many webhooks at once (see {@link microBatch}): the deliveries go into one
 * statement (see {@link insertRouted}), so a webhook's accept path is one row of a shared INSERT and a
 * share of one fsync.
 */
export const makeRoutedInserts = (database: Database): ((delivery: InboundDelivery) => Effect.Effect<RoutedInbound, StorageError>) =>
  microBatch("Conversations.recordRoutedInbound", routeAll(database))
