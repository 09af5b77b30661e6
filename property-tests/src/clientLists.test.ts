import {
  type ClientId,
  ClientListId,
  createClientList,
  deleteClientList,
  Directory,
  listClientLists,
  renameClientList,
  useClientList
} from "@careline/core"
import * as fc from "fast-check"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { clients, seedScenario, staff } from "./Scenario.js"
import { auditTrail } from "./scenarios/Harness.js"
import { makeWorld, numRuns, outcomeTag, type World } from "./World.js"

let world: World
beforeEach(async () => {
  world = await makeWorld(seedScenario)
})
afterEach(() => world.dispose())

const assign = (clientId: ClientId, at: number) => Directory.use((d) => d.startAssignment({ staffId: staff.spec1, clientId, from: at }))
const unassign = (clientId: ClientId, at: number) => Directory.use((d) => d.endAssignment(staff.spec1, clientId, at))

describe("saved client lists (S3)", () => {
  it("keeps only clients the creator may access, lists them by name, and refuses a blank name or no client", async () => {
    const now = await world.now()
    await world.run(assign(clients[0], now))
    const list = await world.run(createClientList({ staffId: staff.spec1, name: "  Tuesday group ", clientIds: [clients[0], clients[1], clients[0]] }))
    expect(list).toMatchObject({ name: "Tuesday group", ownerId: staff.spec1, clientIds: [clients[0]] })
    await world.run(createClientList({ staffId: staff.spec1, name: "Alumni", clientIds: [clients[0]] }))
    expect((await world.run(listClientLists({ staffId: staff.spec1 }))).map((l) => l.name)).toEqual(["Alumni", "Tuesday group"])
    expect(await world.run(listClientLists({ staffId: staff.coord }))).toEqual([])
    expect(outcomeTag(await world.exit(createClientList({ staffId: staff.spec1, name: "   ", clientIds: [clients[0]] })))).toBe("InvalidClientList")
    expect(outcomeTag(await world.exit(createClientList({ staffId: staff.spec1, name: "x".repeat(81), clientIds: [clients[0]] })))).toBe("InvalidClientList")
    expect(outcomeTag(await world.exit(createClientList({ staffId: staff.spec1, name: "Not mine", clientIds: [clients[1]] })))).toBe("InvalidClientList")
  })

  it("is its owner's alone: another staff member cannot use, rename or delete it (NotFound)", async () => {
    const list = await world.run(createClientList({ staffId: staff.coord, name: "Group", clientIds: [...clients] }))
    for (const other of [staff.sup, staff.spec1, staff.outsider]) {
      expect(outcomeTag(await world.exit(useClientList({ staffId: other, listId: list.id })))).toBe("NotFound")
      expect(outcomeTag(await world.exit(renameClientList({ staffId: other, listId: list.id, name: "Mine now" })))).toBe("NotFound")
      expect(outcomeTag(await world.exit(deleteClientList({ staffId: other, listId: list.id })))).toBe("NotFound")
    }
    expect(outcomeTag(await world.exit(useClientList({ staffId: staff.coord, listId: ClientListId.make("lst_none") })))).toBe("NotFound")
    expect((await world.run(useClientList({ staffId: staff.coord, listId: list.id }))).clientIds).toEqual([...clients])
  })

  it("audits create, rename and delete by list id and size, never a list's or a client's name", async () => {
    const list = await world.run(createClientList({ staffId: staff.coord, name: "Client 1 and friends", clientIds: [clients[0], clients[2]] }))
    await world.run(renameClientList({ staffId: staff.coord, listId: list.id, name: "Client 3 group" }))
    await world.run(deleteClientList({ staffId: staff.coord, listId: list.id }))
    expect(outcomeTag(await world.exit(useClientList({ staffId: staff.coord, listId: list.id })))).toBe("NotFound")
    const events = (await world.run(auditTrail)).filter((e) => e.action.startsWith("client_list."))
    expect(events.map((e) => [e.action, e.detail])).toEqual([
      ["client_list.create", `list=${list.id} clients=2`],
      ["client_list.update", `list=${list.id} renamed`],
      ["client_list.delete", `list=${list.id} clients=2`]
    ])
    for (const event of events) {
      expect(event.actor).toEqual({ _tag: "Staff", staffId: staff.coord })
      expect(event.detail).not.toMatch(/Client \d|friends|group/)
    }
  })

  it("property: using a list gives exactly its clients the owner may access now, in list order, and counts the rest", async () => {
    const arbChanges = fc.array(fc.record({ client: fc.constantFrom(...clients), assigned: fc.boolean() }), { maxLength: 8 })
    await fc.assert(
      fc.asyncProperty(fc.subarray([...clients], { minLength: 1 }), arbChanges, async (members, changes) => {
        const local = await makeWorld(seedScenario)
        try {
          let at = await local.now()
          for (const client of members) await local.run(assign(client, at))
          const list = await local.run(createClientList({ staffId: staff.spec1, name: "Mine", clientIds: members }))
          const assigned = new Set<ClientId>(members)
          for (const change of changes) {
            at += 1
            if (change.assigned && !assigned.has(change.client)) await local.run(assign(change.client, at))
            if (!change.assigned) await local.run(unassign(change.client, at))
            if (change.assigned) assigned.add(change.client)
            else assigned.delete(change.client)
          }
          const used = await local.run(useClientList({ staffId: staff.spec1, listId: list.id }))
          expect(used.clientIds).toEqual(members.filter((c) => assigned.has(c)))
          expect(used.leftOut).toBe(members.length - used.clientIds.length)
        } finally {
          await local.dispose()
        }
      }),
      { numRuns: Math.min(numRuns(), 40) }
    )
  })
})
