import { ConsentLedger, defaultTemplates, ProviderMessageId, receiveInbound } from "@careline/core"
import { Effect } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { yieldingStores } from "./idempotency/YieldingStores.js"
import { freshStores } from "./StoresUnderTest.js"
import { clientPhones, lineNumbers, lines, org, seedScenario } from "./Scenario.js"
import { sentTexts } from "./scenarios/Harness.js"
import { makeWorld, numRuns } from "./World.js"

const templates = defaultTemplates("Harbour Care")
const body = fc.constantFrom("STOP", "stop", "START", "YES", "HELP", "hi", "hello")

describe("consent under concurrent texts", () => {
  it("texts from one number that arrive together: every ledger entry is a real change, and each is answered exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 2, maxLength: 8 }), async (bodies) => {
        const world = await makeWorld(seedScenario, yieldingStores(freshStores()))
        try {
          const from = clientPhones[0]
          await world.run(Effect.all(
            bodies.map((b, i) => receiveInbound({ providerMessageId: ProviderMessageId.make(`SMc${i}`), from, to: lineNumbers[lines.coord]!, body: b })),
            { concurrency: "unbounded" }
          ))
          await world.drainOutbox()
          const history = await world.run(ConsentLedger.use((l) => l.history(org, from)))
          history.forEach((entry, i) => {
            const previous = i === 0 ? "unknown" : history[i - 1]!.state
            if (entry.source !== "opt_in_request") expect(entry.state, `entry ${i} changes the state`).not.toBe(previous)
          })
          expect(history.filter((e) => e.source === "opt_in_request").length, "one opt-in request a day").toBeLessThanOrEqual(1)
          const sent = (await world.run(sentTexts)).map((s) => s.body)
          const count = (text: string) => sent.filter((b) => b === text).length
          expect(count(templates.optOutConfirmation)).toBe(history.filter((e) => e.state === "opted_out").length)
          // A request is withheld at hand-over if the number opted in or out meanwhile; never sent twice.
          expect(count(templates.optInRequest)).toBeLessThanOrEqual(history.filter((e) => e.source === "opt_in_request").length)
        } finally {
          await world.dispose()
        }
      }),
      { numRuns: numRuns() }
    )
  })
})
