import { AuditLog, ClientId, Directory, OrganisationId, PhoneNumber } from "@careline/core"
import { Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer } from "../testing/TestServer.js"
import { consentState } from "../testing/Twilio.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

interface ClientRow {
  readonly id: string
  readonly assignedStaffIds: ReadonlyArray<string>
}
const clientIds = async (res: Response) => ((await res.json()) as { clients: ReadonlyArray<ClientRow> }).clients.map((c) => c.id)
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error

const newClient = {
  name: "Jordan New",
  email: "jordan@example.org",
  phones: [
    { number: "+15550001001", label: "mobile", primary: true, okayToText: true },
    { number: "+15550001002", label: "home" }
  ]
}

describe("GET /api/v1/clients", () => {
  it("shows a specialist only the clients currently assigned to them", async () => {
    expect(await clientIds(await server.as("spec1", "/api/v1/clients"))).toEqual(["client_1"])
    expect(await clientIds(await server.as("spec2", "/api/v1/clients"))).toEqual(["client_3"])
  })

  it("shows org-wide roles every client of their organisation, never another's", async () => {
    for (const who of ["admin", "coordinator", "frontOffice"] as const) {
      expect(await clientIds(await server.as(who, "/api/v1/clients"))).toEqual(["client_1", "client_2", "client_3"])
    }
    expect(await clientIds(await server.as("adminB", "/api/v1/clients"))).toEqual(["client_b1"])
  })

  it("lists who is assigned to each client", async () => {
    const res = await server.as("coordinator", "/api/v1/clients")
    const rows = ((await res.json()) as { clients: ReadonlyArray<ClientRow> }).clients
    expect(rows.map((c) => c.assignedStaffIds)).toEqual([["spec_1"], [], ["spec_2"]])
  })
})

describe("POST /api/v1/clients", () => {
  it("lets a coordinator add a client; okay-to-text on the primary number opts it in", async () => {
    const res = await server.as("coordinator", "/api/v1/clients", { body: newClient })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { client: { id: string; phones: ReadonlyArray<{ okayToText: boolean }> }; consent: unknown }
    expect(body.client.id).toMatch(/^cli_/)
    expect(body.client.phones.map((p) => p.okayToText)).toEqual([true, false])
    expect(body.consent).toEqual({ phone: "+15550001001", state: "opted_in" })
    expect(await consentState(server, PhoneNumber.make("+15550001001"))).toBe("opted_in")
    expect(await clientIds(await server.as("coordinator", "/api/v1/clients"))).toContain(body.client.id)
    expect(await clientIds(await server.as("spec1", "/api/v1/clients"))).not.toContain(body.client.id)
    const events = await server.runtime.runPromise(AuditLog.use((log) => log.list(OrganisationId.make("org_a"), { clientId: ClientId.make(body.client.id) })))
    expect(events.map((e) => [e.action, e.actor])).toContainEqual(["client.create", { _tag: "Staff", staffId: "coord" }])
    expect(JSON.stringify(events)).not.toContain("Jordan")
  })

  it("keeps the client's own time zone, and refuses one it does not know with 400", async () => {
    const res = await server.as("coordinator", "/api/v1/clients", { body: { ...newClient, timeZone: "Europe/Lisbon" } })
    expect(res.status).toBe(201)
    const id = ((await res.json()) as { client: { id: string } }).client.id
    const stored = await server.runtime.runPromise(Directory.use((d) => d.getClient(ClientId.make(id))))
    expect(Option.getOrThrow(stored).timeZone).toBe("Europe/Lisbon")
    const bad = await server.as("coordinator", "/api/v1/clients", { body: { ...newClient, name: "Other", phones: [{ number: "+15550001009", label: "mobile", primary: true }], timeZone: "Mars/Base" } })
    expect(bad.status).toBe(400)
    expect((await errorOf(bad)).message).toContain("timeZone")
  })

  it("without okay-to-text leaves consent unknown", async () => {
    const res = await server.as("admin", "/api/v1/clients", { body: { name: "Quinn", phones: [{ number: "+15550001003", label: "work", primary: true }] } })
    expect(res.status).toBe(201)
    expect(((await res.json()) as { consent: unknown }).consent).toEqual({ phone: "+15550001003", state: "unknown" })
  })

  it("refuses specialists and front office with 403", async () => {
    for (const who of ["spec1", "frontOffice"] as const) {
      const res = await server.as(who, "/api/v1/clients", { body: newClient })
      expect(res.status).toBe(403)
      expect((await errorOf(res)).code).toBe("forbidden")
    }
  })

  it.each([
    ["no primary phone", { ...newClient, phones: [{ number: "+15550001001", label: "mobile" }] }, "exactly one phone"],
    ["two primary phones", { ...newClient, phones: newClient.phones.map((p) => ({ ...p, primary: true })) }, "exactly one phone"],
    ["a number that is not E.164", { ...newClient, phones: [{ number: "555-1234", label: "mobile", primary: true }] }, "phones.0.number: a phone number in international form"],
    ["an unknown label", { ...newClient, phones: [{ number: "+15550001001", label: "cell", primary: true }] }, "phones.0.label"],
    ["okay-to-text on a secondary number", { ...newClient, phones: [newClient.phones[0], { ...newClient.phones[1], okayToText: true }] }, "only be recorded for the primary"],
    ["no name", { phones: newClient.phones }, "name: is required but missing"],
    ["a misspelt field", { ...newClient, emial: "x@example.org" }, "emial: is not known here"]
  ])("refuses %s with 400 and says what to fix", async (_, body, expected) => {
    const res = await server.as("coordinator", "/api/v1/clients", { body })
    expect(res.status).toBe(400)
    const error = await errorOf(res)
    expect(error.code).toBe("invalid_request")
    expect(error.message).toContain(expected)
  })

  it("refuses a body that is not JSON with 400", async () => {
    const res = await server.as("coordinator", "/api/v1/clients", { body: "{\"name\": " })
    expect(res.status).toBe(400)
    expect(await errorOf(res)).toEqual({ code: "invalid_request", message: expect.stringContaining("not valid JSON") })
  })
})
