import { type AuditAction, AuditEventId, AuditLog, ClientId, type Directory, OrganisationId, StaffId } from "@careline/core"
import { Effect, type Layer } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { arbAuditEvent, arbClientId, arbStaffId, makeAuditEvent, T0, withSequentialIds } from "./fixtures.js"
import { pooledClients, pooledOrganisations, pooledStaff, seedDirectory } from "./ParentRecords.js"
import { runWith } from "./runEffect.js"

const org1 = OrganisationId.make("org_1")
const org2 = OrganisationId.make("org_2")
const client1 = ClientId.make("client_1")
const event = (n: number, clientId?: ClientId, organisationId = org1) =>
  makeAuditEvent({ id: AuditEventId.make(`audit_${n}`), organisationId, at: T0 + n, ...(clientId === undefined ? {} : { clientId }) })

/** What the events below refer to: their organisations, staff actors and clients (all pooled). */
const seedEventParents = seedDirectory({ organisations: pooledOrganisations, staff: pooledStaff, clients: pooledClients })

/**
 * The behaviour every `AuditLog` adapter must show. Each test runs against a fresh build of `layer`
 * (which may fail to build: the test then fails with why), after storing what its events refer to —
 * organisations, staff actors, clients — through the layer's `Directory`, so that it holds on a store
 * that enforces references.
 *
 * @example
 * ```ts
 * auditLogSuite("memory", MemoryStores.layer)
 * ```
 */
export const auditLogSuite = (name: string, layer: Layer.Layer<AuditLog | Directory, unknown>) =>
  describe(`AuditLog (${name})`, () => {
    const run = runWith(layer)

    it("lists an organisation's events oldest first, and only that organisation's", () =>
      run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          yield* seedEventParents
          expect(yield* log.list(org1, {})).toEqual([])
          const events = [event(1), event(2, client1), event(3, undefined, org2), event(4)]
          for (const e of events) yield* log.append(e)
          expect(yield* log.list(org1, {})).toEqual([event(1), event(2, client1), event(4)])
          expect(yield* log.list(org2, {})).toEqual([event(3, undefined, org2)])
        })
      ))

    it("filters by client", () =>
      run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          yield* seedEventParents
          const client2 = ClientId.make("client_2")
          for (const e of [event(1, client1), event(2, client2), event(3), event(4, client1)]) yield* log.append(e)
          expect(yield* log.list(org1, { clientId: client1 })).toEqual([event(1, client1), event(4, client1)])
          expect(yield* log.list(org1, { clientId: ClientId.make("client_9") })).toEqual([])
        })
      ))

    it("with a limit keeps the newest events, still oldest first", () =>
      run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          yield* seedEventParents
          for (const n of [1, 2, 3, 4, 5]) yield* log.append(event(n, n % 2 === 0 ? client1 : undefined))
          expect(yield* log.list(org1, { limit: 2 })).toEqual([event(4, client1), event(5)])
          expect(yield* log.list(org1, { limit: 1, clientId: client1 })).toEqual([event(4, client1)])
          expect(yield* log.list(org1, { limit: 10 })).toHaveLength(5)
          expect(yield* log.list(org1, { limit: 0 })).toEqual([])
        })
      ))

    it("filters by acting staff member and by action, and pages back from the newest with an offset", () =>
      run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          yield* seedEventParents
          const [staffA, staffB] = pooledStaff.slice(0, 2).map((s) => s.id)
          const by = (n: number, staffId: StaffId | undefined, action: AuditAction) =>
            makeAuditEvent({ id: AuditEventId.make(`audit_${n}`), organisationId: org1, at: T0 + n, action, actor: staffId === undefined ? { _tag: "System" } : { _tag: "Staff", staffId } })
          const events = [by(1, staffA, "channel.read"), by(2, staffB, "channel.read"), by(3, staffA, "message.send"), by(4, undefined, "channel.read"), by(5, staffA, "channel.read")]
          for (const e of events) yield* log.append(e)
          expect(yield* log.list(org1, { actorStaffId: staffA! })).toEqual([events[0], events[2], events[4]])
          expect(yield* log.list(org1, { action: "channel.read" })).toEqual([events[0], events[1], events[3], events[4]])
          expect(yield* log.list(org1, { actorStaffId: staffA!, action: "channel.read" })).toEqual([events[0], events[4]])
          expect(yield* log.list(org1, { actorStaffId: StaffId.make("staff_nobody") })).toEqual([])
          expect(yield* log.list(org1, { limit: 2, offset: 0 })).toEqual([events[3], events[4]])
          expect(yield* log.list(org1, { limit: 2, offset: 2 })).toEqual([events[1], events[2]])
          expect(yield* log.list(org1, { limit: 2, offset: 4 })).toEqual([events[0]])
          expect(yield* log.list(org1, { limit: 2, offset: 9 })).toEqual([])
          expect(yield* log.list(org1, { offset: 3 })).toEqual([events[0], events[1]])
        })
      ))

    it("property: list is the filtered append log, less its newest `offset`, cut to its newest `limit`", () =>
      fc.assert(
        fc.asyncProperty(
          fc.array(arbAuditEvent, { maxLength: 30 }),
          fc.option(arbClientId, { nil: undefined }),
          fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
          fc.option(arbStaffId, { nil: undefined }),
          fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
          (generated, clientId, limit, actorStaffId, offset) =>
            run(
              Effect.gen(function* () {
                const log = yield* AuditLog
                yield* seedEventParents
                // Appended in time order with ids rising, so "oldest first" reads the same by append order or by (at, id).
                const inTimeOrder = [...generated].sort((a, b) => a.at - b.at)
                const events = withSequentialIds(inTimeOrder, (id) => AuditEventId.make(id), "audit")
                for (const e of events) yield* log.append(e)
                const query = {
                  ...(clientId === undefined ? {} : { clientId }),
                  ...(limit === undefined ? {} : { limit }),
                  ...(actorStaffId === undefined ? {} : { actorStaffId }),
                  ...(offset === undefined ? {} : { offset })
                }
                const matching = events.filter(
                  (e) => e.organisationId === org1 && (clientId === undefined || e.clientId === clientId) &&
                    (actorStaffId === undefined || (e.actor._tag === "Staff" && e.actor.staffId === actorStaffId))
                )
                const kept = matching.slice(0, Math.max(0, matching.length - (offset ?? 0)))
                const expected = limit === undefined ? kept : kept.slice(kept.length - Math.min(limit, kept.length))
                expect(yield* log.list(org1, query)).toEqual(expected)
              })
            )
        ),
        { numRuns: 100 }
      ))
  })
