import { attachContact, Conversations, Directory, listInbox, type PhoneNumber, updatePhones } from "@careline/core"
import { Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { clientPhones, clients, lineNumbers, lines, seedScenario, staff, unknownPhone } from "./Scenario.js"
import { auditTrail, clientTexts } from "./scenarios/Harness.js"
import { makeWorld, outcomeTag, type World } from "./World.js"

let world: World
beforeEach(async () => {
  world = await makeWorld(seedScenario)
})
afterEach(() => world.dispose())

const clientOf = async (id: (typeof clients)[number]) => Option.getOrThrow(await world.run(Directory.use((d) => d.getClient(id))))
const second = "+15558880002" as PhoneNumber

describe("editing a client's phones", () => {
  it("relabels, adds a number, moves the primary, keeps okay-to-text with its number, and audits without numbers", async () => {
    await world.run(updatePhones({
      staffId: staff.coord,
      clientId: clients[0],
      phones: [{ number: clientPhones[0], label: "home", primary: false }, { number: second, label: "mobile", primary: true }]
    }))
    expect((await clientOf(clients[0])).phones).toEqual([
      { number: clientPhones[0], label: "home", primary: false, okayToText: false },
      { number: second, label: "mobile", primary: true, okayToText: false }
    ])
    const [event] = (await world.run(auditTrail)).filter((e) => e.action === "client.phones")
    expect(event).toMatchObject({ clientId: clients[0], actor: { _tag: "Staff", staffId: staff.coord }, detail: "phones=2 added=1 removed=0" })
    expect(event?.detail).not.toContain(second)
  })

  it("refuses no primary, two primaries or a number twice, and a staff member without access", async () => {
    const bad = [
      [{ number: clientPhones[0], label: "home", primary: false }],
      [{ number: clientPhones[0], label: "home", primary: true }, { number: second, label: "work", primary: true }],
      [{ number: clientPhones[0], label: "home", primary: true }, { number: clientPhones[0], label: "work", primary: false }]
    ] as const
    for (const phones of bad) expect(outcomeTag(await world.exit(updatePhones({ staffId: staff.coord, clientId: clients[0], phones })))).toBe("InvalidClient")
    const phones = [{ number: second, label: "mobile", primary: true }] as const
    expect(outcomeTag(await world.exit(updatePhones({ staffId: staff.spec2, clientId: clients[0], phones })))).toBe("AccessDenied")
    expect((await clientOf(clients[0])).phones.map((p) => p.number)).toEqual([clientPhones[0]])
    expect((await world.run(auditTrail)).filter((e) => e.action === "client.phones")).toEqual([])
  })
})

describe("attaching an unknown number to a client (S4)", () => {
  it("adds the number to the client and the channel becomes theirs: the inbox shows \"Name – Label\"", async () => {
    const stored = await world.run(clientTexts(unknownPhone, lineNumbers[lines.coord]!, "new phone, it's me"))
    if (stored._tag !== "Stored") throw new Error("not stored")
    await world.run(attachContact({ staffId: staff.coord, channelId: stored.channel.id, clientId: clients[1], label: "work" }))
    expect((await clientOf(clients[1])).phones).toContainEqual({ number: unknownPhone, label: "work", primary: false, okayToText: false })
    const channel = Option.getOrThrow(await world.run(Conversations.use((c) => c.getChannel(stored.channel.id))))
    expect(channel.clientId).toBe(clients[1])
    const [row] = await world.run(listInbox({ staffId: staff.coord }))
    expect(row?.contact).toBe("Client 2 – Work")
    expect((await world.run(auditTrail)).filter((e) => e.action === "client.phones").map((e) => e.detail)).toEqual(["contact attached"])
  })

  it("refuses a channel the staff member cannot see and a channel that already has a client", async () => {
    const stored = await world.run(clientTexts(unknownPhone, lineNumbers[lines.coord]!, "hello"))
    if (stored._tag !== "Stored") throw new Error("not stored")
    const attach = (staffId: typeof staff.spec1, clientId: (typeof clients)[number]) =>
      world.exit(attachContact({ staffId, channelId: stored.channel.id, clientId, label: "mobile" }))
    expect(outcomeTag(await attach(staff.spec1, clients[0]))).toBe("AccessDenied")
    expect(outcomeTag(await attach(staff.coord, clients[0]))).toBe("ok")
    expect(outcomeTag(await attach(staff.coord, clients[2]))).toBe("InvalidClient")
    expect((await clientOf(clients[2])).phones.map((p) => p.number)).toEqual([clientPhones[2]])
  })
})
