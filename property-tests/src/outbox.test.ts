import type { SendOutcome } from "@careline/adapter-fake-sms"
import { attestConsent, CLAIM_LEASE_MS, makeOutboxDispatcher } from "@careline/core"
import { Effect } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Advance, type Coverage, Crash, DispatchOnce, Drain, Inject, type OutboxReal, Send } from "./outbox/commands.js"
import { initialModel } from "./outbox/OutboxModel.js"
import { clients, seedScenario, staff } from "./Scenario.js"
import { makeWorld, numRuns } from "./World.js"

const outcome: fc.Arbitrary<SendOutcome> = fc.oneof(
  fc.constant({ _tag: "Succeed" } as const),
  fc.option(fc.constantFrom(500, 3_000, 20_000), { nil: undefined }).map((retryAfterMs): SendOutcome =>
    retryAfterMs === undefined ? { _tag: "Fail", reason: "Transient" } : { _tag: "Fail", reason: "Transient", retryAfterMs }),
  fc.constant({ _tag: "Fail", reason: "Indeterminate" } as const),
  fc.constant({ _tag: "Fail", reason: "Rejected", code: "30007" } as const),
  fc.constant({ _tag: "Fail", reason: "InvalidNumber", code: "21211" } as const),
  fc.constant({ _tag: "Fail", reason: "RecipientUnsubscribed", code: "21610" } as const)
)

const commands = [
  fc.integer({ min: 0, max: 2 }).map((c) => new Send(c)),
  fc.array(outcome, { minLength: 1, maxLength: 3 }).map((plan) => new Inject(plan)),
  /** A provider outage: enough transient failures in a row to exhaust one text's attempts. */
  fc.integer({ min: 3, max: 6 }).map((n) => new Inject(Array.from({ length: n }, (): SendOutcome => ({ _tag: "Fail", reason: "Transient" })))),
  fc.constant(new DispatchOnce()),
  fc.constantFrom(10, 500, 2_000, 8_000, 30_000, CLAIM_LEASE_MS).map((ms) => new Advance(ms)),
  fc.integer({ min: 1, max: 3 }).map((n) => new Crash(n)),
  fc.constant(new Drain())
]

/** All three clients opted in by the coordinator's attestation: every refusal then comes from the provider. */
const seedWithConsent = Effect.gen(function* () {
  yield* seedScenario
  for (const clientId of clients) yield* attestConsent({ staffId: staff.coord, clientId })
})

describe("outbox (model-based, with provider faults and crashes)", () => {
  it("7: never sent twice, nothing lost; unknown is never re-sent; a live lease is never taken, an ended one turns unknown; unsubscribed numbers opt out; transient failures retry once each", async () => {
    const coverage: Coverage = { retriedThenSent: 0, retriesExhausted: 0, indeterminate: 0, crashed: 0, leaseExpired: 0, refusedAfterUnsubscribe: 0, consentRequired: 0 }
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { size: "+1" }), async (cmds) => {
        const world = await makeWorld(seedWithConsent)
        try {
          const real: OutboxReal = { world, dispatcher: await world.run(makeOutboxDispatcher), texts: 0, coverage }
          await fc.asyncModelRun(() => ({ model: initialModel(), real }), [...cmds, new Drain()])
        } finally {
          await world.dispose()
        }
      }),
      { numRuns: numRuns() }
    )
    if (numRuns() >= 100) {
      for (const [situation, count] of Object.entries(coverage)) expect(count, `runs reached "${situation}"`).toBeGreaterThan(0)
    }
  })
})
