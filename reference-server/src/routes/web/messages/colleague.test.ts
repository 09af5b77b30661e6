import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf, channelIdOf, channelOf, phoneOf, textIn } from "./MessagesTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
  await textIn(server, phoneOf("c1"), world.lines.spec1.number, "Casey to spec 1")
})
afterEach(() => server.close())

describe("a colleague's inbox (S3)", () => {
  it("is refused to a specialist, a coordinator and front office with 403", async () => {
    for (const who of ["spec2", "coordinator", "frontOffice"] as const) {
      const browser = await server.signIn(who)
      const answer = await browser.request(`/messages/colleague/${world.staff.spec1.id}`)
      expect(answer.status).toBe(403)
      const html = await answer.text()
      expect(html).toContain("Only supervisors and admins can view a colleague&#39;s inbox.")
      expect(html).not.toContain("Casey")
      expect((await browser.request(`/messages/colleague?staffId=${world.staff.spec1.id}`)).status).toBe(403)
    }
    expect((await auditOf(server)).some((e) => e.action === "inbox.view_colleague")).toBe(false)
  })

  it("shows a supervisor or admin the colleague's inbox read-only, clearly marked, and audits the view", async () => {
    const admin = await server.signIn("admin")
    const switched = await admin.request(`/messages/colleague?staffId=${world.staff.spec1.id}`)
    expect(switched.status).toBe(303)
    expect(switched.headers.get("location")).toBe(`/messages/colleague/${world.staff.spec1.id}`)
    const answer = await admin.request(`/messages/colleague/${world.staff.spec1.id}`)
    expect(answer.status).toBe(200)
    const html = await answer.text()
    expect(html).toContain("Read-only: spec_1&#39;s inbox")
    expect(html).toContain("Casey One – Mobile")
    expect(html).not.toContain("Mark done")
    expect(html).not.toContain("hx-post")
    expect(html).toContain(`<option value="${world.staff.spec1.id}" selected="">spec_1 (specialist)</option>`)
    const views = (await auditOf(server)).filter((e) => e.action === "inbox.view_colleague")
    expect(views).toMatchObject([{ actor: { _tag: "Staff", staffId: world.staff.admin.id }, detail: `staff=${world.staff.spec1.id}` }])
  })

  it("opens a colleague's channel without a composer or actions, audited, and leaves it unread", async () => {
    const id = await channelIdOf(server, world.lines.spec1, phoneOf("c1"))
    const admin = await server.signIn("admin")
    const answer = await admin.request(`/messages/colleague/${world.staff.spec1.id}/${id}`)
    expect(answer.status).toBe(200)
    const html = await answer.text()
    expect(html).toContain("Casey to spec 1")
    expect(html).toContain('<span class="badge readonly">Read-only</span>')
    expect(html).not.toContain('id="composer"')
    expect(html).not.toContain("<form method=\"post\" action=\"/messages/")
    expect((await channelOf(server, id)).status).toBe("unread")
    const reads = (await auditOf(server)).filter((e) => e.action === "channel.read" && e.channelId === id)
    expect(reads).toMatchObject([{ actor: { _tag: "Staff", staffId: world.staff.admin.id }, detail: `as=${world.staff.spec1.id}` }])
    // The admin's own view of the channel is still refused: it is spec_1's personal line.
    expect((await admin.request(`/messages/${id}`)).status).toBe(404)
  })

  it("is 404 for a colleague in another organisation, or a channel the colleague cannot see", async () => {
    await textIn(server, phoneOf("c3"), world.lines.spec2.number, "Sky to spec 2")
    const spec2Channel = await channelIdOf(server, world.lines.spec2, phoneOf("c3"))
    const otherAdmin = await server.signIn("adminB")
    expect((await otherAdmin.request(`/messages/colleague/${world.staff.spec1.id}`)).status).toBe(404)
    const admin = await server.signIn("admin")
    expect((await admin.request(`/messages/colleague/${world.staff.spec1.id}/${spec2Channel}`)).status).toBe(404)
    expect((await admin.request("/messages/colleague/nobody")).status).toBe(404)
  })
})
