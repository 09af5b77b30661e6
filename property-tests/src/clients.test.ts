import { ConsentLedger, createClient, Directory, foldLedger, type PhoneNumber } from "@careline/core"
import { Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { lineNumbers, lines, org, seedScenario, staff } from "./Scenario.js"
import { auditTrail, clientTexts } from "./scenarios/Harness.js"
import { makeWorld, outcomeTag, type World } from "./World.js"

let world: World
beforeEach(async () => {
  world = await makeWorld(seedScenario)
})
afterEach(() => world.dispose())

const newNumber = "+15557770001" as PhoneNumber
const consentOf = async (phone: PhoneNumber) => foldLedger(await world.run(ConsentLedger.use((l) => l.history(org, phone)))).state

describe("adding a client", () => {
  it("stores an active client in the creator's organisation and audits it, without content", async () => {
    const client = await world.run(createClient({
      staffId: staff.coord,
      name: " Robin ",
      phones: [{ number: newNumber, label: "mobile", primary: true }],
      email: "robin@example.org"
    }))
    expect(client).toMatchObject({ organisationId: org, name: "Robin", active: true, blocked: false, email: "robin@example.org" })
    expect(Option.getOrThrow(await world.run(Directory.use((d) => d.getClient(client.id))))).toEqual(client)
    const events = (await world.run(auditTrail)).filter((e) => e.action === "client.create")
    expect(events).toEqual([expect.objectContaining({ organisationId: org, actor: { _tag: "Staff", staffId: staff.coord }, clientId: client.id })])
    expect(events[0]?.detail).toBeUndefined()
    expect(await consentOf(newNumber)).toBe("unknown")
  })

  it("records okay to text as the creator's attestation on the primary number", async () => {
    const client = await world.run(createClient({
      staffId: staff.admin,
      name: "Robin",
      phones: [{ number: "+15557770002" as PhoneNumber, label: "home", primary: false }, { number: newNumber, label: "mobile", primary: true }],
      okayToText: true
    }))
    expect(client.phones.map((p) => [p.number, p.okayToText])).toEqual([["+15557770002", false], [newNumber, true]])
    expect(await consentOf(newNumber)).toBe("opted_in")
    expect((await world.run(auditTrail)).filter((e) => e.clientId === client.id).map((e) => e.action)).toEqual(["client.create", "consent.change"])
  })

  it("adds the client but never overrides an opt-out on the number", async () => {
    await world.run(clientTexts(newNumber, lineNumbers[lines.coord]!, "STOP"))
    const client = await world.run(createClient({ staffId: staff.sup, name: "Robin", phones: [{ number: newNumber, label: "mobile", primary: true }], okayToText: true }))
    expect(client.phones[0]?.okayToText).toBe(false)
    expect(await consentOf(newNumber)).toBe("opted_out")
  })

  it("refuses specialists, front office, inactive staff and invalid details, auditing nothing", async () => {
    const phones = [{ number: newNumber, label: "mobile", primary: true }] as const
    expect(outcomeTag(await world.exit(createClient({ staffId: staff.spec1, name: "Robin", phones })))).toBe("AccessDenied")
    expect(outcomeTag(await world.exit(createClient({ staffId: staff.front, name: "Robin", phones })))).toBe("AccessDenied")
    await world.run(Directory.use((d) => d.updateStaff(staff.coord, (s) => ({ ...s, active: false }))))
    expect(outcomeTag(await world.exit(createClient({ staffId: staff.coord, name: "Robin", phones })))).toBe("AccessDenied")
    expect(outcomeTag(await world.exit(createClient({ staffId: staff.admin, name: " ", phones })))).toBe("InvalidClient")
    expect(outcomeTag(await world.exit(createClient({ staffId: staff.admin, name: "Robin", phones: [{ ...phones[0], primary: false }] })))).toBe("InvalidClient")
    expect((await world.run(auditTrail)).filter((e) => e.action === "client.create")).toEqual([])
  })
})
