import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { Conversations, Directory, LineId } from "@careline/core"
import { makeLine, phone } from "@careline/testkit"
import { Effect, Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { dispatchAll } from "../../../testing/Twilio.js"
import { auditOf, channelIdOf, channelOf, messagesOf, optIn, phoneOf, textIn } from "./MessagesTesting.js"

let server: TestServer
afterEach(() => server.close())

const htmx = { "hx-request": "true" }

/** Casey (client_1, spec_1's) has texted spec_1's line. */
const caseysChannel = async () => {
  await textIn(server, phoneOf("c1"), world.lines.spec1.number, "Hello from Casey")
  return channelIdOf(server, world.lines.spec1, phoneOf("c1"))
}

describe("the composer", () => {
  beforeEach(async () => {
    server = await startTestServer()
  })

  it("queues an outbound text that the dispatcher hands to the provider, and reloads the messages", async () => {
    const id = await caseysChannel()
    await optIn(server, world.staff.spec1.id, "c1")
    const browser = await server.signIn("spec1")
    const answer = await browser.request(`/messages/${id}/send`, { form: { body: "See you at 3pm" }, csrf: true, headers: htmx })
    expect(answer.status).toBe(200)
    expect(answer.headers.get("hx-trigger")).toContain("message-sent")
    const composer = await answer.text()
    expect(composer).toMatch(/^<form id="composer"/)
    expect(composer).toContain('role="status">Message queued.')
    const sent = (await messagesOf(server, id)).find((m) => m.body === "See you at 3pm")
    expect(sent).toMatchObject({ direction: "outbound", status: "queued", author: { _tag: "Staff", staffId: world.staff.spec1.id } })
    await dispatchAll(server)
    const handedOver = await server.runtime.runPromise(Effect.flatMap(Effect.serviceOption(FakeSmsControl), (fake) => Option.getOrThrow(fake).sent))
    expect(handedOver.map((s) => [s.to, s.body])).toContainEqual([phoneOf("c1"), "See you at 3pm"])
    const reload = await browser.request(`/messages/${id}/messages`, { headers: htmx })
    // The reload reads the channel, so the inbox and the notification centre follow.
    expect(reload.headers.get("hx-trigger")).toContain("inbox-changed")
    const messages = await reload.text()
    expect(messages).toContain("See you at 3pm")
    expect(messages).toMatch(/See you at 3pm<\/div><span class="meta">.*Sending/)
  })

  it("shows the core's reason when the number has not opted in (422, in the composer), keeping the words", async () => {
    const id = await caseysChannel()
    const browser = await server.signIn("spec1")
    const answer = await browser.request(`/messages/${id}/send`, { form: { body: "Are you there?" }, csrf: true, headers: htmx })
    expect(answer.status).toBe(422)
    const html = await answer.text()
    expect(html).toMatch(/^<form id="composer"/)
    expect(html).toContain("has not opted in to text messages yet")
    expect(html).toContain(">Are you there?</textarea>")
    expect((await messagesOf(server, id)).some((m) => m.body === "Are you there?")).toBe(false)
    // Without htmx, the whole page comes back with the reason in the composer.
    const plain = await browser.request(`/messages/${id}/send`, { form: { body: "Are you there?", _csrf: browser.csrfToken } })
    expect(plain.status).toBe(422)
    const page = await plain.text()
    expect(page).toContain("<!DOCTYPE html>")
    expect(page).toContain("has not opted in to text messages yet")
  })

  it("shows why when the client opted out or is blocked, and refuses an empty message", async () => {
    const id = await caseysChannel()
    await optIn(server, world.staff.spec1.id, "c1")
    const browser = await server.signIn("spec1")
    expect(await (await browser.request(`/messages/${id}/send`, { form: { body: "   " }, csrf: true, headers: htmx })).text()).toContain("A message cannot be empty.")
    await server.runtime.runPromise(Directory.use((d) => d.updateClient(world.clients.c1.id, (c) => ({ ...c, blocked: true }))))
    const blocked = await browser.request(`/messages/${id}/send`, { form: { body: "hi" }, csrf: true, headers: htmx })
    expect(blocked.status).toBe(422)
    expect(await blocked.text()).toContain("This client is blocked")
    await server.runtime.runPromise(Directory.use((d) => d.updateClient(world.clients.c1.id, (c) => ({ ...c, blocked: false }))))
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "STOP")
    const optedOut = await browser.request(`/messages/${id}/send`, { form: { body: "hi" }, csrf: true, headers: htmx })
    expect(optedOut.status).toBe(422)
    expect(await optedOut.text()).toContain("has opted out of text messages")
  })

  it("offers the lines to send from when there are several, and sends from the one picked into its own channel", async () => {
    const second = makeLine({ id: LineId.make("line_spec_1b"), organisationId: world.lines.spec1.organisationId, number: phone(9_000_011), owner: { _tag: "Staff", staffId: world.staff.spec1.id }, ratePerSecond: 10 })
    await server.runtime.runPromise(Directory.use((d) => d.putLine(second)))
    const id = await caseysChannel()
    await optIn(server, world.staff.spec1.id, "c1")
    const browser = await server.signIn("spec1")
    const html = await (await browser.request(`/messages/${id}`)).text()
    expect(html).toContain('<select name="lineId">')
    expect(html).toContain(`<option value="${world.lines.spec1.id}" selected="">My line ${world.lines.spec1.number}</option>`)
    const answer = await browser.request(`/messages/${id}/send`, { form: { body: "From my other phone", lineId: second.id }, csrf: true, headers: htmx })
    const other = await channelIdOf(server, second, phoneOf("c1"))
    expect(answer.headers.get("hx-redirect")).toBe(`/messages/${other}`)
    expect((await messagesOf(server, other)).map((m) => m.body)).toContain("From my other phone")
    const notMine = await browser.request(`/messages/${id}/send`, { form: { body: "x", lineId: world.lines.spec2.id }, csrf: true, headers: htmx })
    expect(notMine.status).toBe(400)
  })

  it("refuses a post without the session's CSRF token", async () => {
    const id = await caseysChannel()
    await optIn(server, world.staff.spec1.id, "c1")
    const browser = await server.signIn("spec1")
    expect((await browser.request(`/messages/${id}/send`, { form: { body: "forged" } })).status).toBe(403)
    expect((await browser.request(`/messages/${id}/status`, { form: { status: "done" } })).status).toBe(403)
    expect((await messagesOf(server, id)).some((m) => m.body === "forged")).toBe(false)
  })
})

describe("the actions pane", () => {
  beforeEach(async () => {
    server = await startTestServer({ PUBLIC_BASE_URL: "https://care.example.org" })
  })

  it("marks open and done, archives and unarchives, answering htmx with the fresh pane", async () => {
    const id = await caseysChannel()
    const browser = await server.signIn("spec1")
    const done = await browser.request(`/messages/${id}/status`, { form: { status: "done" }, csrf: true, headers: htmx })
    expect(done.status).toBe(200)
    const pane = await done.text()
    expect(pane).toMatch(/^<aside id="channel-actions"/)
    expect(pane).toContain('<span class="badge done">Done</span>')
    expect((await channelOf(server, id)).status).toBe("done")
    await browser.request(`/messages/${id}/status`, { form: { status: "open" }, csrf: true, headers: htmx })
    expect((await channelOf(server, id)).status).toBe("open")
    expect(await (await browser.request(`/messages/${id}/archive`, { form: { archived: "true" }, csrf: true, headers: htmx })).text()).toContain(">Unarchive</button>")
    expect((await channelOf(server, id)).archived).toBe(true)
    await browser.request(`/messages/${id}/archive`, { form: { archived: "false" }, csrf: true, headers: htmx })
    expect((await channelOf(server, id)).archived).toBe(false)
    const actions = (await auditOf(server)).filter((e) => e.channelId === id).map((e) => `${e.action} ${e.detail ?? ""}`)
    expect(actions).toEqual(expect.arrayContaining(["channel.status status=done", "channel.status status=open", "channel.archive archived", "channel.archive unarchived"]))
    expect((await browser.request(`/messages/${id}/status`, { form: { status: "sideways" }, csrf: true, headers: htmx })).status).toBe(400)
  })

  it("mutes and unmutes for this staff member only, and deletes the channel from their inbox only", async () => {
    await textIn(server, phoneOf("c2"), world.lines.org.number, "to the org line")
    const id = await channelIdOf(server, world.lines.org, phoneOf("c2"))
    const coordinator = await server.signIn("coordinator")
    expect(await (await coordinator.request(`/messages/${id}/mute`, { form: { muted: "true" }, csrf: true, headers: htmx })).text()).toContain("Unmute notifications")
    const preference = await server.runtime.runPromise(Conversations.use((c) => c.getPreference(id, world.staff.coordinator.id)))
    expect(preference.muted).toBe(true)
    expect(await (await coordinator.request("/messages/inbox")).text()).toContain('<span class="badge">Muted</span>')
    await coordinator.request(`/messages/${id}/mute`, { form: { muted: "false" }, csrf: true, headers: htmx })
    expect((await server.runtime.runPromise(Conversations.use((c) => c.getPreference(id, world.staff.coordinator.id)))).muted).toBe(false)
    const hidden = await coordinator.request(`/messages/${id}/hide`, { form: {}, csrf: true, headers: htmx })
    expect(hidden.headers.get("hx-redirect")).toBe("/messages")
    expect(await (await coordinator.request("/messages/inbox")).text()).not.toContain("Robin Two")
    const admin = await server.signIn("admin")
    expect(await (await admin.request("/messages/inbox")).text()).toContain("Robin Two")
  })

  it("turns replies off and on, and shows, renews and revokes the copyable reply link", async () => {
    const id = await caseysChannel()
    const browser = await server.signIn("spec1")
    const created = await (await browser.request(`/messages/${id}/reply-link`, { form: { do: "renew" }, csrf: true, headers: htmx })).text()
    const token = (await channelOf(server, id)).replyToken!
    expect(token).toBeDefined()
    expect(created).toContain(`value="https://care.example.org/r/${token}"`)
    expect(created).toContain(`data-copy="#reply-link-${id}"`)
    const off = await (await browser.request(`/messages/${id}/replies`, { form: { allowed: "false" }, csrf: true, headers: htmx })).text()
    expect(off).toContain('role="switch" aria-checked="false"')
    expect((await channelOf(server, id)).repliesAllowed).toBe(false)
    await browser.request(`/messages/${id}/replies`, { form: { allowed: "true" }, csrf: true, headers: htmx })
    expect((await channelOf(server, id)).repliesAllowed).toBe(true)
    await browser.request(`/messages/${id}/reply-link`, { form: { do: "renew" }, csrf: true, headers: htmx })
    const renewed = (await channelOf(server, id)).replyToken!
    expect(renewed).not.toBe(token)
    const revoked = await (await browser.request(`/messages/${id}/reply-link`, { form: { do: "revoke" }, csrf: true, headers: htmx })).text()
    expect((await channelOf(server, id)).replyToken).toBeUndefined()
    expect(revoked).toContain("No reply link.")
    expect(revoked).not.toContain(renewed)
  })

  it("lets supervisors and admins block a client, and refuses a specialist with 403", async () => {
    const id = await caseysChannel()
    const specialist = await server.signIn("spec1")
    const page = await (await specialist.request(`/messages/${id}`)).text()
    expect(page).not.toContain("Block client")
    const refused = await specialist.request(`/messages/${id}/block`, { form: { blocked: "true" }, csrf: true, headers: htmx })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain("Only supervisors and admins can block or unblock a client.")
    const plain = await specialist.request(`/messages/${id}/block`, { form: { blocked: "true", _csrf: specialist.csrfToken } })
    expect(plain.status).toBe(403)
    const client = await server.runtime.runPromise(Directory.use((d) => d.getClient(world.clients.c1.id)))
    expect(client._tag === "Some" && client.value.blocked).toBe(false)

    await textIn(server, phoneOf("c2"), world.lines.org.number, "to the org line")
    const orgChannel = await channelIdOf(server, world.lines.org, phoneOf("c2"))
    const admin = await server.signIn("admin")
    const blocked = await (await admin.request(`/messages/${orgChannel}/block`, { form: { blocked: "true" }, csrf: true, headers: htmx })).text()
    expect(blocked).toContain("Unblock client")
    const robin = await server.runtime.runPromise(Directory.use((d) => d.getClient(world.clients.c2.id)))
    expect(robin._tag === "Some" && robin.value.blocked).toBe(true)
  })

  it("answers 404 to every action on a channel the staff member may not see", async () => {
    const id = await caseysChannel()
    const other = await server.signIn("spec2")
    for (const [path, form] of [["status", { status: "done" }], ["archive", { archived: "true" }], ["mute", { muted: "true" }], ["hide", {}], ["replies", { allowed: "false" }], ["reply-link", { do: "renew" }], ["block", { blocked: "true" }], ["send", { body: "hi" }]] as const) {
      expect((await other.request(`/messages/${id}/${path}`, { form, csrf: true, headers: htmx })).status).toBe(404)
    }
    expect((await other.request(`/messages/${id}/transcript.txt`)).status).toBe(404)
    expect((await channelOf(server, id)).status).toBe("unread")
  })

  it("exports the whole transcript as a text attachment, audited as a read", async () => {
    const id = await caseysChannel()
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "Second line of the chat")
    const browser = await server.signIn("spec1")
    const answer = await browser.request(`/messages/${id}/transcript.txt`)
    expect(answer.status).toBe(200)
    expect(answer.headers.get("content-type")).toBe("text/plain; charset=utf-8")
    expect(answer.headers.get("content-disposition")).toBe(`attachment; filename="transcript-${id}.txt"`)
    const text = await answer.text()
    expect(text.startsWith("Conversation with Casey One – Mobile")).toBe(true)
    expect(text.indexOf("Hello from Casey")).toBeLessThan(text.indexOf("Second line of the chat"))
    expect(text).toContain("— Casey One\n")
    const reads = (await auditOf(server)).filter((e) => e.action === "channel.read" && e.detail === "transcript")
    expect(reads).toMatchObject([{ channelId: id, actor: { _tag: "Staff", staffId: world.staff.spec1.id } }])
    // The page carries the same transcript for the copy button.
    const page = await (await browser.request(`/messages/${id}`)).text()
    expect(page).toContain(`<textarea id="transcript-${id}" class="transcript-copy" hidden=""`)
    expect(page).toContain(`data-copy="#transcript-${id}"`)
  })
})
