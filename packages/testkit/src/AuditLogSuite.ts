import { AuditEventId, AuditLog, ClientId, type Directory, OrganisationId } from "@careline/core"
import { Effect, type Layer } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { arbAuditEvent, arbClientId, makeAuditEvent, T0, withSequentialIds } from "./fixtures.js"
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

    it("property: list is the filtered append log, cut to its newest `limit`", () =>
      fc.assert(
        fc.asyncProperty(
          fc.array(arbAuditEvent, { maxLength: 30 }),
          fc.option(arbClientId, { nil: undefined }),
          fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
          (generated, clientId, limit) =>
            run(
              Effect.gen(function* () {
                const log = yield* AuditLog
                yield* seedEventParents
                // Appended in time order with ids rising, so "oldest first" reads the same by append order or by (at, id).
                const inTimeOrder = [...generated].sort((a, b) => a.at - b.at)
                const events = withSequentialIds(inTimeOrder, (id) => AuditEventId.make(id), "audit")
                for (const e of events) yield* log.append(e)
                const query = { ...(clientId === undefined ? {} : { clientId }), ...(limit === undefined ? {} : { limit }) }
                const matching = events.filter(
                  (e) => e.organisationId === org1 && (clientId === undefined || e.clientId === clientId)
                )
                const expected = limit === undefined ? matching : matching.slice(matching.length - Math.min(limit, matching.length))
                expect(yield* log.list(org1, query)).toEqual(expected)
              })
            )
        ),
        { numRuns: 100 }
      ))
  })
