import { AuditEventId, AuditLog } from "@careline/core"
import { makeAuditEvent } from "@careline/testkit"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { verifyAuditChain } from "./AuditChain.js"
import type { Database } from "./Database.js"
import { runSeeded } from "./testing/Seed.js"

/** What an attacker with the file does: switch the append-only triggers off, then rewrite. */
const tamper = (database: Database, ...statements: ReadonlyArray<string>) =>
  Effect.promise(() =>
    database.batcher.read(async () => {
      await database.client.execute("DROP TRIGGER audit_log_no_update")
      await database.client.execute("DROP TRIGGER audit_log_no_delete")
      for (const statement of statements) await database.client.execute(statement)
    }))

const appendFive = Effect.gen(function* () {
  const log = yield* AuditLog
  for (let i = 1; i <= 5; i++) yield* log.append(makeAuditEvent({ id: AuditEventId.make(`audit_${i}`), at: 1_000 + i, detail: `event ${i}` }))
})

const seqOf = (database: Database, id: string) =>
  Effect.promise(() => database.batcher.read(() => database.client.execute({ sql: "SELECT seq FROM audit_log WHERE id = ?", args: [id] })))
    .pipe(Effect.map((result) => Number(result.rows[0]?.[0])))

describe("the audit log's hash chain", () => {
  it("verifies an untouched log", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        yield* appendFive
        expect(yield* verifyAuditChain(database)).toEqual({ _tag: "Intact", chained: 5, unchained: 0 })
      })))

  it("fails at the row whose content was changed", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        yield* appendFive
        yield* tamper(database, "UPDATE audit_log SET detail = 'nothing to see' WHERE id = 'audit_3'")
        const report = yield* verifyAuditChain(database)
        expect(report).toMatchObject({ _tag: "Broken", id: "audit_3", seq: yield* seqOf(database, "audit_3") })
      })))

  it("fails at the row after one that was removed", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        yield* appendFive
        const fourth = yield* seqOf(database, "audit_4")
        yield* tamper(database, "DELETE FROM audit_log WHERE id = 'audit_3'")
        expect(yield* verifyAuditChain(database)).toMatchObject({ _tag: "Broken", id: "audit_4", seq: fourth })
      })))

  it("fails when a changed row was re-hashed but the next still links to the original", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        yield* appendFive
        // Rewrite row 2 and give it a hash of its own: row 3's link gives it away.
        yield* tamper(database, "UPDATE audit_log SET actor_kind = 'System', actor_staff_id = NULL, hash = printf('%064d', 7) WHERE id = 'audit_2'")
        const report = yield* verifyAuditChain(database)
        expect(report._tag).toBe("Broken")
        if (report._tag === "Broken") expect(["audit_2", "audit_3"]).toContain(report.id)
      })))

  it("chains appends that share one group commit", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        const log = yield* AuditLog
        yield* Effect.forEach(
          Array.from({ length: 40 }, (_, i) => makeAuditEvent({ id: AuditEventId.make(`together_${i}`), at: 5_000 + i })),
          (event) => log.append(event),
          { concurrency: "unbounded" }
        )
        expect(yield* verifyAuditChain(database)).toEqual({ _tag: "Intact", chained: 40, unchained: 0 })
      })))
})
