import { type Message, StorageError } from "@careline/core"
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
