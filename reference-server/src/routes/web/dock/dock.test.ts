import { makeLine, phone } from "@careline/testkit"
import { attestConsent, ChannelId, Conversations, Directory, type Line, LineId, type PhoneNumber, ProviderMessageId, receiveInbound } from "@careline/core"
import { Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const casey = world.clients.c1
const robin = world.clients.c2
let sequence = 0
const textIn = (from: PhoneNumber, to: PhoneNumber, body: string) =>
  server.runtime.runPromise(receiveInbound({ providerMessageId: ProviderMessageId.make(`SMdock${++sequence}`), from, to, body }))
const optIn = (clientId: typeof casey.id) => server.runtime.runPromise(attestConsent({ staffId: world.staff.coordinator.id, clientId }))
const channelBetween = async (line: Line, phone: PhoneNumber) => {
  const found = await server.runtime.runPromise(Conversations.use((c) => c.findChannel(line.id, phone)))
  return Option.map(found, (channel) => ChannelId.make(channel.id))
}
const messagesIn = (id: ChannelId) => server.runtime.runPromise(Conversations.use((c) => c.listMessages(id, { limit: 100 })))
const htmx = { "hx-request": "true" }

describe("chat dock", () => {
  it("every staff page carries the dock's launcher; opening it shows the finder", async () => {
    const browser = await server.signIn("spec1")
    expect(await (await browser.request("/dock/launcher")).text()).toContain('hx-get="/dock"')
    const finder = await browser.request("/dock", { headers: htmx })
    expect(finder.status).toBe(200)
    const html = await finder.text()
    expect(html).toContain('hx-get="/dock/find"')
    expect(html).toContain("Client, colleague, contact or number")
  })

  it("finds only the clients the staff member may access, by name or number", async () => {
    const spec1 = await server.signIn("spec1")
    const byName = await (await spec1.request("/dock/find?q=casey")).text()
    expect(byName).toContain("Casey One")
    expect(byName).toContain(`/dock/clients/${casey.id}`)
    expect(await (await spec1.request("/dock/find?q=robin")).text()).not.toContain("Robin Two")
    expect(await (await spec1.request(`/dock/find?q=${encodeURIComponent(robin.phones[0]!.number)}`)).text()).not.toContain("Robin Two")
    const coordinator = await server.signIn("coordinator")
    expect(await (await coordinator.request("/dock/find?q=ROBIN")).text()).toContain("Robin Two")
    const byNumber = await (await coordinator.request(`/dock/find?q=${encodeURIComponent(casey.phones[0]!.number.slice(-6))}`)).text()
    expect(byNumber).toContain("Casey One")
  })

  it("says so when a typed number belongs to nobody the staff member can access", async () => {
    const spec1 = await server.signIn("spec1")
    expect(await (await spec1.request("/dock/find?q=%2B15559998877")).text()).toContain("No client you can access has this number")
  })

  it("lists an unknown number's channel as a contact the staff member can answer", async () => {
    await textIn("+15557770001" as PhoneNumber, world.lines.spec1.number, "who is this?")
    const spec1 = await server.signIn("spec1")
    const html = await (await spec1.request("/dock/find?q=7770001")).text()
    const id = Option.getOrThrow(await channelBetween(world.lines.spec1, "+15557770001" as PhoneNumber))
    expect(html).toContain(`/dock/channels/${id}`)
  })

  it("starts a conversation with an assigned client from the dock and sends through the core", async () => {
    await optIn(casey.id)
    const spec1 = await server.signIn("spec1")
    const opened = await (await spec1.request(`/dock/clients/${casey.id}`)).text()
    expect(opened).toContain("No texts with Casey One from this line yet.")
    const sent = await spec1.request(`/dock/clients/${casey.id}/messages`, { form: { body: "Hello from the dock", line: world.lines.spec1.id }, csrf: true })
    expect(sent.status).toBe(200)
    const html = await sent.text()
    expect(html).toContain("Hello from the dock")
    const id = Option.getOrThrow(await channelBetween(world.lines.spec1, casey.phones[0]!.number))
    expect(html).toContain(`channel-${id} from:#live`)
    expect((await messagesIn(id)).map((m) => [m.direction, m.body])).toEqual([["outbound", "Hello from the dock"]])
  })

  it("answers in an existing channel and shows new messages for the live refresh", async () => {
    await optIn(casey.id)
    await textIn(casey.phones[0]!.number, world.lines.spec1.number, "Are we still on?")
    const id = Option.getOrThrow(await channelBetween(world.lines.spec1, casey.phones[0]!.number))
    const spec1 = await server.signIn("spec1")
    expect(await (await spec1.request(`/dock/channels/${id}/messages`)).text()).toContain("Are we still on?")
    const replied = await spec1.request(`/dock/channels/${id}/messages`, { form: { body: "Yes, 3pm" }, csrf: true })
    expect(replied.status).toBe(200)
    expect(await replied.text()).toContain("Yes, 3pm")
    expect((await messagesIn(id)).map((m) => m.body)).toContain("Yes, 3pm")
  })

  it("shows why a text is refused (no consent) and keeps the draft", async () => {
    const spec1 = await server.signIn("spec1")
    const refused = await spec1.request(`/dock/clients/${casey.id}/messages`, { form: { body: "Can I text you?" }, csrf: true })
    expect(refused.status).toBe(422)
    const html = await refused.text()
    expect(html).toContain("Not sent:")
    expect(html).toContain('role="alert"')
    expect(html).toContain("Can I text you?</textarea>")
    const channel = await channelBetween(world.lines.spec1, casey.phones[0]!.number)
    expect(Option.isNone(channel) ? [] : await messagesIn(channel.value)).toEqual([])
  })

  it("a specialist cannot open, read or text an unassigned client's conversation through the dock (404)", async () => {
    await optIn(robin.id)
    await textIn(robin.phones[0]!.number, world.lines.org.number, "private to the organisation line")
    const orgChannel = Option.getOrThrow(await channelBetween(world.lines.org, robin.phones[0]!.number))
    const spec1 = await server.signIn("spec1")
    expect((await spec1.request(`/dock/clients/${robin.id}`)).status).toBe(404)
    expect((await spec1.request(`/dock/clients/${robin.id}/messages`, { form: { body: "hi" }, csrf: true })).status).toBe(404)
    const read = await spec1.request(`/dock/channels/${orgChannel}`)
    expect(read.status).toBe(404)
    expect(await read.text()).not.toContain("private to the organisation line")
    expect((await spec1.request(`/dock/channels/${orgChannel}/messages`)).status).toBe(404)
    expect((await spec1.request(`/dock/channels/${orgChannel}/messages`, { form: { body: "hi" }, csrf: true })).status).toBe(404)
    expect((await messagesIn(orgChannel)).map((m) => m.body)).toEqual(["private to the organisation line"])
    // A line that is not theirs cannot be slipped in either.
    expect((await spec1.request(`/dock/clients/${casey.id}/messages`, { form: { body: "hi", line: world.lines.org.id }, csrf: true })).status).toBe(404)
  })

  it("offers a line picker to staff with several lines, and sends from the one picked", async () => {
    await optIn(robin.id)
    const own = makeLine({ id: LineId.make("line_coord"), organisationId: world.staff.coordinator.organisationId, number: phone(9_000_009), owner: { _tag: "Staff", staffId: world.staff.coordinator.id }, ratePerSecond: 10 })
    await server.runtime.runPromise(Directory.use((d) => d.putLine(own)))
    const coordinator = await server.signIn("coordinator")
    expect(await (await coordinator.request(`/dock/clients/${robin.id}`)).text()).toContain(`<option value="line_coord" selected="">Your line · ${own.number}</option>`)
    const html = await (await coordinator.request(`/dock/clients/${robin.id}?line=${world.lines.org.id}`)).text()
    expect(html).toContain(`<option value="${world.lines.org.id}" selected="">`)
    const sent = await coordinator.request(`/dock/clients/${robin.id}/messages`, { form: { body: "From the org line", line: world.lines.org.id }, csrf: true })
    expect(sent.status).toBe(200)
    expect(Option.isSome(await channelBetween(world.lines.org, robin.phones[0]!.number))).toBe(true)
  })

  it("refuses posts without the CSRF token (403)", async () => {
    await optIn(casey.id)
    const spec1 = await server.signIn("spec1")
    expect((await spec1.request(`/dock/clients/${casey.id}/messages`, { form: { body: "forged" } })).status).toBe(403)
    expect(Option.isNone(await channelBetween(world.lines.spec1, casey.phones[0]!.number))).toBe(true)
  })

  it("renders names and bodies as inert text", async () => {
    await optIn(casey.id)
    await textIn(casey.phones[0]!.number, world.lines.spec1.number, '<script>alert(1)</script><img src=x hx-get="/evil">')
    const id = Option.getOrThrow(await channelBetween(world.lines.spec1, casey.phones[0]!.number))
    const spec1 = await server.signIn("spec1")
    const html = await (await spec1.request(`/dock/channels/${id}`)).text()
    expect(html).not.toContain("<script>alert(1)")
    expect(html).not.toContain('<img src=x')
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x hx-get=&quot;/evil&quot;&gt;")
  })
})
