import { ChannelId, ClientId, Directory, Notifier, OrganisationId, StaffId, ThreadId } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { readEvents } from "../../../testing/ServerSentEvents.js"
import { type Browser, startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { caseyJoinsPortal, postMultipart, sendThread } from "../secure/SecureTesting.js"
import { clientLiveEventsFor } from "../events.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const sync = { event: "secure", data: JSON.stringify({ kind: "sync" }) }
/** Recipients as the compose form names them. */
const to = {
  casey: `client:${world.clients.c1.id}`,
  robin: `client:${world.clients.c2.id}`,
  spec1: `staff:${world.staff.spec1.id}`,
  spec2: `staff:${world.staff.spec2.id}`
}
const caseyJoins = () => caseyJoinsPortal(server)
const send = (from: Browser, to: ReadonlyArray<string>, subject: string, body: string) => sendThread(server, from, to, subject, body)

/** Opens the client's stream and gives the server a moment to subscribe before anything is published. */
const openStream = async (client: Browser) => {
  const response = await client.request("/portal/events")
  expect(response.status).toBe(200)
  await new Promise((resolve) => setTimeout(resolve, 50))
  return response
}

const nudgeCasey = (threadId = "thr_after") =>
  server.runtime.runPromise(Notifier.use((n) => n.publish({
    _tag: "PortalActivity",
    organisationId: world.clients.c1.organisationId,
    threadId: ThreadId.make(threadId),
    recipients: [{ _tag: "Client", clientId: world.clients.c1.id }]
  })))

describe("GET /portal/events", () => {
  it("streams a 'secure' sync, then 'secure' and 'secure-<thread>' for the client's own threads only, ids and never content", async () => {
    const { staff, client } = await caseyJoins()
    const response = await openStream(client)
    expect(response.headers.get("content-type")).toContain("text/event-stream")
    expect(response.headers.get("cache-control")).toBe("no-store")
    const reading = readEvents(response, 3)
    const coordinator = await server.signIn("coordinator")
    // Another client's thread, a group thread Casey is not in, a staff-only thread: nothing for Casey.
    await send(coordinator, [to.robin], "For Robin", "Only for Robin Two.")
    await send(coordinator, [to.robin, to.spec1], "Robin and Theo", "A group Casey is not in.")
    await send(coordinator, [to.spec1, to.spec2], "Staff only", "Between colleagues.")
    const mine = await send(staff, [to.casey], "Your plan", "Hi Casey, the plan for next week.")
    const events = await reading
    const data = JSON.stringify({ threadId: mine })
    expect(events).toEqual([sync, { event: "secure", data }, { event: `secure-${mine}`, data }])
    expect(JSON.stringify(events)).not.toMatch(/plan|Robin|Casey/)
  })

  it("also carries a group thread the client is in", async () => {
    const { client } = await caseyJoins()
    const reading = readEvents(await openStream(client), 3)
    const id = await send(await server.signIn("coordinator"), [to.casey, to.robin], "Office closed", "The office is closed on Friday.")
    expect((await reading).map((e) => e.event)).toEqual(["secure", "secure", `secure-${id}`])
  })

  it("carries nothing that is not a secure message for this client (channels, chat, another organisation)", () => {
    const c1 = world.clients.c1
    const portal = (organisation: string, recipients: ReadonlyArray<{ readonly _tag: "Client"; readonly clientId: ClientId } | { readonly _tag: "Staff"; readonly staffId: StaffId }>) =>
      ({ _tag: "PortalActivity" as const, organisationId: OrganisationId.make(organisation), threadId: ThreadId.make("thr_1"), recipients })
    expect(clientLiveEventsFor(c1, portal("org_a", [{ _tag: "Client", clientId: c1.id }])).map((e) => e.event)).toEqual(["secure", "secure-thr_1"])
    expect(clientLiveEventsFor(c1, portal("org_b", [{ _tag: "Client", clientId: c1.id }]))).toEqual([])
    expect(clientLiveEventsFor(c1, portal("org_a", [{ _tag: "Staff", staffId: StaffId.make(c1.id) }]))).toEqual([])
    expect(clientLiveEventsFor(c1, portal("org_a", [{ _tag: "Client", clientId: world.clients.c2.id }]))).toEqual([])
    expect(clientLiveEventsFor(c1, {
      _tag: "ChannelActivity", organisationId: c1.organisationId, channelId: ChannelId.make("chn_1"), kind: "inbound", staffIds: [], urgent: false
    })).toEqual([])
  })

  it.each([
    ["the client signs out", async (client: Browser) => {
      expect((await client.request("/portal/sign-out", { form: { _csrf: client.csrfToken } })).status).toBe(303)
    }],
    ["the client is blocked", async () => {
      await server.runtime.runPromise(Directory.use((d) => d.updateClient(world.clients.c1.id, (c) => ({ ...c, blocked: true }))))
    }],
    ["staff remove the client's portal access", async () => {
      const coordinator = await server.signIn("coordinator")
      expect((await coordinator.request(`/clients/${world.clients.c1.id}/portal/remove`, { form: { _csrf: coordinator.csrfToken } })).status).toBe(303)
    }]
  ])("stops at once when %s: the next message is not sent, the page is told 'signed-out' and the stream closes", async (_, end) => {
    const { client } = await caseyJoins()
    const reading = readEvents(await openStream(client), 4)
    await end(client)
    await nudgeCasey()
    expect(await reading).toEqual([sync, { event: "signed-out", data: "{}" }])
  })

  it("is for signed-in clients only: no session or a staff session is sent to the portal sign-in; a client cannot open /events", async () => {
    const { staff, client } = await caseyJoins()
    const none = await server.app.request("/portal/events")
    expect(none.status).toBe(303)
    expect(none.headers.get("location")).toBe(`/portal/sign-in?${new URLSearchParams({ next: "/portal/events" })}`)
    expect((await server.app.request("/portal/events", { headers: { "hx-request": "true" } })).status).toBe(401)
    const asStaff = await staff.request("/portal/events")
    expect(asStaff.status).toBe(303)
    expect(asStaff.headers.get("location")).toMatch(/^\/portal\/sign-in\?/)
    const staffStream = await client.request("/events")
    expect(staffStream.status).toBe(303)
    expect(staffStream.headers.get("location")).toMatch(/^\/sign-in\?/)
    expect(staffStream.headers.get("content-type") ?? "").not.toContain("text/event-stream")
  })
})

describe("the portal's pages listen for live events", () => {
  it("the layout connects #live to /portal/events; the folder and an open thread reload on 'secure' and 'secure-<thread>'", async () => {
    const { staff, client } = await caseyJoins()
    const id = await send(staff, [to.casey], "Your plan", "Hi Casey, the plan for next week.")
    const list = await (await client.request("/portal/messages")).text()
    expect(list).toContain('<div id="live" hx-sse:connect="/portal/events" hx-sse:close="signed-out" hidden=""></div>')
    expect(list).not.toContain('hx-sse:connect="/events"')
    expect(list).toContain('hx-get="/portal/messages/folder?folder=inbox" hx-trigger="secure from:#live" hx-swap="outerHTML"')
    const thread = await (await client.request(`/portal/messages/threads/${id}`)).text()
    expect(thread).toContain(`hx-get="/portal/messages/threads/${id}/messages" hx-trigger="secure-${id} from:#live" hx-swap="outerHTML"`)
    // What the triggers fetch: the therapist's reply appears in the client's fragments.
    expect((await postMultipart(server, staff, `/secure/threads/${id}/reply`, { do: "send", body: "And one more thing for you." })).status).toBe(303)
    expect(await (await client.request("/portal/messages/folder?folder=inbox")).text()).toMatch(/<li class="secure-row unread">/)
    const messages = await client.request(`/portal/messages/threads/${id}/messages`)
    expect(messages.status).toBe(200)
    expect(await messages.text()).toContain("And one more thing for you.")
    // The sync on connecting reloads the folder region: a page's notice stands outside it and stays.
    const archived = await (await client.request("/portal/messages?done=archived")).text()
    expect(archived.indexOf('<p class="notice" role="status">Archived.</p>')).toBeGreaterThan(-1)
    expect(archived.indexOf('<p class="notice" role="status">Archived.</p>')).toBeLessThan(archived.indexOf('id="secure-region"'))
    expect(await (await client.request("/portal/messages/folder?folder=inbox&done=archived")).text()).not.toContain("Archived.")
    const other = await send(await server.signIn("spec2"), [`client:${world.clients.c3.id}`], "For Sky", "Only for Sky Three.")
    expect((await client.request(`/portal/messages/threads/${other}/messages`)).status).toBe(404)
  })
})
