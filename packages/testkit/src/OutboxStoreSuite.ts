import { type Conversations, type Directory, LEASE_EXPIRED, type OutboxEntry, OutboxId, OutboxStore, ProviderMessageId } from "@careline/core"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { arbOutboxEntry, makeOutboxEntry, T0, withSequentialIds } from "./fixtures.js"
import { parentsOfOutboxEntries, seedParents } from "./ParentRecords.js"
import { runWith } from "./runEffect.js"

const oid = (id: string) => OutboxId.make(id)
const ids = (entries: ReadonlyArray<OutboxEntry>) => entries.map((e) => e.id)
const sortedIds = (entries: ReadonlyArray<OutboxEntry>) => ids(entries).sort()
const oldestFirst = (a: OutboxEntry, b: OutboxEntry): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
/** The length of the leases the tests below take. */
const LEASE = 60_000

/** The parents of `makeOutboxEntry()` — its message, line and organisation — which every entry below shares. */
/** The generated entries with ids outbox1…N, their parents seeded and each saved. */
const savedWithSequentialIds = (generated: ReadonlyArray<OutboxEntry>) =>
  Effect.gen(function* () {
    const outbox = yield* OutboxStore
    const entries = withSequentialIds(generated, oid, "outbox")
    yield* seedParents(parentsOfOutboxEntries(entries))
    for (const entry of entries) yield* outbox.save(entry)
    return entries
  })
const seedEntryParents = seedParents(parentsOfOutboxEntries([makeOutboxEntry()]))

/**
 * The behaviour every `OutboxStore` adapter must show. Each test runs against a fresh build of `layer`
 * (which may fail to build: the test then fails with why), after storing the parents of its entries —
 * the message each sends, its line and organisation — through the layer's `Directory` and
 * `Conversations`, so that it holds on a store that enforces references.
 *
 * @example
 * ```ts
 * outboxStoreSuite("memory", MemoryStores.layer)
 * ```
 */
export const outboxStoreSuite = (name: string, layer: Layer.Layer<OutboxStore | Directory | Conversations, unknown>) =>
  describe(`OutboxStore (${name})`, () => {
    const run = runWith(layer)

    it("saves by id and gets what it saved", () =>
      run(
        Effect.gen(function* () {
          const outbox = yield* OutboxStore
          yield* seedEntryParents
          const entry = makeOutboxEntry()
          expect(yield* outbox.get(entry.id)).toEqual(Option.none())
          yield* outbox.save(entry)
          expect(yield* outbox.get(entry.id)).toEqual(Option.some(entry))
          const sent: OutboxEntry = { ...entry, state: "sent", attempts: 1, providerMessageId: ProviderMessageId.make("SM1") }
          yield* outbox.save(sent)
          expect(yield* outbox.get(entry.id)).toEqual(Option.some(sent))
          expect(yield* outbox.listByState("pending")).toEqual([])
          expect(yield* outbox.listByState("sent")).toEqual([sent])
        })
      ))

    it("lists entries by state", () =>
      run(
        Effect.gen(function* () {
          const outbox = yield* OutboxStore
          yield* seedEntryParents
          const states = ["pending", "sending", "sent", "failed", "unknown", "pending"] as const
          for (const [i, state] of states.entries()) yield* outbox.save(makeOutboxEntry({ id: oid(`outbox_${i}`), state }))
          expect(sortedIds(yield* outbox.listByState("pending"))).toEqual(["outbox_0", "outbox_5"])
          expect(sortedIds(yield* outbox.listByState("unknown"))).toEqual(["outbox_4"])
        })
      ))

    it("claims due pending entries oldest first (then by id), at most limit, and marks them sending under a lease", () =>
      run(
        Effect.gen(function* () {
          const outbox = yield* OutboxStore
          yield* seedEntryParents
          const entries = [
            makeOutboxEntry({ id: oid("o_late"), createdAt: T0 + 2, notBefore: T0 + 2 }),
            makeOutboxEntry({ id: oid("o_b"), createdAt: T0, notBefore: T0, attempts: 2 }),
            makeOutboxEntry({ id: oid("o_a"), createdAt: T0, notBefore: T0 }),
            makeOutboxEntry({ id: oid("o_old"), createdAt: T0 - 10, notBefore: T0 }),
            makeOutboxEntry({ id: oid("o_future"), createdAt: T0 - 20, notBefore: T0 + 100 }),
            makeOutboxEntry({ id: oid("o_failed"), createdAt: T0 - 30, state: "failed" }),
            makeOutboxEntry({ id: oid("o_sent"), createdAt: T0 - 30, state: "sent" })
          ]
          for (const entry of entries) yield* outbox.save(entry)
          const byId = new Map(entries.map((e) => [e.id, e]))

          const first = yield* outbox.claimDue(T0 + 2, 3, T0 + LEASE)
          expect(ids(first)).toEqual(["o_old", "o_a", "o_b"])
          for (const claimed of first) expect(claimed).toEqual({ ...byId.get(claimed.id), state: "sending", notBefore: T0 + LEASE })
          for (const claimed of first) expect(yield* outbox.get(claimed.id)).toEqual(Option.some(claimed))

          expect(ids(yield* outbox.claimDue(T0 + 2, 3, T0 + LEASE))).toEqual(["o_late"])
          expect(yield* outbox.claimDue(T0 + 2, 3, T0 + LEASE)).toEqual([])
          expect(ids(yield* outbox.claimDue(T0 + 100, 3, T0 + LEASE))).toEqual(["o_future"])
          expect(yield* outbox.get(oid("o_failed"))).toEqual(Option.some(byId.get(oid("o_failed"))))
          expect(sortedIds(yield* outbox.listByState("sending"))).toEqual(["o_a", "o_b", "o_future", "o_late", "o_old"])
        })
      ))

    it("claims nothing with a limit of zero", () =>
      run(
        Effect.gen(function* () {
          const outbox = yield* OutboxStore
          yield* seedEntryParents
          yield* outbox.save(makeOutboxEntry())
          expect(yield* outbox.claimDue(T0, 0, T0 + LEASE)).toEqual([])
          expect(ids(yield* outbox.listByState("pending"))).toEqual(["outbox_1"])
        })
      ))

    it("claims an entry saved back to pending again (a retry)", () =>
      run(
        Effect.gen(function* () {
          const outbox = yield* OutboxStore
          yield* seedEntryParents
          yield* outbox.save(makeOutboxEntry())
          const [claimed] = yield* outbox.claimDue(T0, 1, T0 + LEASE)
          yield* outbox.save({ ...claimed!, state: "pending", attempts: 1, notBefore: T0 + 2_000, lastError: "busy" })
          expect(yield* outbox.claimDue(T0 + 1_999, 1, T0 + LEASE)).toEqual([])
          expect(yield* outbox.claimDue(T0 + 2_000, 1, T0 + 2_000 + LEASE)).toEqual([
            { ...claimed!, state: "sending", attempts: 1, notBefore: T0 + 2_000 + LEASE, lastError: "busy" }
          ])
        })
      ))

    it("a live lease is neither claimed again nor expired; at its end it turns unknown, never pending again", () =>
      run(
        Effect.gen(function* () {
          const outbox = yield* OutboxStore
          yield* seedEntryParents
          const entry = makeOutboxEntry({ attempts: 1 })
          yield* outbox.save(entry)
          const [claimed] = yield* outbox.claimDue(T0, 1, T0 + LEASE)
          expect(yield* outbox.claimDue(T0 + LEASE - 1, 10, T0 + 2 * LEASE)).toEqual([])
          expect(yield* outbox.expireLeases(T0 + LEASE - 1)).toEqual([])
          expect(yield* outbox.get(entry.id)).toEqual(Option.some(claimed))

          const unknown: OutboxEntry = { ...claimed!, state: "unknown", lastError: LEASE_EXPIRED }
          expect(yield* outbox.expireLeases(T0 + LEASE)).toEqual([unknown])
          expect(yield* outbox.get(entry.id)).toEqual(Option.some(unknown))
          expect(yield* outbox.expireLeases(T0 + 2 * LEASE)).toEqual([])
          expect(yield* outbox.claimDue(T0 + 2 * LEASE, 10, T0 + 3 * LEASE)).toEqual([])
        })
      ))

    it("expiring leases touches only sending entries whose lease ended, oldest first", () =>
      run(
        Effect.gen(function* () {
          const outbox = yield* OutboxStore
          yield* seedEntryParents
          const entries = [
            makeOutboxEntry({ id: oid("o_live"), state: "sending", createdAt: T0 - 40, notBefore: T0 + 1 }),
            makeOutboxEntry({ id: oid("o_new"), state: "sending", createdAt: T0, notBefore: T0 }),
            makeOutboxEntry({ id: oid("o_old"), state: "sending", createdAt: T0 - 10, notBefore: T0 - 5 }),
            makeOutboxEntry({ id: oid("o_due"), state: "pending", createdAt: T0 - 30, notBefore: T0 - 30 }),
            makeOutboxEntry({ id: oid("o_sent"), state: "sent", createdAt: T0 - 30, notBefore: T0 - 30 }),
            makeOutboxEntry({ id: oid("o_failed"), state: "failed", createdAt: T0 - 30, notBefore: T0 - 30 })
          ]
          for (const entry of entries) yield* outbox.save(entry)
          const expired = yield* outbox.expireLeases(T0)
          expect(ids(expired)).toEqual(["o_old", "o_new"])
          for (const entry of entries) {
            const ended = expired.some((e) => e.id === entry.id)
            expect(yield* outbox.get(entry.id)).toEqual(Option.some(ended ? { ...entry, state: "unknown", lastError: LEASE_EXPIRED } : entry))
          }
        })
      ))

    it("two workers claiming and expiring at once never share an entry, and no live lease is taken", () =>
      run(
        Effect.gen(function* () {
          const outbox = yield* OutboxStore
          yield* seedEntryParents
          const entries = Array.from({ length: 12 }, (_, i) => makeOutboxEntry({ id: oid(`o_${String(i).padStart(2, "0")}`), createdAt: T0 + i, notBefore: T0 }))
          for (const entry of entries) yield* outbox.save(entry)
          const worker = (now: number) =>
            Effect.gen(function* () {
              const expired = yield* outbox.expireLeases(now)
              const first = yield* outbox.claimDue(now, 3, now + LEASE)
              const second = yield* outbox.claimDue(now, 3, now + LEASE)
              return { expired, claimed: [...first, ...second] }
            })
          const [a, b] = yield* Effect.all([worker(T0), worker(T0 + 1)], { concurrency: "unbounded" })
          const claimed = [...a!.claimed, ...b!.claimed]
          expect(claimed).toHaveLength(12)
          expect(new Set(ids(claimed)).size).toBe(12)
          expect([...a!.expired, ...b!.expired]).toEqual([])
          expect(yield* outbox.expireLeases(T0 + LEASE - 1)).toEqual([])
          expect(sortedIds(yield* outbox.listByState("sending"))).toEqual(sortedIds(entries))
        })
      ))

    it("property: expiring leases takes exactly the sending entries whose lease ended by then", () =>
      fc.assert(
        fc.asyncProperty(fc.array(arbOutboxEntry, { maxLength: 30 }), fc.integer({ min: 0, max: 20 }), (generated, elapsed) =>
          run(
            Effect.gen(function* () {
              const outbox = yield* OutboxStore
              const entries = yield* savedWithSequentialIds(generated)
              const now = T0 + elapsed
              const ended = entries.filter((e) => e.state === "sending" && e.notBefore <= now).sort(oldestFirst)
              expect(yield* outbox.expireLeases(now)).toEqual(ended.map((e) => ({ ...e, state: "unknown", lastError: LEASE_EXPIRED })))
              expect(yield* outbox.expireLeases(now)).toEqual([])
              const live = entries.filter((e) => e.state === "sending" && e.notBefore > now)
              expect(sortedIds(yield* outbox.listByState("sending"))).toEqual(sortedIds(live))
            })
          )
        ),
        { numRuns: 100 }
      ))

    it("property: a claim takes exactly the due pending entries, oldest first, up to limit", () =>
      fc.assert(
        fc.asyncProperty(
          fc.array(arbOutboxEntry, { maxLength: 30 }),
          fc.integer({ min: 0, max: 20 }),
          fc.integer({ min: 0, max: 12 }),
          (generated, elapsed, limit) =>
            run(
              Effect.gen(function* () {
                const outbox = yield* OutboxStore
                const entries = yield* savedWithSequentialIds(generated)
                const now = T0 + elapsed
                const due = entries.filter((e) => e.state === "pending" && e.notBefore <= now).sort(oldestFirst)
                expect(yield* outbox.claimDue(now, limit, now + LEASE)).toEqual(
                  due.slice(0, limit).map((e) => ({ ...e, state: "sending", notBefore: now + LEASE }))
                )
              })
            )
        ),
        { numRuns: 100 }
      ))

    it("property: concurrent claims never hand out one entry twice", () =>
      fc.assert(
        fc.asyncProperty(
          fc.array(arbOutboxEntry, { maxLength: 30 }),
          fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 8 }),
          (generated, limits) =>
            run(
              Effect.gen(function* () {
                const outbox = yield* OutboxStore
                const entries = yield* savedWithSequentialIds(generated)
                const now = T0 + 20
                const claims = yield* Effect.all(
                  limits.map((limit) => outbox.claimDue(now, limit, now + LEASE)),
                  { concurrency: "unbounded" }
                )
                const claimed = claims.flat()
                expect(new Set(ids(claimed)).size).toBe(claimed.length)
                const due = entries.filter((e) => e.state === "pending" && e.notBefore <= now)
                const total = limits.reduce((a, b) => a + b, 0)
                expect(claimed).toHaveLength(Math.min(due.length, total))
                for (const [i, claim] of claims.entries()) expect(claim.length).toBeLessThanOrEqual(limits[i]!)
              })
            )
        ),
        { numRuns: 100 }
      ))
  })
