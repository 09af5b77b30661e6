import { describe, it } from "vitest"
import * as fc from "fast-check"
import { Attest, type ConsentReal, Deliver, Send, SetBlocked, Text, Wait } from "./consent/commands.js"
import { initialModel } from "./consent/ConsentModel.js"
import { seedScenario } from "./Scenario.js"
import { makeWorld, numRuns } from "./World.js"

const client = fc.integer({ min: 0, max: 2 })
const sender = fc.integer({ min: 0, max: 3 })
const body = fc.constantFrom("STOP", " stop ", "Cancel", "unsubscribe", "START", "yes", "Unstop", "HELP", "info", "hi", "Please stop texting me", "yes please")

const commands = [
  client.map((c) => new Attest(c)),
  fc.tuple(sender, body, fc.integer({ min: 0, max: 4 })).map(([s, b, l]) => new Text(s, b, l)),
  client.map((c) => new Send(c)),
  fc.tuple(client, fc.boolean()).map(([c, b]) => new SetBlocked(c, b)),
  fc.constant(new Deliver()),
  fc.integer({ min: 1, max: 30 }).map((h) => new Wait(h))
]

describe("consent (model-based)", () => {
  it("1 & 3: texts reach only numbers the rules allow; consent is the fold of an append-only ledger; one confirmation per opt-out", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { size: "+1" }), async (cmds) => {
        const world = await makeWorld(seedScenario)
        try {
          const real: ConsentReal = { world, sentSeen: 0, inboundCount: 0, ledgers: new Map() }
          await fc.asyncModelRun(() => ({ model: initialModel(0), real }), [...cmds, new Deliver()])
        } finally {
          await world.dispose()
        }
      }),
      { numRuns: numRuns() }
    )
  })
})
