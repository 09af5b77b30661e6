import { Directory, PhoneNumber, QueueId, StaffId } from "@careline/core"
import { Effect, Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf, post, postPairs } from "./AdminTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const orgA = world.staff.admin.organisationId
const directory = <A>(f: (d: Directory["Service"]) => Effect.Effect<A, unknown>) => server.runtime.runPromise(Effect.orDie(Directory.use(f)))

describe("clients tab", () => {
  it("lists the organisation's clients and deactivates / activates one, audited with the client", async () => {
    const admin = await server.signIn("admin")
    const html = await (await admin.request("/admin/clients")).text()
    expect(html).toContain("Casey One")
    expect(html).not.toContain("Bea Other")
    expect(html).toContain('href="/clients"')
    expect((await post(admin, `/admin/clients/${world.clients.c2.id}/active`, { active: "false" })).status).toBe(303)
    expect(Option.getOrThrow(await directory((d) => d.getClient(world.clients.c2.id))).active).toBe(false)
    expect((await post(admin, `/admin/clients/${world.clients.c2.id}/active`, { active: "true" })).status).toBe(303)
    expect(Option.getOrThrow(await directory((d) => d.getClient(world.clients.c2.id))).active).toBe(true)
    expect((await auditOf(server, "client.active")).map((e) => [e.clientId, e.detail])).toEqual([
      [world.clients.c2.id, "active=false"],
      [world.clients.c2.id, "active=true"]
    ])
  })

  it("answers 404 for another organisation's client and 422 for a bad form, changing nothing", async () => {
    const admin = await server.signIn("admin")
    expect((await post(admin, `/admin/clients/${world.clients.b1.id}/active`, { active: "false" })).status).toBe(404)
    expect((await post(admin, `/admin/clients/${world.clients.c1.id}/active`, { active: "maybe" })).status).toBe(422)
    expect(Option.getOrThrow(await directory((d) => d.getClient(world.clients.b1.id))).active).toBe(true)
    expect(await auditOf(server, "client.active")).toEqual([])
  })
})

describe("assignments tab", () => {
  it("shows who is assigned to whom and each caseload", async () => {
    const admin = await server.signIn("admin")
    const html = await (await admin.request("/admin/assignments")).text()
    expect(html).toMatch(/Casey One<\/a><\/td><td>spec_1/)
    expect(html).toMatch(/Sky Three<\/a><\/td><td>spec_2/)
    expect(html).toMatch(/Robin Two<\/a><\/td><td><span class="muted">Nobody/)
    expect(html).toContain("spec_1: 1 client")
  })
})

describe("lines and queues tab", () => {
  it("lists lines with owner and rate, and adds a line owned by a staff member, audited", async () => {
    const admin = await server.signIn("admin")
    const page = await (await admin.request("/admin/lines")).text()
    expect(page).toContain(world.lines.spec1.number)
    expect(page).toContain("Staff: spec_1")
    expect(page).not.toContain(world.lines.orgB.number)
    const added = await post(admin, "/admin/lines", { number: "+15557770100", owner: `staff:${world.staff.spec2.id}`, rate: "3" })
    expect(added.status).toBe(303)
    const line = Option.getOrThrow(await directory((d) => d.findLineByNumber(PhoneNumber.make("+15557770100"))))
    expect(line).toMatchObject({ organisationId: orgA, owner: { _tag: "Staff", staffId: world.staff.spec2.id }, ratePerSecond: 3 })
    expect((await auditOf(server, "line.add")).map((e) => e.detail)).toEqual([`line=${line.id} owner=staff:${world.staff.spec2.id} rate=3`])
  })

  it("refuses a bad number, a taken number, a bad rate and another organisation's owner, adding nothing", async () => {
    const admin = await server.signIn("admin")
    const before = (await directory((d) => d.listLines(orgA))).length
    const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
      [{ number: "555-1234" }, "a phone number in international form"],
      [{ number: world.lines.orgB.number }, `${world.lines.orgB.number} is already a line.`],
      [{ rate: "0" }, "texts per second, above 0"],
      [{ owner: `staff:${world.staff.adminB.id}` }, "The owner must be staff of this organisation."],
      [{ owner: "everyone" }, "who owns the line"]
    ]
    for (const [change, problem] of cases) {
      const answer = await post(admin, "/admin/lines", { number: "+15557770101", owner: "organisation", rate: "1", ...change })
      expect(answer.status).toBe(422)
      expect(await answer.text()).toContain(problem)
    }
    expect((await directory((d) => d.listLines(orgA))).length).toBe(before)
    expect(await auditOf(server, "line.add")).toEqual([])
  })

  it("creates a queue with members, edits its members through the core, and adds a queue line", async () => {
    const admin = await server.signIn("admin")
    const created = await postPairs(server, admin, "/admin/queues", [["name", "Front desk"], ["members", world.staff.spec1.id], ["members", world.staff.frontOffice.id]])
    expect(created.status).toBe(303)
    const queue = (await directory((d) => d.listQueues(orgA))).find((q) => q.name === "Front desk")!
    expect(queue.members).toEqual([world.staff.spec1.id, world.staff.frontOffice.id])
    expect((await postPairs(server, admin, "/admin/queues", [["name", "front DESK"]])).status).toBe(422)
    expect((await postPairs(server, admin, `/admin/queues/${queue.id}/members`, [["members", world.staff.spec2.id]])).status).toBe(303)
    expect(Option.getOrThrow(await directory((d) => d.getQueue(queue.id))).members).toEqual([world.staff.spec2.id])
    const outsider = await postPairs(server, admin, `/admin/queues/${queue.id}/members`, [["members", world.staff.adminB.id]])
    expect(outsider.status).toBe(422)
    expect((await postPairs(server, admin, `/admin/queues/${queue.id}/members`, [])).status).toBe(303)
    expect(Option.getOrThrow(await directory((d) => d.getQueue(queue.id))).members).toEqual([])
    expect((await postPairs(server, admin, "/admin/queues/queue_nope/members", [])).status).toBe(404)
    expect((await post(admin, "/admin/lines", { number: "+15557770102", owner: `queue:${queue.id}`, rate: "1" })).status).toBe(303)
    expect(await (await admin.request("/admin/lines")).text()).toContain("Queue: Front desk")
    expect((await auditOf(server, "queue.create")).length).toBe(1)
    expect((await auditOf(server, "queue.members")).map((e) => e.detail)).toEqual([`queue=${queue.id} members=1`, `queue=${queue.id} members=0`])
  })

  it("answers 404 for another organisation's queue", async () => {
    await directory((d) => d.putQueue({ id: QueueId.make("queue_b"), organisationId: world.staff.adminB.organisationId, name: "B", members: [StaffId.make("admin_b")] }))
    const admin = await server.signIn("admin")
    expect((await postPairs(server, admin, "/admin/queues/queue_b/members", [])).status).toBe(404)
    expect(Option.getOrThrow(await directory((d) => d.getQueue(QueueId.make("queue_b")))).members).toEqual(["admin_b"])
  })
})

describe("markup in names", () => {
  it("renders client and queue names with markup as inert text on every admin tab", async () => {
    const payload = `<script>alert(1)</script><i hx-get="/admin/audit.csv" hx-trigger="load">x</i>`
    await directory((d) => d.updateClient(world.clients.c1.id, (client) => ({ ...client, name: payload })))
    await directory((d) => d.putQueue({ id: QueueId.make("queue_x"), organisationId: orgA, name: payload, members: [] }))
    const admin = await server.signIn("admin")
    for (const path of ["/admin/clients", "/admin/assignments", "/admin/lines", "/admin/audit", "/settings"]) {
      const html = await (await admin.request(path)).text()
      expect(html, path).not.toContain("<script>alert(1)")
      expect(html, path).not.toContain('<i hx-get="/admin/audit.csv"')
      expect(html, path).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    }
  })
})
