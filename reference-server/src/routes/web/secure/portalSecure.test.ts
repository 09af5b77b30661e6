import { Directory } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { type Browser, startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf, caseyJoinsPortal, postMultipart, sendThread } from "./SecureTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const casey = `client:${world.clients.c1.id}`
const robin = `client:${world.clients.c2.id}`
const spec1 = `staff:${world.staff.spec1.id}`
const spec2 = `staff:${world.staff.spec2.id}`
const front = `staff:${world.staff.frontOffice.id}`

const caseyJoins = () => caseyJoinsPortal(server)
const send = (from: Browser, to: ReadonlyArray<string>, subject: string, body: string, base = "/secure") => sendThread(server, from, to, subject, body, base)

describe("client secure messages under /portal/messages", () => {
  it("the client reads a message from their therapist, replies, and the therapist sees the reply", async () => {
    const { staff, client } = await caseyJoins()
    const id = await send(staff, [casey], "Your plan", "Hi Casey, here is the plan for next week.")
    const inbox = await client.request("/portal/messages")
    expect(inbox.status).toBe(200)
    const list = await inbox.text()
    expect(list).toContain("Secure messages")
    expect(list).toMatch(/<li class="secure-row unread">/)
    expect(list).toContain(`href="/portal/messages/threads/${id}"`)
    expect(list).toContain("secure from:#live")
    const page = await (await client.request(`/portal/messages/threads/${id}`)).text()
    expect(page).toContain("Hi Casey, here is the plan for next week.")
    expect(page).toContain("Reply to all")
    expect(page).not.toContain("Delete message")
    expect(page).not.toContain("Delete thread")
    expect(page).not.toContain("Quick note to chart")
    const reply = await postMultipart(server, client, `/portal/messages/threads/${id}/reply`, { do: "send", body: "Thanks, that works for me." })
    expect(reply.status).toBe(303)
    expect(reply.headers.get("location")).toBe(`/portal/messages/threads/${id}?done=replied#reply`)
    expect(await (await staff.request("/secure")).text()).toMatch(/<li class="secure-row unread">/)
    expect(await (await staff.request(`/secure/threads/${id}`)).text()).toContain("Thanks, that works for me.")
    const audit = await auditOf(server)
    expect(audit.filter((e) => e.action === "thread.send").length).toBe(2)
  })

  it("offers the client only their assigned staff and front office, and sends to them", async () => {
    const { staff, client } = await caseyJoins()
    const form = await (await client.request("/portal/messages/new")).text()
    expect(form).toContain(`value="${spec1}"`)
    expect(form).toContain(`value="${front}"`)
    expect(form).not.toContain(`value="${spec2}"`)
    expect(form).not.toContain(`value="staff:${world.staff.coordinator.id}"`)
    expect(form).not.toContain("client:")
    expect(form).toContain("Your care team")
    const id = await send(client, [spec1], "A question", "When is our next session, please?", "/portal/messages")
    expect(await (await staff.request(`/secure/threads/${id}`)).text()).toContain("When is our next session, please?")
    const refused = await postMultipart(server, client, "/portal/messages/new", { do: "send", to: [spec2], subject: "Hi", body: "Not my therapist at all." })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain("You cannot send a secure message to one of the recipients you chose.")
  })

  it("an inactive client may write to front office only, and is told why", async () => {
    const { client } = await caseyJoins()
    await server.runtime.runPromise(Directory.use((d) => d.updateClient(world.clients.c1.id, (c) => ({ ...c, active: false }))))
    const form = await (await client.request("/portal/messages/new")).text()
    expect(form).not.toContain(`value="${spec1}"`)
    expect(form).toContain(`value="${front}"`)
    const refused = await postMultipart(server, client, "/portal/messages/new", { do: "send", to: [spec1], subject: "Hi", body: "Can we still meet?" })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain("Your account is inactive, so you can send secure messages to front office staff only.")
    expect((await client.request("/portal/messages")).status).toBe(200)
    await send(client, [front], "Billing", "A question about my invoice.", "/portal/messages")
  })

  it("a group message to two clients: no reply, the reason and a New message link; the other client is not named", async () => {
    const { client } = await caseyJoins()
    const coord = await server.signIn("coordinator")
    const id = await send(coord, [casey, robin], "Office closed", "The office is closed on Friday.")
    const page = await (await client.request(`/portal/messages/threads/${id}`)).text()
    expect(page).toContain("Messages to more than one client cannot be replied to, for privacy: start a new message instead.")
    expect(page).toContain('href="/portal/messages/new">New message</a>')
    expect(page).not.toContain("Robin Two")
    expect(await (await client.request("/portal/messages")).text()).not.toContain("Robin Two")
    const refused = await postMultipart(server, client, `/portal/messages/threads/${id}/reply`, { do: "send", body: "Replying to everyone anyway." })
    expect(refused.status).toBe(422)
  })

  it("is 404 for threads the client is not in, and refuses deletes and quick notes", async () => {
    const { staff, client } = await caseyJoins()
    const other = await send(await server.signIn("spec2"), [`client:${world.clients.c3.id}`], "For Sky", "Only for Sky Three, nobody else.")
    for (const path of [`/portal/messages/threads/${other}`, `/portal/messages/threads/${other}/quick-note`, "/portal/messages/threads/thr_nope"]) {
      const response = await client.request(path)
      expect(response.status).toBe(404)
      expect(await response.text()).not.toContain("Only for Sky Three")
    }
    expect((await postMultipart(server, client, `/portal/messages/threads/${other}/reply`, { do: "send", body: "Let me in please." })).status).toBe(404)
    const mine = await send(staff, [casey], "Hello", "Hello Casey, welcome to the portal.")
    const deleting = await client.request(`/portal/messages/threads/${mine}/delete`, { form: {}, csrf: true })
    expect(deleting.status).toBe(422)
    expect(await deleting.text()).toContain("Messages cannot be deleted from the portal.")
    expect((await client.request(`/portal/messages/threads/${mine}/quick-note`)).status).toBe(422)
    expect(await (await client.request(`/portal/messages/threads/${mine}`)).text()).toContain("Hello Casey, welcome to the portal.")
  })

  it("needs the portal session's CSRF token, and keeps staff and client sessions apart", async () => {
    const { staff, client } = await caseyJoins()
    const id = await send(staff, [casey], "Hello", "Hello Casey, welcome to the portal.")
    expect((await postMultipart(server, client, `/portal/messages/threads/${id}/reply`, { do: "send", body: "No token with this." }, { csrf: false })).status).toBe(403)
    expect((await postMultipart(server, client, "/portal/messages/new", { do: "send", to: [spec1], subject: "x", body: "No token with this." }, { csrf: false })).status).toBe(403)
    expect((await client.request("/portal/messages/bulk", { form: { do: "archive", thread: id } })).status).toBe(403)
    expect((await staff.request("/portal/messages")).status).toBe(303)
    expect((await client.request("/secure")).status).toBe(303)
  })

  it("renders what staff wrote inert", async () => {
    const { staff, client } = await caseyJoins()
    const payload = `<script>alert(1)</script><img src=x hx-get="/portal/messages" hx-trigger="load">`
    const id = await send(staff, [casey], payload, `${payload} in the body`)
    for (const path of ["/portal/messages", `/portal/messages/threads/${id}`]) {
      const html = await (await client.request(path)).text()
      expect(html).not.toContain("<script>alert(1)</script>")
      expect(html).not.toContain('<img src=x hx-get=')
      expect(html).toContain("&lt;script&gt;")
    }
  })
})
