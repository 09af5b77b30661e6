import { Directory, LineId, QueueId } from "@careline/core"
import { makeLine, phone } from "@careline/testkit"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf, channelIdOf, channelOf, phoneOf, textIn } from "./MessagesTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const page = async (response: Response) => ({ status: response.status, html: await response.text() })

describe("GET /messages (the inbox)", () => {
  it("shows a specialist only the channels the access policy lets them see, newest first, unread in bold", async () => {
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "first")
    await textIn(server, phoneOf("c2"), world.lines.org.number, "org line")
    await textIn(server, phoneOf("c3"), world.lines.spec2.number, "not yours")
    await textIn(server, phoneOf("c2"), world.lines.spec1.number, "unassigned client")
    const browser = await server.signIn("spec1")
    const { status, html } = await page(await browser.request("/messages"))
    expect(status).toBe(200)
    expect(html).toContain("Casey One – Mobile")
    expect(html).not.toContain("Sky Three")
    // Robin Two is not assigned to spec_1: their text to spec_1's line stays out of spec_1's inbox.
    expect(html).not.toContain("Robin Two")
    expect(html).toMatch(/<li class="inbox-row unread">/)
    expect(html).toContain('<span class="badge unread">Unread</span>')
  })

  it("answers 404 for a channel the staff member may not see, like one that does not exist", async () => {
    await textIn(server, phoneOf("c3"), world.lines.spec2.number, "for spec 2")
    await textIn(server, phoneOf("c2"), world.lines.spec1.number, "unassigned")
    const spec2Channel = await channelIdOf(server, world.lines.spec2, phoneOf("c3"))
    const unassigned = await channelIdOf(server, world.lines.spec1, phoneOf("c2"))
    const browser = await server.signIn("spec1")
    for (const id of [spec2Channel, unassigned, "chn_nope", "not an id!"]) {
      const { status, html } = await page(await browser.request(`/messages/${encodeURIComponent(id)}`))
      expect(status).toBe(404)
      expect(html).toContain("does not exist, or you do not have access to it")
      expect(html).not.toContain("for spec 2")
    }
    const fragment = await browser.request(`/messages/${spec2Channel}/messages`, { headers: { "hx-request": "true" } })
    expect(fragment.status).toBe(404)
    expect(await fragment.text()).toMatch(/^<p class="error" role="alert">/)
  })

  it("moves the channel with the newest text to the top and keeps the list reloading on live inbox events", async () => {
    await textIn(server, phoneOf("c2"), world.lines.org.number, "from Robin")
    await textIn(server, phoneOf("c1"), world.lines.org.number, "from Casey")
    const browser = await server.signIn("coordinator")
    const first = await (await browser.request("/messages")).text()
    expect(first.indexOf("Casey One")).toBeLessThan(first.indexOf("Robin Two"))
    expect(first).toContain('hx-trigger="inbox from:#live, inbox-changed from:body"')
    await textIn(server, phoneOf("c2"), world.lines.org.number, "Robin again")
    const list = await (await browser.request("/messages/inbox", { headers: { "hx-request": "true" } })).text()
    expect(list.startsWith('<ul id="inbox-list"')).toBe(true)
    expect(list.indexOf("Robin Two")).toBeLessThan(list.indexOf("Casey One"))
  })

  it("filters by status and archive, with the current filter marked", async () => {
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "hello")
    const id = await channelIdOf(server, world.lines.spec1, phoneOf("c1"))
    const browser = await server.signIn("spec1")
    const listOf = async (filter: string) => (await browser.request(`/messages/inbox?filter=${filter}`)).text()
    expect(await listOf("unread")).toContain("Casey One")
    expect(await listOf("done")).not.toContain("Casey One")
    const plainDone = await browser.request(`/messages/${id}/status`, { form: { status: "done", back: "/messages?filter=unread" }, csrf: true })
    expect(plainDone.status).toBe(303)
    expect(plainDone.headers.get("location")).toBe("/messages?filter=unread")
    const offSite = await browser.request(`/messages/${id}/status`, { form: { status: "done", back: "//evil.example/" }, csrf: true })
    expect(offSite.headers.get("location")).toBe(`/messages/${id}`)
    expect(await listOf("unread")).not.toContain("Casey One")
    expect(await listOf("done")).toContain("Casey One")
    expect((await browser.request(`/messages/${id}/archive`, { form: { archived: "true" }, csrf: true })).status).toBe(303)
    expect(await listOf("all")).not.toContain("Casey One")
    expect(await listOf("archived")).toContain("Casey One")
    const archivedPage = await (await browser.request("/messages?filter=archived")).text()
    expect(archivedPage).toContain('<a href="/messages?filter=archived" aria-current="true">Archived</a>')
  })

  it("refuses a filter it does not know with 400 and a message", async () => {
    const browser = await server.signIn("spec1")
    const { status, html } = await page(await browser.request("/messages?filter=sideways"))
    expect(status).toBe(400)
    expect(html).toContain("filter:")
  })

  it("searches by client name and by words, never finding what the policy hides", async () => {
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "about the appointment tomorrow")
    await textIn(server, phoneOf("c3"), world.lines.spec2.number, "appointment for Sky")
    const browser = await server.signIn("spec1")
    const byWords = await (await browser.request("/messages?q=appointment")).text()
    expect(byWords).toContain("Casey One")
    expect(byWords).not.toContain("Sky Three")
    const byName = await (await browser.request("/messages?q=Casey")).text()
    expect(byName).toContain("Casey One")
    const nothing = await (await browser.request("/messages?q=zebra")).text()
    expect(nothing).toContain("No conversations here.")
  })

  it("lets a queue member switch to the queue's inbox", async () => {
    const queueId = QueueId.make("queue_front")
    const queueLine = makeLine({ id: LineId.make("line_queue"), organisationId: world.lines.org.organisationId, number: phone(9_000_010), owner: { _tag: "Queue", queueId }, ratePerSecond: 10 })
    await server.runtime.runPromise(Directory.use((d) => d.putQueue({ id: queueId, organisationId: world.lines.org.organisationId, name: "Front desk", members: [world.staff.coordinator.id] })))
    await server.runtime.runPromise(Directory.use((d) => d.putLine(queueLine)))
    await textIn(server, phoneOf("c1"), queueLine.number, "to the desk")
    await textIn(server, phoneOf("c2"), world.lines.org.number, "to the org")
    const browser = await server.signIn("coordinator")
    const all = await (await browser.request("/messages")).text()
    expect(all).toContain("Front desk")
    expect(all).toContain("Casey One")
    expect(all).toContain("Robin Two")
    const queue = await (await browser.request(`/messages?queue=${queueId}`)).text()
    expect(queue).toContain(`<a href="/messages?queue=${queueId}" aria-current="true">Front desk</a>`)
    const list = queue.slice(queue.indexOf('id="inbox-list"'))
    expect(list).toContain("Casey One")
    expect(list).not.toContain("Robin Two")
  })

  it("shows unread channels in the notification centre, each with Mark as complete", async () => {
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "hi")
    const id = await channelIdOf(server, world.lines.spec1, phoneOf("c1"))
    const browser = await server.signIn("spec1")
    const html = await (await browser.request("/messages")).text()
    const centre = html.slice(html.indexOf('id="notification-centre"'), html.indexOf("</details>"))
    expect(centre).toContain('aria-label="Notifications: 1 unread"')
    expect(centre).toContain("Casey One – Mobile")
    expect(centre).toContain("Mark as complete")
    const done = await browser.request(`/messages/${id}/status`, { form: { status: "done", back: "/messages" }, csrf: true, headers: { "hx-request": "true" } })
    expect(done.status).toBe(200)
    expect(done.headers.get("hx-trigger")).toContain("inbox-changed")
    expect((await channelOf(server, id)).status).toBe("done")
    const after = await (await browser.request("/messages/notifications", { headers: { "hx-request": "true" } })).text()
    expect(after).toContain('aria-label="Notifications: 0 unread"')
  })
})

describe("GET /messages/:id (a channel)", () => {
  it("shows the messages oldest first with exact times on hover, marks the channel read and audits the read", async () => {
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "first text")
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "second text")
    const id = await channelIdOf(server, world.lines.spec1, phoneOf("c1"))
    const browser = await server.signIn("spec1")
    const { status, html } = await page(await browser.request(`/messages/${id}`))
    expect(status).toBe(200)
    expect(html.indexOf("first text")).toBeLessThan(html.indexOf("second text"))
    expect(html).toMatch(/<time datetime="[^"]+" title="[A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d:\d\d [^"]+">/)
    expect(html).toContain(`hx-trigger="channel-${id} from:#live, message-sent from:body, charted from:body"`)
    expect(html).toContain("data-autoscroll")
    expect(html).toContain('<a href="/clients/client_1">Open client profile</a>')
    expect((await channelOf(server, id)).status).toBe("open")
    // A click on an inbox row swaps the middle and right panes (and refreshes the list) and pushes the URL.
    expect(html).toContain(`hx-get="/messages/${id}" hx-target="#channel-panes" hx-select="#channel-panes" hx-select-oob="#inbox-list, #notification-centre" hx-swap="outerHTML" hx-push-url="true"`)
    const reads = (await auditOf(server)).filter((e) => e.action === "channel.read" && e.channelId === id)
    expect(reads.length).toBe(1)
    expect(reads[0]!.actor).toEqual({ _tag: "Staff", staffId: world.staff.spec1.id })
  })

  it("pages older messages with Load older", async () => {
    for (let i = 1; i <= 55; i++) await textIn(server, phoneOf("c1"), world.lines.spec1.number, `text number ${i}.`)
    const id = await channelIdOf(server, world.lines.spec1, phoneOf("c1"))
    const browser = await server.signIn("spec1")
    const html = await (await browser.request(`/messages/${id}`)).text()
    expect(html).toContain("text number 55.")
    expect(html).toContain("text number 6.")
    expect(html).not.toMatch(/<div class="body">text number 5\.<\/div>/)
    const olderUrl = /hx-get="(\/messages\/[^"]+\/older\?before=[^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&")
    const older = await (await browser.request(olderUrl, { headers: { "hx-request": "true" } })).text()
    expect(older).toContain("text number 5.")
    expect(older).toContain("text number 1.")
    expect(older.indexOf("text number 1.")).toBeLessThan(older.indexOf("text number 5."))
    expect(older).not.toContain("Load older")
    expect(older).not.toContain("text number 6.")
    expect((await browser.request(`/messages/${id}/older?before=nonsense`)).status).toBe(400)
  })

  it("renders a hostile client name and message body as inert text", async () => {
    const evil = `<script>alert(1)</script><img src=x onerror=alert(2)><a hx-get="/sign-out">x</a>`
    await server.runtime.runPromise(Directory.use((d) => d.updateClient(world.clients.c1.id, (client) => ({ ...client, name: evil }))))
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, evil)
    const id = await channelIdOf(server, world.lines.spec1, phoneOf("c1"))
    const browser = await server.signIn("spec1")
    for (const path of ["/messages", `/messages/${id}`, `/messages/${id}/messages`, `/messages/${id}/actions`]) {
      const html = await (await browser.request(path)).text()
      expect(html).not.toContain("<script>alert")
      expect(html).not.toContain("<img src=x")
      expect(html).not.toContain('<a hx-get="/sign-out">')
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    }
  })
})
