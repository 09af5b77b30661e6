import { ConsentLedger, type Directory, OrganisationId } from "@careline/core"
import { Effect, type Layer } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { arbConsentEntry, makeConsentEntry, phone, T0 } from "./fixtures.js"
import { pooledOrganisations, seedDirectory } from "./ParentRecords.js"
import { runWith } from "./runEffect.js"

const org1 = OrganisationId.make("org_1")
const org2 = OrganisationId.make("org_2")

/** Every entry below is of `org_1` or `org_2`: stored first, for a store that enforces references. */
const seedOrganisations = seedDirectory({ organisations: pooledOrganisations })

/**
 * The behaviour every `ConsentLedger` adapter must show. Each test runs against a fresh build of `layer`
 * (which may fail to build: the test then fails with why), after storing the organisations its entries
 * belong to through the layer's `Directory`, so that it holds on a store that enforces references.
 *
 * @example
 * ```ts
 * consentLedgerSuite("memory", MemoryStores.layer)
 * ```
 */
export const consentLedgerSuite = (name: string, layer: Layer.Layer<ConsentLedger | Directory, unknown>) =>
  describe(`ConsentLedger (${name})`, () => {
    const run = runWith(layer)

    it("has no history for a number it never saw", () =>
      run(Effect.gen(function* () {
        expect(yield* (yield* ConsentLedger).history(org1, phone(1))).toEqual([])
      })))

    it("keeps the history of one (organisation, phone) in append order, even when times tie or go back", () =>
      run(
        Effect.gen(function* () {
          const ledger = yield* ConsentLedger
          yield* seedOrganisations
          const entries = [
            makeConsentEntry({ at: T0, state: "pending", source: "opt_in_request", evidence: "message_1" }),
            makeConsentEntry({ at: T0, state: "opted_in", source: "keyword", evidence: "message_2" }),
            makeConsentEntry({ at: T0 - 5, state: "opted_out", source: "provider_error", evidence: "21610" })
          ]
          yield* ledger.append(entries[0]!)
          yield* ledger.append(makeConsentEntry({ phone: phone(2) }))
          yield* ledger.append(entries[1]!)
          yield* ledger.append(makeConsentEntry({ organisationId: org2 }))
          yield* ledger.append(entries[2]!)
          expect(yield* ledger.history(org1, phone(1))).toEqual(entries)
          expect(yield* ledger.history(org1, phone(2))).toEqual([makeConsentEntry({ phone: phone(2) })])
          expect(yield* ledger.history(org2, phone(1))).toEqual([makeConsentEntry({ organisationId: org2 })])
        })
      ))

    it("appendIfCurrent appends only onto the history it was decided on", () =>
      run(
        Effect.gen(function* () {
          const ledger = yield* ConsentLedger
          yield* seedOrganisations
          const first = makeConsentEntry({ state: "pending", source: "opt_in_request" })
          const second = makeConsentEntry({ state: "opted_out", source: "keyword" })
          expect(yield* ledger.appendIfCurrent(first, 0)).toBe(true)
          expect(yield* ledger.appendIfCurrent(second, 0)).toBe(false)
          expect(yield* ledger.appendIfCurrent(makeConsentEntry({ phone: phone(2) }), 0)).toBe(true)
          expect(yield* ledger.appendIfCurrent(second, 1)).toBe(true)
          expect(yield* ledger.history(org1, phone(1))).toEqual([first, second])
        })
      ))

    it("of many concurrent appendIfCurrent on one history, exactly one wins", () =>
      run(
        Effect.gen(function* () {
          const ledger = yield* ConsentLedger
          yield* seedOrganisations
          const outcomes = yield* Effect.all(
            Array.from({ length: 10 }, (_, i) => ledger.appendIfCurrent(makeConsentEntry({ evidence: `message_${i}` }), 0)),
            { concurrency: "unbounded" }
          )
          expect(outcomes.filter(Boolean)).toHaveLength(1)
          expect(yield* ledger.history(org1, phone(1))).toHaveLength(1)
        })
      ))

    it("keeps identical entries appended twice", () =>
      run(
        Effect.gen(function* () {
          const ledger = yield* ConsentLedger
          yield* seedOrganisations
          yield* ledger.append(makeConsentEntry())
          yield* ledger.append(makeConsentEntry())
          expect(yield* ledger.history(org1, phone(1))).toEqual([makeConsentEntry(), makeConsentEntry()])
        })
      ))

    it("property: each history is the appended entries of that (organisation, phone), in append order", () =>
      fc.assert(
        fc.asyncProperty(fc.array(arbConsentEntry, { maxLength: 30 }), (entries) =>
          run(
            Effect.gen(function* () {
              const ledger = yield* ConsentLedger
              yield* seedOrganisations
              for (const entry of entries) yield* ledger.append(entry)
              for (const organisationId of [org1, org2]) {
                for (const n of [1, 2, 3]) {
                  expect(yield* ledger.history(organisationId, phone(n))).toEqual(
                    entries.filter((e) => e.organisationId === organisationId && e.phone === phone(n))
                  )
                }
              }
            })
          )
        ),
        { numRuns: 50 }
      ))
  })
