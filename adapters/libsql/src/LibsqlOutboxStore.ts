import { LEASE_EXPIRED, OutboxEntry, OutboxStore } from "@careline/core"
import { and, asc, eq, inArray, lte } from "drizzle-orm"
import { Effect } from "effect"
import type { Database } from "./Database.js"
import { decodeAll, decodeFirst, decoder, withoutNulls } from "./Decode.js"
import * as t from "./schema.js"

type Row = typeof t.outbox.$inferSelect

const decodeEntry = decoder("outbox entry", OutboxEntry)

export const outboxRow = (entry: OutboxEntry) => ({
  id: entry.id,
  organisationId: entry.organisationId,
  messageId: entry.messageId,
  lineId: entry.lineId,
  fromPhone: entry.from,
  toPhone: entry.to,
  body: entry.body,
  state: entry.state,
  attempts: entry.attempts,
  notBefore: entry.notBefore,
  createdAt: entry.createdAt,
  providerMessageId: entry.providerMessageId ?? null,
  lastError: entry.lastError ?? null
})

const entryFromRow = ({ fromPhone, toPhone, ...row }: Row) => withoutNulls({ ...row, from: fromPhone, to: toPhone })

/** Oldest first, ties by id: the order claims take. */
const oldestFirst = (a: Row, b: Row): number => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

const decodeRows = (operation: string) => (rows: ReadonlyArray<Row>) =>
  // RETURNING gives no order; the port promises oldest first.
  decodeAll(decodeEntry(operation))([...rows].sort(oldestFirst).map(entryFromRow))

/**
 * `OutboxStore` over libSQL. A claim is one `UPDATE … WHERE id IN (SELECT … LIMIT ?) RETURNING`
 * inside a write (`BEGIN IMMEDIATE`) transaction, so two claims — even from two server instances on
 * one database file — never hand out the same entry; the lease's end is kept in `not_before`.
 */
export const makeOutboxStore = (database: Database) =>
  OutboxStore.of({
    claimDue: (now, limit, leaseUntil) => {
      const count = Math.max(0, Math.floor(limit))
      if (count === 0) return Effect.succeed([])
      return database
        .write("OutboxStore.claimDue", async (tx) => {
          const due = tx
            .select({ id: t.outbox.id })
            .from(t.outbox)
            .where(and(eq(t.outbox.state, "pending"), lte(t.outbox.notBefore, now)))
            .orderBy(asc(t.outbox.createdAt), asc(t.outbox.id))
            .limit(count)
          return tx.update(t.outbox).set({ state: "sending", notBefore: leaseUntil }).where(inArray(t.outbox.id, due)).returning()
        })
        .pipe(Effect.flatMap(decodeRows("OutboxStore.claimDue")))
    },
    expireLeases: (now) =>
      database
        .write("OutboxStore.expireLeases", (tx) =>
          tx
            .update(t.outbox)
            .set({ state: "unknown", lastError: LEASE_EXPIRED })
            .where(and(eq(t.outbox.state, "sending"), lte(t.outbox.notBefore, now)))
            .returning()
        )
        .pipe(Effect.flatMap(decodeRows("OutboxStore.expireLeases"))),
    save: (entry) =>
      database.write("OutboxStore.save", async (tx) => {
        const { id, ...row } = outboxRow(entry)
        await tx.insert(t.outbox).values({ id, ...row }).onConflictDoUpdate({ target: t.outbox.id, set: row })
      }),
    get: (id) =>
      database
        .read("OutboxStore.get", (db) => db.select().from(t.outbox).where(eq(t.outbox.id, id)))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeEntry("OutboxStore.get"))(rows.map(entryFromRow)))),
    listByState: (state) =>
      database
        .read("OutboxStore.listByState", (db) =>
          db.select().from(t.outbox).where(eq(t.outbox.state, state)).orderBy(asc(t.outbox.createdAt), asc(t.outbox.id))
        )
        .pipe(Effect.flatMap((rows) => decodeAll(decodeEntry("OutboxStore.listByState"))(rows.map(entryFromRow))))
  })
