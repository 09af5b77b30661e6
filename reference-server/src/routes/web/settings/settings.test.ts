import { Directory, QueueId } from "@careline/core"
import { Effect, Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf, organisationA, post, staffMember } from "../admin/AdminTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const queueId = QueueId.make("queue_front")
const addQueue = () =>
  server.runtime.runPromise(Directory.use((d) => d.putQueue({ id: queueId, organisationId: world.staff.admin.organisationId, name: "Front desk", members: [] })))

const hoursForm = (overrides: Record<string, string> = {}) => ({
  timeZone: "America/Chicago",
  mon_opens: "09:00", mon_closes: "17:00",
  tue_opens: "08:30", tue_closes: "12:00",
  ...overrides
})

const templatesForm = (overrides: Record<string, string> = {}) => ({
  optInRequest: "Reply YES to get texts from Harbour Care.",
  welcome: "Welcome to Harbour Care texts.",
  help: "Call 555-0100 for help.",
  optOutConfirmation: "You will get no more texts.",
  afterHours: "We are closed; we answer from 9am.",
  ...overrides
})

describe("who may open settings", () => {
  it("specialists, coordinators and front office get a clear 403 page; supervisors and admins get the settings", async () => {
    for (const who of ["spec1", "coordinator", "frontOffice"] as const) {
      const browser = await server.signIn(who)
      const answer = await browser.request("/settings")
      expect(answer.status).toBe(403)
      expect(await answer.text()).toContain("Only supervisors and admins can use this page.")
      expect((await post(browser, "/settings/crisis-words", { words: "overdose" })).status).toBe(403)
    }
    expect((await organisationA(server)).crisisWords).toBeUndefined()
    const { browser: supervisor } = await staffMember(server, "sup", "supervisor")
    const page = await supervisor.request("/settings")
    expect(page.status).toBe(200)
    const html = await page.text()
    for (const heading of ["Business hours", "Holidays", "Message templates", "After-hours replies per queue", "Crisis words"]) expect(html).toContain(heading)
    expect((await (await server.signIn("admin")).request("/settings")).status).toBe(200)
  })

  it("refuses a post without the CSRF token", async () => {
    const admin = await server.signIn("admin")
    expect((await admin.request("/settings/crisis-words", { form: { words: "overdose" } })).status).toBe(403)
    expect((await organisationA(server)).crisisWords).toBeUndefined()
  })
})

describe("business hours and holidays", () => {
  it("saves the weekly schedule and time zone, audited", async () => {
    const { browser } = await staffMember(server, "sup", "supervisor")
    const saved = await post(browser, "/settings/hours", hoursForm())
    expect(saved.status).toBe(303)
    expect(saved.headers.get("location")).toBe("/settings?saved=hours#hours")
    expect((await organisationA(server)).businessHours).toEqual({
      timeZone: "America/Chicago",
      weekly: [{ day: "mon", opens: "09:00", closes: "17:00" }, { day: "tue", opens: "08:30", closes: "12:00" }],
      holidays: []
    })
    expect((await auditOf(server, "organisation.settings")).map((e) => [e.actor, e.detail])).toEqual([[{ _tag: "Staff", staffId: "sup" }, "changed=businessHours"]])
    const page = await (await browser.request("/settings?saved=hours")).text()
    expect(page).toContain("Business hours saved.")
    expect(page).toContain('value="08:30"')
  })

  it("refuses closes before opens, half a day, and an unknown zone, in the page, saving nothing", async () => {
    const admin = await server.signIn("admin")
    const before = await organisationA(server)
    const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
      [{ mon_closes: "08:00" }, "Monday: closes (08:00) must be after opens (09:00)"],
      [{ tue_closes: "" }, "Tuesday: give both the opening and the closing time, or neither (closed)"],
      [{ timeZone: "Mars/Olympus" }, "a known time zone, like America/Chicago"],
      [{ wed_opens: "25:00", wed_closes: "26:00" }, "a time like 09:00"]
    ]
    for (const [change, problem] of cases) {
      const answer = await post(admin, "/settings/hours", hoursForm(change))
      expect(answer.status).toBe(422)
      const html = await answer.text()
      expect(html).toContain(problem)
      expect(html).toContain('role="alert"')
    }
    expect(await organisationA(server)).toEqual(before)
    expect(await auditOf(server, "organisation.settings")).toEqual([])
  })

  it("adds and removes holidays; refuses a bad or repeated date", async () => {
    const admin = await server.signIn("admin")
    expect((await post(admin, "/settings/holidays", { date: "2026-12-25" })).status).toBe(303)
    expect((await post(admin, "/settings/holidays", { date: "2026-01-01" })).status).toBe(303)
    expect((await organisationA(server)).businessHours.holidays).toEqual(["2026-01-01", "2026-12-25"])
    const repeated = await post(admin, "/settings/holidays", { date: "2026-12-25" })
    expect(repeated.status).toBe(422)
    expect(await repeated.text()).toContain("2026-12-25 is already a holiday.")
    const bad = await post(admin, "/settings/holidays", { date: "2026-13-45" })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain("a date like 2026-12-25")
    expect((await post(admin, "/settings/holidays/remove", { date: "2026-01-01" })).status).toBe(303)
    expect((await organisationA(server)).businessHours.holidays).toEqual(["2026-12-25"])
    expect(await (await admin.request("/settings")).text()).toContain('datetime="2026-12-25"')
  })
})

describe("templates", () => {
  it("saves every template; an empty after-hours reply means none", async () => {
    const admin = await server.signIn("admin")
    expect((await post(admin, "/settings/templates", templatesForm())).status).toBe(303)
    expect((await organisationA(server)).templates).toEqual(templatesForm())
    expect((await post(admin, "/settings/templates", templatesForm({ afterHours: "  " }))).status).toBe(303)
    expect((await organisationA(server)).templates.afterHours).toBeUndefined()
    expect((await auditOf(server, "organisation.settings")).map((e) => e.detail)).toEqual(["changed=templates", "changed=templates"])
    expect(JSON.stringify(await auditOf(server, "organisation.settings"))).not.toContain("Harbour Care texts")
  })

  it("refuses an empty template or one over 1600 characters, saving nothing", async () => {
    const admin = await server.signIn("admin")
    const before = await organisationA(server)
    const empty = await post(admin, "/settings/templates", templatesForm({ welcome: " " }))
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain("The welcome message cannot be empty")
    const long = await post(admin, "/settings/templates", templatesForm({ help: "x".repeat(1601) }))
    expect(long.status).toBe(422)
    expect(await long.text()).toContain("The help message can be at most 1600 characters (it has 1601)")
    expect(await organisationA(server)).toEqual(before)
  })

  it("renders a template with markup as inert text", async () => {
    const admin = await server.signIn("admin")
    const payload = `<script>alert(1)</script><img src=x hx-get="/admin" onerror=alert(2)>`
    await post(admin, "/settings/templates", templatesForm({ welcome: payload }))
    const html = await (await admin.request("/settings")).text()
    expect(html).not.toContain("<script>alert(1)")
    expect(html).not.toContain('<img src=x hx-get="/admin"')
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
  })
})

describe("queue after-hours replies", () => {
  it("sets and clears a queue's own reply, audited; too long is refused", async () => {
    await addQueue()
    const { browser } = await staffMember(server, "sup", "supervisor")
    expect(await (await browser.request("/settings")).text()).toContain("Front desk")
    expect((await post(browser, `/settings/queues/${queueId}/after-hours`, { text: "Front desk closed." })).status).toBe(303)
    const queue = () => server.runtime.runPromise(Effect.map(Directory.use((d) => d.getQueue(queueId)), Option.getOrThrow))
    expect((await queue()).afterHoursReply).toBe("Front desk closed.")
    const long = await post(browser, `/settings/queues/${queueId}/after-hours`, { text: "y".repeat(1601) })
    expect(long.status).toBe(422)
    expect((await queue()).afterHoursReply).toBe("Front desk closed.")
    expect((await post(browser, `/settings/queues/${queueId}/after-hours`, { text: "" })).status).toBe(303)
    expect((await queue()).afterHoursReply).toBeUndefined()
    expect((await auditOf(server, "queue.settings")).map((e) => e.detail)).toEqual([`queue=${queueId} afterHours=set`, `queue=${queueId} afterHours=cleared`])
  })

  it("answers 404 for a queue that does not exist or belongs to another organisation", async () => {
    await server.runtime.runPromise(Directory.use((d) => d.putQueue({ id: QueueId.make("queue_b"), organisationId: world.staff.adminB.organisationId, name: "Other", members: [] })))
    const admin = await server.signIn("admin")
    expect((await post(admin, "/settings/queues/queue_nope/after-hours", { text: "x" })).status).toBe(404)
    expect((await post(admin, "/settings/queues/queue_b/after-hours", { text: "x" })).status).toBe(404)
    expect(await auditOf(server, "queue.settings")).toEqual([])
  })
})

describe("crisis words", () => {
  it("splits on commas and lines, drops blanks and repeats, and saves", async () => {
    const admin = await server.signIn("admin")
    expect((await post(admin, "/settings/crisis-words", { words: "suicide, overdose\n\nkill myself\nOverdose," })).status).toBe(303)
    expect((await organisationA(server)).crisisWords).toEqual(["suicide", "overdose", "kill myself"])
    expect(await (await admin.request("/settings")).text()).toContain("suicide\noverdose\nkill myself")
  })

  it("refuses punctuation-only words and overlong phrases", async () => {
    const admin = await server.signIn("admin")
    expect((await post(admin, "/settings/crisis-words", { words: "!!!" })).status).toBe(422)
    expect((await post(admin, "/settings/crisis-words", { words: "a".repeat(101) })).status).toBe(422)
    expect((await organisationA(server)).crisisWords).toBeUndefined()
  })
})
