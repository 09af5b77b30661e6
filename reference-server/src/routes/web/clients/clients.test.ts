import { ClientId, ConsentLedger, Directory, foldLedger, type PhoneNumber } from "@careline/core"
import { Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { Roster } from "../../../Roster.js"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf } from "../messages/MessagesTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const clientNamed = async (name: string) => {
  const ids = await server.runtime.runPromise(Roster.use((r) => r.clientIdsOf(world.staff.admin.organisationId)))
  const clients = await server.runtime.runPromise(Directory.use((d) => d.getClients(ids)))
  return clients.find((c) => c.name === name)
}

const newClient = (fields: Record<string, string>) => ({
  name: "Jordan New",
  number1: "+1 (555) 700-0001",
  label1: "mobile",
  primary: "1",
  ...fields
})

describe("the client list", () => {
  it("shows a specialist only the clients currently assigned to them", async () => {
    const page = await (await (await server.signIn("spec1")).request("/clients")).text()
    expect(page).toContain("Casey One")
    expect(page).not.toContain("Robin Two")
    expect(page).not.toContain("Sky Three")
    expect(page).not.toContain("Bea Other")
  })

  it("shows org-wide roles every client of their organisation, and searches by name or phone", async () => {
    const browser = await server.signIn("coordinator")
    const all = await (await browser.request("/clients")).text()
    for (const name of ["Casey One", "Robin Two", "Sky Three"]) expect(all).toContain(name)
    expect(all).not.toContain("Bea Other")
    const byName = await (await browser.request("/clients?q=robin")).text()
    expect(byName).toContain("Robin Two")
    expect(byName).not.toContain("Casey One")
    const digits = world.clients.c3.phones[0]!.number.slice(-7)
    const byPhone = await (await browser.request(`/clients?q=${digits}`)).text()
    expect(byPhone).toContain("Sky Three")
    expect(byPhone).not.toContain("Robin Two")
  })

  it("offers the New client form to coordinators and up only", async () => {
    expect(await (await (await server.signIn("coordinator")).request("/clients")).text()).toContain('action="/clients"')
    expect(await (await (await server.signIn("spec1")).request("/clients")).text()).not.toContain('method="post" action="/clients"')
    const refused = await (await server.signIn("spec1")).request("/clients", { form: newClient({}), csrf: true })
    expect(refused.status).toBe(403)
    expect(await clientNamed("Jordan New")).toBeUndefined()
  })
})

describe("adding a client", () => {
  it("creates the client through the core, audited, with the primary number opted in when okay to text is ticked", async () => {
    const browser = await server.signIn("coordinator")
    const answer = await browser.request("/clients", {
      form: newClient({ email: "jordan@example.org", timeZone: "America/Denver", number2: "+15557000002", label2: "home", okay: "yes" }),
      csrf: true
    })
    expect(answer.status).toBe(303)
    const client = await clientNamed("Jordan New")
    expect(client).toBeDefined()
    expect(client!.timeZone).toBe("America/Denver")
    expect(answer.headers.get("location")).toBe(`/clients/${client!.id}?done=created`)
    expect(client!.phones).toEqual([
      { number: "+15557000001", label: "mobile", primary: true, okayToText: true },
      { number: "+15557000002", label: "home", primary: false, okayToText: false }
    ])
    const ledger = await server.runtime.runPromise(ConsentLedger.use((l) => l.history(client!.organisationId, "+15557000001" as PhoneNumber)))
    expect(foldLedger(ledger).state).toBe("opted_in")
    const events = (await auditOf(server)).filter((e) => e.clientId === client!.id).map((e) => e.action)
    expect(events).toEqual(expect.arrayContaining(["client.create", "consent.change"]))
    const profile = await (await browser.request(answer.headers.get("location")!)).text()
    expect(profile).toContain("Client added.")
  })

  it("refuses bad input with 422 and every problem in words, keeps what was typed, and writes nothing", async () => {
    const browser = await server.signIn("coordinator")
    const cases: ReadonlyArray<[Record<string, string>, string]> = [
      [newClient({ name: "  " }), "Enter the client&#39;s name."],
      [newClient({ number1: "555-1234" }), "Phone 1: enter the number in international form"],
      [newClient({ email: "not an email" }), "Enter the email as name@example.org"],
      [newClient({ number2: "+15557000001", label2: "home" }), "A phone number is listed twice."],
      [newClient({ primary: "2" }), "Choose which number is the primary one"],
      [newClient({ label1: "pager" }), "Phone 1: pick mobile, home or work."],
      [newClient({ timeZone: "Mars/Olympus_Mons" }), "Choose the time zone from the list"]
    ]
    for (const [form, words] of cases) {
      const answer = await browser.request("/clients", { form, csrf: true })
      expect(answer.status).toBe(422)
      const page = await answer.text()
      expect(page).toContain(words)
      expect(page).toContain("The client was not added")
    }
    expect(await clientNamed("Jordan New")).toBeUndefined()
    expect((await auditOf(server)).filter((e) => e.action === "client.create")).toEqual([])
    const kept = await (await browser.request("/clients", { form: newClient({ number1: "nope", email: "j@example.org" }), csrf: true })).text()
    expect(kept).toContain('value="Jordan New"')
    expect(kept).toContain('value="j@example.org"')
  })

  it("refuses a name with a NUL (it would be stored cut short) and writes nothing; the client list still works", async () => {
    const browser = await server.signIn("coordinator")
    const answer = await browser.request("/clients", { form: newClient({ name: "\u0000" }), csrf: true })
    expect(answer.status).toBe(422)
    expect(await answer.text()).toContain("Use letters, numbers, spaces and punctuation only in the name.")
    expect((await auditOf(server)).filter((e) => e.action === "client.create")).toEqual([])
    expect((await browser.request("/clients")).status).toBe(200)
  })

  it("refuses a post without the CSRF token", async () => {
    const browser = await server.signIn("coordinator")
    expect((await browser.request("/clients", { form: newClient({}) })).status).toBe(403)
    expect((await browser.request("/clients", { form: { ...newClient({}), _csrf: "x".repeat(43) } })).status).toBe(403)
    expect(await clientNamed("Jordan New")).toBeUndefined()
  })

  it("renders names and labels with markup as inert text", async () => {
    const browser = await server.signIn("admin")
    const evil = `<script>alert(1)</script><img src=x onerror=alert(2) hx-get="/sign-out">`
    const answer = await browser.request("/clients", { form: newClient({ name: evil }), csrf: true })
    expect(answer.status).toBe(303)
    const client = await clientNamed(evil)
    for (const path of ["/clients", `/clients/${client!.id}`]) {
      const page = await (await browser.request(path)).text()
      expect(page).not.toContain("<script>alert(1)")
      expect(page).not.toContain('<img src=x')
      expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
      expect(page).toContain("hx-get=&quot;/sign-out&quot;")
    }
    const refused = await (await browser.request("/clients", { form: newClient({ name: evil, label1: `"><script>x</script>` }), csrf: true })).text()
    expect(refused).not.toContain("<script>x")
  })
})

describe("the profile's access policy", () => {
  it("is 404 for a specialist's unassigned client, another organisation's client and an unknown id; the assigned one is shown", async () => {
    const browser = await server.signIn("spec1")
    for (const id of [world.clients.c2.id, world.clients.b1.id, ClientId.make("cli_nope"), "%3Cscript%3E"]) {
      const answer = await browser.request(`/clients/${id}`)
      expect(answer.status).toBe(404)
      expect(await answer.text()).toContain("This client does not exist, or you do not have access to them.")
    }
    const own = await browser.request(`/clients/${world.clients.c1.id}`)
    expect(own.status).toBe(200)
    const page = await own.text()
    expect(page).toContain("Casey One")
    expect(page).toContain(world.clients.c1.phones[0]!.number)
    expect(page).toContain("Has not opted in to texts")
  })

  it("turns 404 once the specialist is unassigned, and their actions too", async () => {
    const admin = await server.signIn("admin")
    expect((await admin.request(`/clients/${world.clients.c1.id}/assignments/${world.staff.spec1.id}/end`, { form: {}, csrf: true })).status).toBe(303)
    const spec = await server.signIn("spec1")
    expect((await spec.request(`/clients/${world.clients.c1.id}`)).status).toBe(404)
    expect((await spec.request(`/clients/${world.clients.c1.id}/attest`, { form: {}, csrf: true })).status).toBe(404)
    const client = await server.runtime.runPromise(Directory.use((d) => d.getClient(world.clients.c1.id)))
    expect(Option.getOrThrow(client).phones[0]!.okayToText).toBe(false)
  })
})
