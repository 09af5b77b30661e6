import type { StaffRole } from "@careline/core"
import * as fc from "fast-check"
import { describe, it } from "vitest"
import { seedScenario } from "./Scenario.js"
import { Assign, CheckInbox, everyone, Inbound, mutableStaff, Read, SetMembers, SetRole, type VisibilityReal } from "./visibility/commands.js"
import { initialModel } from "./visibility/VisibilityModel.js"
import { makeWorld, numRuns } from "./World.js"

const who = fc.constantFrom(...mutableStaff)
const anyone = fc.constantFrom(...everyone)
const role = fc.constantFrom<StaffRole>("specialist", "coordinator", "supervisor", "admin", "front_office")
const client = fc.integer({ min: 0, max: 2 })

const commands = [
  fc.tuple(who, client, fc.boolean()).map(([w, c, on]) => new Assign(w, c, on)),
  fc.tuple(who, role).map(([w, r]) => new SetRole(w, r)),
  fc.subarray([...mutableStaff]).map((m) => new SetMembers(m)),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 })).map(([f, l]) => new Inbound(f, l)),
  anyone.map((w) => new CheckInbox(w)),
  fc.tuple(anyone, fc.nat()).map(([w, p]) => new Read(w, p))
]

describe("access policy (model-based)", () => {
  it("2: every staff member sees exactly the model's channels, across assignments, roles and queue membership; reassigning restores the history", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { size: "+1" }), async (cmds) => {
        const world = await makeWorld(seedScenario)
        try {
          const real: VisibilityReal = { world, inboundCount: 0 }
          await fc.asyncModelRun(() => ({ model: initialModel(), real }), [...cmds, ...everyone.map((w) => new CheckInbox(w))])
        } finally {
          await world.dispose()
        }
      }),
      { numRuns: numRuns() }
    )
  })
})
