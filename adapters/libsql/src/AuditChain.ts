import { createHash } from "node:crypto"
import { asc, desc, gt } from "drizzle-orm"
import type { StorageError } from "@careline/core"
import { Effect } from "effect"
import type { Database } from "./Database.js"
import type { Tx } from "./WriteBatcher.js"
import * as t from "./schema.js"

type Row = typeof t.auditLog.$inferSelect
type Fields = Omit<Row, "seq" | "prevHash" | "hash">

/** The link of the first chained row: there is nothing before it. */
export const GENESIS = "0".repeat(64)

/** SHA-256 over the previous hash and every field of the row, in a fixed order: any change shows. */
export const chainHash = (prevHash: string, row: Fields): string =>
  createHash("sha256")
    .update(prevHash)
    .update("\n")
    .update(JSON.stringify([row.id, row.organisationId, row.at, row.actorKind, row.actorStaffId, row.action, row.clientId, row.channelId, row.detail]))
    .digest("hex")

/** The hash the next appended row links to, read inside the append's own transaction (appends are serialised). */
export const lastHash = async (tx: Tx): Promise<string> => {
  const [last] = await tx.select({ hash: t.auditLog.hash }).from(t.auditLog).orderBy(desc(t.auditLog.seq)).limit(1)
  return last?.hash ?? GENESIS
}

/** What verification found: every chained row intact, or the first row where the chain breaks. */
export type ChainReport =
  | { readonly _tag: "Intact"; readonly chained: number; readonly unchained: number }
  | { readonly _tag: "Broken"; readonly seq: number; readonly id: string; readonly reason: string }

const pageSize = 5_000

/**
 * Walks the audit log in order and recomputes the chain. Rows written before the chain existed
 * (no hash) may only come first. A changed row fails at that row; a removed or inserted row fails at
 * the row after it (its link no longer matches). Removing the newest rows leaves no trace in the
 * chain itself: keep the reported newest hash somewhere else to catch that too.
 *
 * @example
 * const report = yield* verifyAuditChain(database) // { _tag: "Broken", seq: 1042, … }
 */
export const verifyAuditChain = (database: Database): Effect.Effect<ChainReport, StorageError> =>
  Effect.gen(function* () {
    let previous: string | undefined
    let chained = 0
    let unchained = 0
    let after = 0
    for (;;) {
      const from = after
      const rows = yield* database.read("AuditChain.verify", (db) =>
        db.select().from(t.auditLog).where(gt(t.auditLog.seq, from)).orderBy(asc(t.auditLog.seq)).limit(pageSize))
      if (rows.length === 0) return { _tag: "Intact", chained, unchained } as const
      for (const row of rows) {
        after = row.seq
        if (row.hash === null) {
          if (previous !== undefined) return { _tag: "Broken", seq: row.seq, id: row.id, reason: "a row without a hash after the chain began" } as const
          unchained += 1
          continue
        }
        const expectedPrev = previous ?? GENESIS
        if (row.prevHash !== expectedPrev) return { _tag: "Broken", seq: row.seq, id: row.id, reason: "its link does not match the row before it (a row was removed, inserted or changed before it)" } as const
        if (chainHash(expectedPrev, row) !== row.hash) return { _tag: "Broken", seq: row.seq, id: row.id, reason: "its content does not match its hash (the row was changed)" } as const
        previous = row.hash
        chained += 1
      }
    }
  })
