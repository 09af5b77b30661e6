import {
  type InboundDelivery,
  type LoggedInbound,
  MessageId,
  MessageMedia,
  PhoneNumber,
  ProviderMessageId,
  StorageError
} from "@careline/core"
import type { InStatement, Row } from "@libsql/client"
import { eq } from "drizzle-orm"
import { Effect, Schema } from "effect"
import { type Database, storageCause } from "./Database.js"
import { decoder, parseJson, withoutNulls } from "./Decode.js"
import { DELIVERY_COLUMNS, deliveryValues, microBatch, placeholders, routedInsert, routedOutcomes } from "./InboundInserts.js"
import * as t from "./schema.js"

/** A delivery as it is read back from the log. */
const LoggedDelivery = Schema.Struct({
  id: MessageId,
  to: PhoneNumber,
  from: PhoneNumber,
  body: Schema.String,
  at: Schema.Number,
  providerMessageId: ProviderMessageId,
  media: Schema.optionalKey(Schema.Array(MessageMedia))
})
const deliveryFromRow = (row: Row) =>
  withoutNulls({
    id: row["id"],
    to: row["to_number"],
    from: row["from_number"],
    body: row["body"],
    at: row["at"],
    providerMessageId: row["provider_message_id"],
    media: row["media"] === null ? null : parseJson(String(row["media"]))
  })
const decodeDeliveries = decoder("inbound log entry", Schema.Array(LoggedDelivery))("Conversations.routeLogged")

/**
 * `logInbound` for many webhooks at once (see {@link microBatch}): one multi-row INSERT and one commit
 * a batch. The rows take the next `seq`s, so the commit writes only the table's last pages.
 */
export const makeInboundLog = (database: Database): ((delivery: InboundDelivery) => Effect.Effect<void, StorageError>) =>
  microBatch("Conversations.logInbound", async (deliveries: ReadonlyArray<InboundDelivery>) => {
    const statement: InStatement = {
      sql: `INSERT INTO inbound_log (${DELIVERY_COLUMNS}) VALUES ${placeholders(deliveries.length, 7)}`,
      args: deliveries.flatMap(deliveryValues)
    }
    await database.batcher.exclusive(() => database.client.execute(statement))
    return deliveries.map(() => undefined)
  })

/** The oldest `?` entries of the log: the window every statement of `routeLogged` works on. */
const WINDOW = "SELECT seq FROM inbound_log ORDER BY seq LIMIT ?"

/** Whether the provider id of log entry `alias` is stored (one probe of `messages`' unique index). */
const stored = (alias: string) => `EXISTS (SELECT 1 FROM messages m WHERE m.provider_message_id = ${alias}.provider_message_id)`

/**
 * One write transaction over the window: store what has a channel, read the window back with whether
 * each provider id is now stored, and take those entries (stored or duplicate) out of the log.
 */
const routeWindow = (limit: number): Array<InStatement> => [
  { sql: routedInsert(`SELECT seq, ${DELIVERY_COLUMNS} FROM inbound_log ORDER BY seq LIMIT ?`), args: [limit] },
  {
    sql: `SELECT ${DELIVERY_COLUMNS}, ${stored("l")} AS present
      FROM inbound_log l ORDER BY seq LIMIT ?`,
    args: [limit]
  },
  { sql: `DELETE FROM inbound_log WHERE seq IN (${WINDOW}) AND ${stored("inbound_log")}`, args: [limit] }
]

/**
 * `routeLogged`: the oldest `limit` entries routed as `recordRoutedInbound` routes a batch, in one
 * atomic step. Only `limit` is bound (the window is chosen in SQL), so any limit fits SQLite's cap on
 * parameters.
 */
export const routeLogged = (database: Database) => (limit: number): Effect.Effect<ReadonlyArray<LoggedInbound>, StorageError> => {
  const count = Math.min(Math.floor(limit), Number.MAX_SAFE_INTEGER)
  if (!(count > 0)) return Effect.succeed([])
  return Effect.tryPromise({
    try: () => database.batcher.exclusive(() => database.client.batch(routeWindow(count), "write")),
    catch: (error) => new StorageError({ operation: "Conversations.routeLogged", cause: storageCause(error) })
  }).pipe(
    Effect.flatMap(([inserted, window]) => {
      const rows = window!.rows
      return Effect.map(decodeDeliveries(rows.map(deliveryFromRow)), (deliveries) => {
        const routed = routedOutcomes(deliveries, inserted!, (_, i) => rows[i]!["present"] === 1)
        return deliveries.map((delivery, i) => ({ delivery, routed: routed[i]! }))
      })
    })
  )
}

/** `dropLogged`: a scan of the log, which is fine for what it is for (texts to numbers no line has). */
export const dropLogged = (database: Database) => (id: MessageId): Effect.Effect<void, StorageError> =>
  database.write("Conversations.dropLogged", async (tx) => {
    await tx.delete(t.inboundLog).where(eq(t.inboundLog.id, id))
  })
