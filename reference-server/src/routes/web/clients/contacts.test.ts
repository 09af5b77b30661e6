import { Directory, listInbox, type PhoneNumber } from "@careline/core"
import { Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { contactLabel } from "../../../web/ContactLabel.js"
import { auditOf, channelIdOf, channelOf, textIn } from "../messages/MessagesTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const stranger = "+15550009999" as PhoneNumber

/** An unknown number has texted the organisation line (seen by org-wide roles). */
const unknownChannel = async () => {
  await textIn(server, stranger, world.lines.org.number, "Hi, it's Robin on my new phone")
  return channelIdOf(server, world.lines.org, stranger)
}

const clientOf = async (id: string) => Option.getOrThrow(await server.runtime.runPromise(Directory.use((d) => d.getClient(id as typeof world.clients.c1.id))))

describe("contacts (S4)", () => {
  it("shows an unknown number as its number, and known numbers as \"Name – Label\"", async () => {
    expect(contactLabel(undefined, stranger)).toBe(stranger)
    expect(contactLabel(world.clients.c1, world.clients.c1.phones[0]!.number)).toBe("Casey One – Mobile")
    const id = await unknownChannel()
    const page = await (await (await server.signIn("coordinator")).request(`/contacts/${id}`)).text()
    expect(page).toContain(`Unknown number ${stranger}`)
    expect(page).toContain("Add as new client")
    expect(page).toContain("Attach to existing client")
  })

  it("attaches the number to an existing client: it joins their phones and the conversation becomes theirs", async () => {
    const id = await unknownChannel()
    const browser = await server.signIn("coordinator")
    const answer = await browser.request(`/contacts/${id}/attach`, { form: { clientId: world.clients.c2.id, label: "work" }, csrf: true })
    expect(answer.status).toBe(303)
    expect(answer.headers.get("location")).toBe(`/clients/${world.clients.c2.id}?done=attached`)
    expect((await clientOf(world.clients.c2.id)).phones).toContainEqual({ number: stranger, label: "work", primary: false, okayToText: false })
    expect((await channelOf(server, id)).clientId).toBe(world.clients.c2.id)
    const rows = await server.runtime.runPromise(listInbox({ staffId: world.staff.coordinator.id }))
    expect(rows.find((r) => r.channel.id === id)?.contact).toBe("Robin Two – Work")
    expect((await auditOf(server)).filter((e) => e.action === "client.phones").map((e) => e.detail)).toEqual(["contact attached"])
    expect((await browser.request(`/contacts/${id}`)).headers.get("location")).toBe(`/clients/${world.clients.c2.id}`)
  })

  it("adds the number as a new client with it as the primary number", async () => {
    const id = await unknownChannel()
    const browser = await server.signIn("coordinator")
    const refused = await browser.request(`/contacts/${id}/new`, { form: { name: " ", label: "mobile" }, csrf: true })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain("Enter the client&#39;s name.")
    const answer = await browser.request(`/contacts/${id}/new`, { form: { name: "Robin New", label: "mobile" }, csrf: true })
    expect(answer.status).toBe(303)
    const clientId = (await channelOf(server, id)).clientId!
    expect(answer.headers.get("location")).toBe(`/clients/${clientId}?done=attached`)
    const client = await clientOf(clientId)
    expect(client).toMatchObject({ name: "Robin New", phones: [{ number: stranger, label: "mobile", primary: true, okayToText: false }] })
    expect((await auditOf(server)).filter((e) => e.clientId === clientId).map((e) => e.action)).toEqual(expect.arrayContaining(["client.create", "client.phones"]))
  })

  it("is 404 for a conversation the staff member cannot see, and only coordinators and up add clients", async () => {
    const id = await unknownChannel()
    const spec = await server.signIn("spec1")
    expect((await spec.request(`/contacts/${id}`)).status).toBe(404)
    expect((await spec.request(`/contacts/${id}/attach`, { form: { clientId: world.clients.c1.id, label: "home" }, csrf: true })).status).toBe(404)
    await textIn(server, stranger, world.lines.spec1.number, "hello spec 1")
    const own = await channelIdOf(server, world.lines.spec1, stranger)
    const page = await (await spec.request(`/contacts/${own}`)).text()
    expect(page).toContain("Coordinators, supervisors and admins add clients.")
    expect((await spec.request(`/contacts/${own}/new`, { form: { name: "X", label: "mobile" }, csrf: true })).status).toBe(403)
    expect((await spec.request(`/contacts/${own}/attach`, { form: { clientId: world.clients.c2.id, label: "home" }, csrf: true })).status).toBe(404)
    expect((await clientOf(world.clients.c2.id)).phones).toHaveLength(1)
    expect((await spec.request(`/contacts/${own}/attach`, { form: { clientId: world.clients.c1.id, label: "home" }, csrf: true })).status).toBe(303)
    expect((await channelOf(server, own)).clientId).toBe(world.clients.c1.id)
  })

  it("refuses a post without the CSRF token", async () => {
    const id = await unknownChannel()
    const browser = await server.signIn("coordinator")
    expect((await browser.request(`/contacts/${id}/attach`, { form: { clientId: world.clients.c2.id, label: "work" } })).status).toBe(403)
    expect((await channelOf(server, id)).clientId).toBeUndefined()
  })
})
