import { Directory, type Staff } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, testPassword, world } from "../../../testing/TestServer.js"
import { auditOf, isBrowser, post, signInWith, staffMember } from "./AdminTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const staffList = () => server.runtime.runPromise(Directory.use((d) => d.listStaff(world.staff.admin.organisationId)))
const staffByEmail = async (email: string): Promise<Staff | undefined> => (await staffList()).find((s) => s.email === email)
const bearer = (token: string) => server.app.request("/api/v1/me", { headers: { authorization: `Bearer ${token}` } })
const newStaff = { name: "Nia Brooks", email: "nia@example.org", role: "coordinator", password: "a long enough secret" }

describe("who may use admin", () => {
  it("everyone but admins gets a clear 403 on every admin page and action, supervisors included", async () => {
    const { browser: supervisor } = await staffMember(server, "sup", "supervisor")
    const others = [supervisor, ...(await Promise.all((["spec1", "coordinator", "frontOffice"] as const).map((who) => server.signIn(who))))]
    for (const browser of others) {
      for (const path of ["/admin", "/admin/clients", "/admin/assignments", "/admin/lines", "/admin/audit", "/admin/audit.csv"]) {
        const answer = await browser.request(path)
        expect(answer.status, path).toBe(403)
        expect(await answer.text()).toContain("Only admins can use this page.")
      }
      expect((await post(browser, "/admin/staff", newStaff)).status).toBe(403)
      expect((await post(browser, `/admin/staff/${world.staff.spec2.id}/active`, { active: "false" })).status).toBe(403)
    }
    expect(await staffByEmail(newStaff.email)).toBeUndefined()
    expect((await staffList()).find((s) => s.id === world.staff.spec2.id)?.active).toBe(true)
    expect(await auditOf(server, "staff.create")).toEqual([])
  })

  it("shows admins the staff list and the admin tabs", async () => {
    const admin = await server.signIn("admin")
    const answer = await admin.request("/admin")
    expect(answer.status).toBe(200)
    const html = await answer.text()
    for (const tab of ["Staff and roles", "Clients", "Assignments", "Lines and queues", "Audit log"]) expect(html).toContain(tab)
    expect(html).toContain(world.staff.spec1.email)
    expect(html).not.toContain(world.staff.adminB.email)
  })

  it("refuses an admin post without the CSRF token", async () => {
    const admin = await server.signIn("admin")
    expect((await admin.request("/admin/staff", { form: newStaff })).status).toBe(403)
    expect((await admin.request(`/admin/staff/${world.staff.spec1.id}/active`, { form: { active: "false" } })).status).toBe(403)
    expect(await staffByEmail(newStaff.email)).toBeUndefined()
    expect((await staffList()).find((s) => s.id === world.staff.spec1.id)?.active).toBe(true)
  })
})

describe("adding staff", () => {
  it("creates a staff member who can then sign in with the chosen password", async () => {
    const admin = await server.signIn("admin")
    const created = await post(admin, "/admin/staff", newStaff)
    expect(created.status).toBe(303)
    expect(created.headers.get("location")).toBe("/admin?saved=created")
    const stored = await staffByEmail(newStaff.email)
    expect(stored).toMatchObject({ name: "Nia Brooks", role: "coordinator", active: true })
    const nia = await signInWith(server, newStaff.email, newStaff.password)
    expect(isBrowser(nia)).toBe(true)
    if (isBrowser(nia)) expect((await nia.request("/admin")).status).toBe(403)
    expect((await auditOf(server, "staff.create")).map((e) => e.detail)).toEqual([`staff=${stored!.id} role=coordinator`])
    expect(JSON.stringify(await auditOf(server, "staff.create"))).not.toContain(newStaff.password)
  })

  it("refuses a short password, a bad email, an empty name, an unknown role and a taken email, creating nobody", async () => {
    const admin = await server.signIn("admin")
    const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
      [{ password: "short" }, "Use at least 12 characters."],
      [{ email: "not-an-email" }, "an email address, like sam@example.org"],
      [{ email: "nia\u0000@example.org" }, "an email address without control characters"],
      [{ name: "   " }, "The name cannot be empty"],
      [{ role: "overlord" }, "one of the roles in the list"],
      [{ email: world.staff.spec1.email!.toUpperCase() }, `Someone already has the email ${world.staff.spec1.email!.toUpperCase()}.`]
    ]
    const before = (await staffList()).length
    for (const [change, problem] of cases) {
      const answer = await post(admin, "/admin/staff", { ...newStaff, ...change })
      expect(answer.status).toBe(422)
      const html = await answer.text()
      expect(html).toContain(problem)
      expect(html).not.toContain(newStaff.password)
    }
    expect((await staffList()).length).toBe(before)
    expect(await auditOf(server, "staff.create")).toEqual([])
  })

  it("renders a name with markup as inert text", async () => {
    const admin = await server.signIn("admin")
    const name = `<script>alert(1)</script><b hx-get="/admin/audit.csv" hx-trigger="load">x</b>`
    expect((await post(admin, "/admin/staff", { ...newStaff, name })).status).toBe(303)
    for (const path of ["/admin", "/admin/lines", "/admin/audit"]) {
      const html = await (await admin.request(path)).text()
      expect(html).not.toContain("<script>alert(1)")
      expect(html).not.toContain('<b hx-get="/admin/audit.csv"')
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    }
  })
})

describe("roles", () => {
  it("changes a role through the core, audited; refuses one's own role and an unknown role", async () => {
    const admin = await server.signIn("admin")
    expect((await post(admin, `/admin/staff/${world.staff.spec1.id}/role`, { role: "supervisor" })).status).toBe(303)
    expect((await staffList()).find((s) => s.id === world.staff.spec1.id)?.role).toBe("supervisor")
    expect((await auditOf(server, "staff.role")).map((e) => e.detail)).toEqual([`staff=${world.staff.spec1.id} role=supervisor`])
    const own = await post(admin, `/admin/staff/${world.staff.admin.id}/role`, { role: "specialist" })
    expect(own.status).toBe(422)
    expect(await own.text()).toContain("You cannot change your own role")
    expect((await post(admin, `/admin/staff/${world.staff.spec2.id}/role`, { role: "root" })).status).toBe(422)
    expect((await post(admin, `/admin/staff/${world.staff.adminB.id}/role`, { role: "specialist" })).status).toBe(404)
    expect((await staffList()).find((s) => s.id === world.staff.admin.id)?.role).toBe("admin")
  })
})

describe("deactivation", () => {
  it("ends the person's open session and revokes their API token at once", async () => {
    const spec = await server.signIn("spec1")
    expect((await spec.request("/messages")).status).toBe(200)
    expect((await bearer(server.tokens.spec1)).status).toBe(200)
    const admin = await server.signIn("admin")
    const answer = await post(admin, `/admin/staff/${world.staff.spec1.id}/active`, { active: "false" })
    expect(answer.status).toBe(303)
    expect(answer.headers.get("location")).toBe("/admin?saved=deactivated")
    expect((await spec.request("/messages")).headers.get("location")).toMatch(/^\/sign-in/)
    expect((await bearer(server.tokens.spec1)).status).toBe(401)
    expect(isBrowser(await signInWith(server, world.staff.spec1.email!, testPassword))).toBe(false)
    expect((await auditOf(server, "staff.active")).map((e) => e.detail)).toEqual([`staff=${world.staff.spec1.id} active=false sessions=1 tokens=1`])
    // Reactivated, they sign in again with their password; the revoked token stays revoked.
    expect((await post(admin, `/admin/staff/${world.staff.spec1.id}/active`, { active: "true" })).status).toBe(303)
    expect(isBrowser(await signInWith(server, world.staff.spec1.email!, testPassword))).toBe(true)
    expect((await bearer(server.tokens.spec1)).status).toBe(401)
  })

  it("never lets an admin deactivate themselves", async () => {
    const admin = await server.signIn("admin")
    const answer = await post(admin, `/admin/staff/${world.staff.admin.id}/active`, { active: "false" })
    expect(answer.status).toBe(422)
    expect(await answer.text()).toContain("You cannot deactivate yourself")
    expect((await admin.request("/admin")).status).toBe(200)
  })
})

describe("passwords and API tokens", () => {
  it("resets a password: the new one works, the old one and their open session do not", async () => {
    const spec = await server.signIn("spec2")
    const admin = await server.signIn("admin")
    expect((await post(admin, `/admin/staff/${world.staff.spec2.id}/password`, { password: "short" })).status).toBe(422)
    expect((await post(admin, `/admin/staff/${world.staff.spec2.id}/password`, { password: "a brand new passphrase" })).status).toBe(303)
    expect((await spec.request("/messages")).headers.get("location")).toMatch(/^\/sign-in/)
    expect(isBrowser(await signInWith(server, world.staff.spec2.email!, testPassword))).toBe(false)
    expect(isBrowser(await signInWith(server, world.staff.spec2.email!, "a brand new passphrase"))).toBe(true)
    expect((await auditOf(server, "staff.password")).map((e) => e.detail)).toEqual([`staff=${world.staff.spec2.id}`])
  })

  it("issues a token shown once that works for the API, and revokes all of a person's tokens", async () => {
    const admin = await server.signIn("admin")
    const issued = await post(admin, `/admin/staff/${world.staff.coordinator.id}/tokens`)
    expect(issued.status).toBe(200)
    const html = await issued.text()
    const token = /id="new-token"[^>]*value="([^"]+)"/.exec(html)?.[1] ?? /value="([^"]+)"[^>]*id="new-token"/.exec(html)?.[1]
    expect(token).toBeDefined()
    expect(issued.headers.get("cache-control")).toBe("no-store")
    expect((await bearer(token!)).status).toBe(200)
    expect(await (await admin.request("/admin")).text()).not.toContain(token!)
    expect((await post(admin, `/admin/staff/${world.staff.coordinator.id}/tokens/revoke`)).status).toBe(303)
    expect((await bearer(token!)).status).toBe(401)
    expect((await bearer(server.tokens.coordinator)).status).toBe(401)
    expect((await auditOf(server, "token.issue")).map((e) => e.detail)).toEqual([`staff=${world.staff.coordinator.id}`])
    expect((await auditOf(server, "token.revoke")).map((e) => e.detail)).toEqual([`staff=${world.staff.coordinator.id} tokens=2`])
    expect(JSON.stringify(await auditOf(server, "token.issue"))).not.toContain(token!)
  })

  it("issues no token for a deactivated person or another organisation's", async () => {
    const admin = await server.signIn("admin")
    expect((await post(admin, `/admin/staff/${world.staff.gone.id}/tokens`)).status).toBe(422)
    expect((await post(admin, `/admin/staff/${world.staff.adminB.id}/tokens`)).status).toBe(404)
    expect(await auditOf(server, "token.issue")).toEqual([])
  })
})
