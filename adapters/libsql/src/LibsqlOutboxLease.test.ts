import { join } from "node:path"
import { OutboxId, OutboxStore } from "@careline/core"
import { makeOutboxEntry, parentsOfOutboxEntries, seedParents, T0 } from "@careline/testkit"
import { Context, Effect } from "effect"
import { describe, expect, it } from "vitest"
import { openWith } from "./Database.js"
import { context } from "./LibsqlStores.js"
import { fileUrl, tempDirectory } from "./testing/TempDatabase.js"

const LEASE = 60_000

/** Two server instances: two clients, each with its own write lane, on one database file. */
const twoInstances = Effect.gen(function* () {
  const url = fileUrl(join(yield* tempDirectory, "careline.db"))
  const first = context(yield* openWith({ url }))
  const second = context(yield* openWith({ url }))
  return [first, second] as const
})

describe("outbox leases across two instances on one database file", () => {
  it("claims from both at once never share an entry; a live lease is taken by neither, an ended one becomes unknown", () =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const [first, second] = yield* twoInstances
          const entries = Array.from({ length: 40 }, (_, i) =>
            makeOutboxEntry({ id: OutboxId.make(`outbox_${String(i).padStart(2, "0")}`), createdAt: T0 + i, notBefore: T0 }))
          yield* Effect.provideContext(seedParents(parentsOfOutboxEntries(entries)), first)
          const outboxA = Context.get(first, OutboxStore)
          const outboxB = Context.get(second, OutboxStore)
          for (const entry of entries) yield* outboxA.save(entry)

          const claims = yield* Effect.all(
            Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? outboxA : outboxB).claimDue(T0, 3, T0 + LEASE)),
            { concurrency: "unbounded" }
          )
          const claimed = claims.flat().map((e) => e.id)
          expect(claimed).toHaveLength(40)
          expect(new Set(claimed).size).toBe(40)

          expect(yield* outboxB.claimDue(T0 + LEASE - 1, 100, T0 + 2 * LEASE)).toEqual([])
          expect(yield* outboxB.expireLeases(T0 + LEASE - 1)).toEqual([])
          const expired = yield* Effect.all([outboxA.expireLeases(T0 + LEASE), outboxB.expireLeases(T0 + LEASE)], { concurrency: "unbounded" })
          expect(expired.flat().map((e) => e.id).sort()).toEqual(entries.map((e) => e.id))
          expect(yield* outboxA.listByState("unknown")).toHaveLength(40)
        })
      )
    ), 30_000)
})
