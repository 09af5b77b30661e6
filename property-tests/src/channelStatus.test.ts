import { attestConsent } from "@careline/core"
import { Effect } from "effect"
import * as fc from "fast-check"
import { describe, it } from "vitest"
import { Act, type ChannelStatusReal, Inbound, Read, Reply } from "./channelStatus/commands.js"
import { initialModel } from "./channelStatus/ChannelModel.js"
import { clients, seedScenario, staff } from "./Scenario.js"
import { makeWorld, numRuns } from "./World.js"

const client = fc.integer({ min: 0, max: 2 })
/** Plain words only: no consent keyword fires, so every inbound text is just a client's message. */
const body = fc.constantFrom("hello", "running late", "Can we move it to 3pm?", "thanks")
const action = fc.constantFrom("markOpen", "markDone", "archive", "unarchive", "mute", "hide") as fc.Arbitrary<Act["action"]>

const commands = [
  fc.tuple(client, body).map(([c, b]) => new Inbound(c, b)),
  fc.tuple(client, fc.boolean()).map(([c, via]) => new Reply(c, via)),
  client.map((c) => new Read(c)),
  fc.tuple(client, action).map(([c, a]) => new Act(c, a))
]

/** The three clients texted "okay to text" by the coordinator, so staff replies are allowed. */
const seedWithConsent = Effect.gen(function* () {
  yield* seedScenario
  for (const clientId of clients) yield* attestConsent({ staffId: staff.coord, clientId })
})

describe("channel status (model-based)", () => {
  it("4: status, archive, unread count and per-staff hide/mute follow the rules; the inbox lists a channel under a filter iff the model does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { size: "+1" }), async (cmds) => {
        const world = await makeWorld(seedWithConsent)
        try {
          const real: ChannelStatusReal = { world, inboundCount: 0 }
          await fc.asyncModelRun(() => ({ model: initialModel(), real }), cmds)
        } finally {
          await world.dispose()
        }
      }),
      { numRuns: numRuns() }
    )
  })
})
