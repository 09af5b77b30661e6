import { AuditEventId, AuditLog, type AuditAction, type AuditEvent } from "@careline/core"
import { T0 } from "@careline/testkit"
import { Effect } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf, isBrowser, post, signInWith } from "./AdminTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const orgA = world.staff.admin.organisationId

/** `count` events, one a minute from T0: alternately by spec_1 reading client_1's channel and by the coordinator sending to client_3. */
const seedEvents = (count: number) =>
  server.runtime.runPromise(Effect.gen(function* () {
    const log = yield* AuditLog
    for (let n = 1; n <= count; n++) {
      const bySpec = n % 2 === 1
      const event: AuditEvent = {
        id: AuditEventId.make(`aud_test_${String(n).padStart(3, "0")}`),
        organisationId: orgA,
        at: T0 + n * 60_000,
        actor: { _tag: "Staff", staffId: bySpec ? world.staff.spec1.id : world.staff.coordinator.id },
        action: (bySpec ? "channel.read" : "message.send") satisfies AuditAction,
        clientId: bySpec ? world.clients.c1.id : world.clients.c3.id,
        detail: `n=${n}`
      }
      yield* log.append(event)
    }
  }))

const details = (html: string) => [...html.matchAll(/n=(\d+)/g)].map((m) => Number(m[1]))

describe("the audit log page", () => {
  it("shows newest first, 50 a page, with who, what, when and which client", async () => {
    await seedEvents(60)
    const admin = await server.signIn("admin")
    const first = await (await admin.request("/admin/audit")).text()
    expect(details(first)).toEqual(Array.from({ length: 50 }, (_, i) => 60 - i))
    expect(first).toContain("Casey One")
    expect(first).toContain("spec_1")
    expect(first).toContain("channel.read")
    expect(first).toContain('rel="next"')
    const second = await (await admin.request("/admin/audit?page=2")).text()
    expect(details(second)).toEqual(Array.from({ length: 10 }, (_, i) => 10 - i))
    expect(second).not.toContain('rel="next"')
    expect(second).toContain('rel="prev"')
  })

  it("filters by staff, client and action, and keeps the filters when paging", async () => {
    await seedEvents(120)
    const admin = await server.signIn("admin")
    const bySpec = await (await admin.request(`/admin/audit?staff=${world.staff.spec1.id}`)).text()
    expect(details(bySpec).every((n) => n % 2 === 1)).toBe(true)
    expect(details(bySpec)).toHaveLength(50)
    expect(bySpec).toContain(`staff=${world.staff.spec1.id}&amp;page=2`)
    const page2 = await (await admin.request(`/admin/audit?staff=${world.staff.spec1.id}&page=2`)).text()
    expect(details(page2)).toEqual(Array.from({ length: 10 }, (_, i) => 19 - 2 * i))
    const byClient = await (await admin.request(`/admin/audit?client=${world.clients.c3.id}`)).text()
    expect(details(byClient).every((n) => n % 2 === 0)).toBe(true)
    const byAction = await (await admin.request("/admin/audit?action=message.send&staff=")).text()
    expect(details(byAction)[0]).toBe(120)
    expect(details(byAction).every((n) => n % 2 === 0)).toBe(true)
    const none = await (await admin.request(`/admin/audit?staff=${world.staff.spec1.id}&action=message.send`)).text()
    expect(none).toContain("No events match.")
  })

  it("answers 400 for filters that are not valid", async () => {
    const admin = await server.signIn("admin")
    for (const query of ["action=drop.tables", "page=0", "page=abc", "staff=%3Cscript%3E"]) {
      const answer = await admin.request(`/admin/audit?${query}`)
      expect(answer.status, query).toBe(400)
      expect(await answer.text()).not.toContain("<script>")
    }
  })

  it("lists the admin's own actions, never a password or a template's text", async () => {
    const admin = await server.signIn("admin")
    await post(admin, "/admin/staff", { name: "Nia", email: "nia@example.org", role: "specialist", password: "a long enough secret" })
    await post(admin, "/settings/templates", { optInRequest: "canary opt in", welcome: "canary welcome", help: "canary help", optOutConfirmation: "canary bye", afterHours: "" })
    const html = await (await admin.request("/admin/audit")).text()
    expect(html).toContain("staff.create")
    expect(html).toContain("organisation.settings")
    expect(html).not.toContain("canary")
    expect(html).not.toContain("a long enough secret")
  })
})

describe("the audit CSV export", () => {
  it("exports the filtered rows newest first as an attachment, and audits each export", async () => {
    await seedEvents(4)
    const admin = await server.signIn("admin")
    const all = await admin.request("/admin/audit.csv")
    expect(all.status).toBe(200)
    expect(all.headers.get("content-type")).toBe("text/csv; charset=utf-8")
    expect(all.headers.get("content-disposition")).toMatch(/^attachment; filename="careline-audit-\d{4}-\d{2}-\d{2}\.csv"$/)
    const lines = (await all.text()).split("\r\n")
    expect(lines).toEqual([
      "time_utc,actor,actor_id,action,client,client_id,channel_id,detail",
      `${new Date(T0 + 4 * 60_000).toISOString()},coord,coord,message.send,Sky Three,client_3,,n=4`,
      `${new Date(T0 + 3 * 60_000).toISOString()},spec_1,spec_1,channel.read,Casey One,client_1,,n=3`,
      `${new Date(T0 + 2 * 60_000).toISOString()},coord,coord,message.send,Sky Three,client_3,,n=2`,
      `${new Date(T0 + 60_000).toISOString()},spec_1,spec_1,channel.read,Casey One,client_1,,n=1`,
      ""
    ])
    const filtered = (await (await admin.request(`/admin/audit.csv?staff=${world.staff.coordinator.id}&action=message.send`)).text()).split("\r\n")
    expect(filtered.slice(1, -1).map((l) => l.split(",").at(-1))).toEqual(["n=4", "n=2"])
    const byClient = (await (await admin.request(`/admin/audit.csv?client=${world.clients.c1.id}`)).text()).split("\r\n")
    expect(byClient.slice(1, -1).map((l) => l.split(",").at(-1))).toEqual(["n=3", "n=1"])
    const exports = await auditOf(server, "audit.export")
    expect(exports.map((e) => [e.actor, e.clientId, e.detail])).toEqual([
      [{ _tag: "Staff", staffId: world.staff.admin.id }, undefined, "rows=4"],
      [{ _tag: "Staff", staffId: world.staff.admin.id }, undefined, `staff=${world.staff.coordinator.id} action=message.send rows=2`],
      [{ _tag: "Staff", staffId: world.staff.admin.id }, world.clients.c1.id, "rows=2"]
    ])
  })

  it("defuses formula names in the actor column and quotes commas", async () => {
    const admin = await server.signIn("admin")
    for (const [id, name] of [["evil", `=HYPERLINK("http://evil.example","x")`], ["brooks", "Brooks, Nia"], ["plus", "+1 Caller"], ["at", "@home"]] as const) {
      await post(admin, "/admin/staff", { name, email: `${id}@example.org`, role: "admin", password: "a long enough secret" })
    }
    // Each new admin takes an action, so their names appear in the actor column.
    for (const id of ["evil", "brooks", "plus", "at"]) {
      const browser = await signInWith(server, `${id}@example.org`, "a long enough secret")
      if (!isBrowser(browser)) throw new Error("sign-in failed")
      await post(browser, `/admin/staff/${world.staff.spec2.id}/tokens/revoke`)
    }
    const text = await (await admin.request("/admin/audit.csv?action=token.revoke")).text()
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`)
    expect(text).toContain(`"Brooks, Nia"`)
    expect(text).toContain(`,'+1 Caller,`)
    expect(text).toContain(`,'@home,`)
    expect(text).not.toMatch(/(^|\r\n|,)=HYPERLINK/)
  })
})
