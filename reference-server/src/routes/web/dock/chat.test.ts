import { AuditLog, Directory, OrganisationId, postChatMessage, type StaffId, startChat } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { type Browser, startTestServer, type TestServer, world } from "../../../testing/TestServer.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const htmx = { "hx-request": "true" }
const { spec1, spec2, coordinator, frontOffice, gone, adminB } = world.staff

/** Posts a form with repeated fields (`with=a&with=b`), as the group picker's checkboxes send it. */
const postForm = (browser: Browser, path: string, fields: ReadonlyArray<readonly [string, string]>, csrf = true) =>
  server.app.request(path, {
    method: "POST",
    headers: { cookie: browser.cookie, "content-type": "application/x-www-form-urlencoded", ...htmx, ...(csrf ? { "x-csrf-token": browser.csrfToken } : {}) },
    body: new URLSearchParams(fields.map(([k, v]): [string, string] => [k, v])).toString()
  })

/** Starts a chat and gives back its room id (read off the panel's live trigger). */
const start = async (browser: Browser, ...with_: ReadonlyArray<StaffId>) => {
  const response = await postForm(browser, "/dock/chats", with_.map((id) => ["with", id] as const))
  expect(response.status).toBe(200)
  const roomId = /chat-(chr_[^ "]+) from:#live/.exec(await response.text())?.[1]
  if (roomId === undefined) throw new Error("no room in the answer")
  return roomId
}
const post = (browser: Browser, roomId: string, body: string) => browser.request(`/dock/chats/${roomId}/messages`, { form: { body }, csrf: true })
const auditOf = () => server.runtime.runPromise(AuditLog.use((log) => log.list(OrganisationId.make("org_a"), {})))

describe("staff chat in the dock (S4)", () => {
  it("the finder lists active colleagues of one's organisation as Chat only, beside clients", async () => {
    const browser = await server.signIn("spec1")
    const html = await (await browser.request("/dock/find?q=o")).text()
    expect(html).toContain(`name="with" value="${coordinator.id}"`)
    expect(html).toContain(`name="with" value="${frontOffice.id}"`)
    expect(html).toContain('<span class="dock-tag">Chat</span>')
    expect(html).not.toContain(`value="${spec1.id}"`) // not oneself
    expect(html).not.toContain(`value="${gone.id}"`) // deactivated
    expect(await (await browser.request("/dock/find?q=admin_b")).text()).not.toContain(adminB.id) // another organisation
    expect(await (await browser.request("/dock/find?q=casey")).text()).toContain("Casey One")
    const finder = await (await browser.request("/dock", { headers: htmx })).text()
    expect(finder).toContain("Recent chats")
    expect(finder).toContain("No chats with colleagues yet.")
  })

  it("a 1:1 is reused whoever starts it; messages reach the other member, unread until they open it", async () => {
    const sam = await server.signIn("spec1")
    const cory = await server.signIn("coordinator")
    const roomId = await start(sam, coordinator.id)
    expect(await start(cory, spec1.id)).toBe(roomId)
    const sent = await post(sam, roomId, "Can you cover my 3pm?")
    expect(sent.status).toBe(200)
    expect(await sent.text()).toContain("Can you cover my 3pm?")
    expect(await (await cory.request("/dock/unread")).text()).toContain(">1<")
    const list = await (await cory.request("/dock/chats")).text()
    expect(list).toContain("is-unread")
    expect(list).toContain(`/dock/chats/${roomId}`)
    expect(list).toContain("spec_1")
    const opened = await (await cory.request(`/dock/chats/${roomId}`, { headers: htmx })).text()
    expect(opened).toContain("Can you cover my 3pm?")
    expect(opened).toContain(`hx-trigger="chat-${roomId} from:#live"`)
    expect(opened).toContain("data-enter-sends")
    expect(await (await cory.request("/dock/unread")).text()).toBe("")
    expect(await (await cory.request("/dock/chats")).text()).not.toContain("is-unread")
    expect(await (await sam.request("/dock/unread")).text()).toBe("") // one's own messages are read
  })

  it("starts a group chat with several colleagues; each member sees it, nobody else", async () => {
    const sam = await server.signIn("spec1")
    const picker = await (await sam.request("/dock/chats/new")).text()
    expect(picker).toContain('type="checkbox" name="with"')
    expect(picker).toContain(`value="${frontOffice.id}"`)
    const roomId = await start(sam, coordinator.id, frontOffice.id)
    await post(sam, roomId, "Team huddle at 4")
    for (const who of ["coordinator", "frontOffice"] as const) {
      const member = await server.signIn(who)
      expect(await (await member.request("/dock/chats")).text()).toContain(`/dock/chats/${roomId}`)
      expect(await (await member.request(`/dock/chats/${roomId}/messages`)).text()).toContain("Team huddle at 4")
    }
    expect(await (await (await server.signIn("spec2")).request("/dock/chats")).text()).not.toContain(roomId)
  })

  it("members only: anyone else gets 404 for the room, its messages and its composer, and learns nothing", async () => {
    const sam = await server.signIn("spec1")
    const roomId = await start(sam, coordinator.id)
    await post(sam, roomId, "private between us")
    for (const who of ["spec2", "admin", "adminB"] as const) {
      const other = await server.signIn(who)
      for (const path of [`/dock/chats/${roomId}`, `/dock/chats/${roomId}/messages`, "/dock/chats/chr_nope"]) {
        const response = await other.request(path)
        expect(response.status).toBe(404)
        expect(await response.text()).not.toContain("private between us")
      }
      expect((await post(other, roomId, "let me in")).status).toBe(404)
    }
    expect(await (await sam.request(`/dock/chats/${roomId}/messages`)).text()).not.toContain("let me in")
  })

  it("refuses posts without the CSRF token (403) and stores nothing", async () => {
    const sam = await server.signIn("spec1")
    expect((await postForm(sam, "/dock/chats", [["with", coordinator.id]], false)).status).toBe(403)
    expect(await (await sam.request("/dock/chats")).text()).toContain("No chats with colleagues yet.")
    const roomId = await start(sam, coordinator.id)
    expect((await sam.request(`/dock/chats/${roomId}/messages`, { form: { body: "forged" } })).status).toBe(403)
    expect(await (await sam.request(`/dock/chats/${roomId}/messages`)).text()).not.toContain("forged")
  })

  it("refuses bad input with a message in the dock (4xx, never 500), keeping the draft", async () => {
    const sam = await server.signIn("spec1")
    const roomId = await start(sam, coordinator.id)
    for (const [body, says] of [["   ", "Write a message first."], ["x".repeat(2001), "2000 characters"], ["two\nlines", "no line breaks"], ["nul\u0000here", "control characters"]] as const) {
      const refused = await post(sam, roomId, body)
      expect(refused.status).toBe(422)
      const html = await refused.text()
      expect(html).toContain('role="alert"')
      expect(html).toContain(says)
    }
    expect(await (await post(sam, roomId, "x".repeat(2001))).text()).toContain(`${"x".repeat(2000)}</textarea>`)
    for (const fields of [[], [["with", spec1.id]], [["with", adminB.id]], [["with", gone.id]], [["with", "nobody"]], [["with", "\u0000"]]] as ReadonlyArray<ReadonlyArray<readonly [string, string]>>) {
      const refused = await postForm(sam, "/dock/chats", fields)
      expect(refused.status).toBe(422)
      const html = await refused.text()
      expect(html).toMatch(/Pick at least one colleague|only chat with active colleagues/)
      expect(html).toContain("Start chat")
    }
    expect((await sam.request(`/dock/chats/${roomId}/messages`, { form: { nobody: "x" }, csrf: true })).status).toBe(422)
    expect(await (await sam.request(`/dock/chats/${roomId}/messages`)).text()).toContain("No messages yet.")
  })

  it("renders message bodies and colleagues' names as inert text", async () => {
    const payload = '<script>alert(1)</script><img src=x hx-get="/evil" hx-trigger="load">'
    await server.runtime.runPromise(Directory.use((d) => d.updateStaff(coordinator.id, (s) => ({ ...s, name: payload }))))
    const sam = await server.signIn("spec1")
    const found = await (await sam.request("/dock/find?q=%3Cscript")).text()
    expect(found).not.toContain("<script>alert(1)")
    expect(found).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    const roomId = await start(sam, coordinator.id)
    await post(sam, roomId, payload)
    const cory = await server.signIn("coordinator")
    for (const html of [
      await (await cory.request(`/dock/chats/${roomId}`)).text(),
      await (await sam.request(`/dock/chats/${roomId}`)).text(),
      await (await sam.request("/dock/chats")).text()
    ]) {
      expect(html).not.toContain("<script>alert(1)")
      expect(html).not.toContain('<img src=x')
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    }
  })

  it("scrolling up loads older messages (members only; a bad place is 400)", async () => {
    const room = await server.runtime.runPromise(startChat({ staffId: spec1.id, with: [coordinator.id] }))
    for (let n = 1; n <= 55; n++) await server.runtime.runPromise(postChatMessage({ staffId: spec1.id, roomId: room.id, body: `Note number ${n}.` }))
    const sam = await server.signIn("spec1")
    const latest = await (await sam.request(`/dock/chats/${room.id}`)).text()
    expect(latest).toContain("Note number 55.")
    expect(latest).not.toContain("Note number 5.")
    expect(latest).toContain(`/dock/chats/${room.id}/messages?before=6`)
    const older = await (await sam.request(`/dock/chats/${room.id}/messages?before=6`)).text()
    expect(older).toContain("Note number 1.")
    expect(older).toContain("Note number 5.")
    expect(older).not.toContain("Note number 6.")
    expect(older).not.toContain("Load older")
    expect((await sam.request(`/dock/chats/${room.id}/messages?before=abc`)).status).toBe(400)
    expect((await sam.request(`/dock/chats/${room.id}/messages?before=0`)).status).toBe(400)
    const other = await (await server.signIn("spec2")).request(`/dock/chats/${room.id}/messages?before=6`)
    expect(other.status).toBe(404)
    expect(await other.text()).not.toContain("Note number")
  })

  it("audits starts, sends and reads by ids only", async () => {
    const sam = await server.signIn("spec1")
    const roomId = await start(sam, coordinator.id)
    await post(sam, roomId, "Secret plan for Casey")
    await (await server.signIn("coordinator")).request(`/dock/chats/${roomId}`)
    const events = (await auditOf()).filter((e) => e.action.startsWith("chat."))
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["chat.start", "chat.send", "chat.read"]))
    expect(events.find((e) => e.action === "chat.read" && e.actor._tag === "Staff" && e.actor.staffId === coordinator.id)?.detail).toBe(`room=${roomId}`)
    expect(JSON.stringify(events)).not.toContain("Secret plan")
    void spec2
  })
})
