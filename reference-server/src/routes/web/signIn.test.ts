import { Credentials, Directory } from "@careline/core"
import { Effect } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { hashToken } from "../../ApiTokens.js"
import { startTestServer, type TestServer, testPassword, world } from "../../testing/TestServer.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const postSignIn = (form: Record<string, string>, headers: Record<string, string> = { origin: "http://localhost" }) =>
  server.app.request("/sign-in", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString()
  })

const cookieValue = (cookie: string) => cookie.slice(cookie.indexOf("=") + 1)

describe("sign-in", () => {
  it("sends a visitor without a session to the sign-in page, remembering where they were going", async () => {
    const response = await server.app.request("/clients?page=2")
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe(`/sign-in?${new URLSearchParams({ next: "/clients?page=2" })}`)
  })

  it("tells htmx to go to the sign-in page instead of swapping it in", async () => {
    const response = await server.app.request("/messages", { headers: { "hx-request": "true" } })
    expect(response.status).toBe(401)
    expect(response.headers.get("hx-redirect")).toMatch(/^\/sign-in\?next=/)
  })

  it("starts a session with an HttpOnly, SameSite cookie and goes to the page asked for", async () => {
    const response = await postSignIn({ email: world.staff.spec1.email!, password: testPassword, next: "/clients" })
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe("/clients")
    const cookie = response.headers.get("set-cookie") ?? ""
    expect(cookie).toMatch(/^careline-session=[A-Za-z0-9_-]{43};/)
    expect(cookie).toContain("HttpOnly")
    expect(cookie).toContain("SameSite=Lax")
    const session = await server.runtime.runPromise(Credentials.use((c) => c.sessionOf(hashToken(cookieValue(cookie.split(";")[0]!)))))
    expect(session._tag).toBe("Some")
  })

  it("gives a new session id at every sign-in", async () => {
    const first = await server.signIn("spec1")
    const second = await server.signIn("spec1")
    expect(first.cookie).not.toBe(second.cookie)
  })

  it("never redirects off-site after sign-in", async () => {
    for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const response = await postSignIn({ email: world.staff.spec1.email!, password: testPassword, next })
      expect(response.headers.get("location")).toBe("/messages")
    }
  })

  it("refuses a wrong password, an unknown email and a deactivated person with the same words", async () => {
    const answers = await Promise.all([
      postSignIn({ email: world.staff.spec1.email!, password: "not the password" }),
      postSignIn({ email: "nobody@example.org", password: testPassword }),
      postSignIn({ email: world.staff.gone.email!, password: testPassword })
    ])
    for (const answer of answers) {
      expect(answer.status).toBe(401)
      expect(answer.headers.get("set-cookie")).toBeNull()
      expect(await answer.text()).toContain("That email and password do not match an active account.")
    }
  })

  it("refuses sign-in for a while after five failures for one email, even with the right password", async () => {
    for (let i = 0; i < 5; i++) expect((await postSignIn({ email: world.staff.spec2.email!, password: `wrong ${i}` })).status).toBe(401)
    const locked = await postSignIn({ email: world.staff.spec2.email!, password: testPassword })
    expect(locked.status).toBe(429)
    expect(await locked.text()).toContain("Too many failed sign-ins")
  })

  it("refuses a sign-in posted from another site, or with no origin at all", async () => {
    const form = { email: world.staff.spec1.email!, password: testPassword }
    expect((await postSignIn(form, { origin: "https://evil.example" })).status).toBe(403)
    expect((await postSignIn(form, { "sec-fetch-site": "cross-site" })).status).toBe(403)
    expect((await postSignIn(form, {})).status).toBe(403)
  })
})

describe("sessions", () => {
  it("sign-out ends the session on the server: the same cookie no longer works", async () => {
    const browser = await server.signIn("admin")
    expect((await browser.request("/")).headers.get("location")).toBe("/messages")
    const out = await browser.request("/sign-out", { form: { _csrf: browser.csrfToken } })
    expect(out.status).toBe(303)
    expect(out.headers.get("location")).toBe("/sign-in?why=signed-out")
    expect((await browser.request("/")).headers.get("location")).toMatch(/^\/sign-in/)
  })

  it("refuses a post without the session's CSRF token, or with another session's", async () => {
    const browser = await server.signIn("admin")
    const other = await server.signIn("coordinator")
    expect((await browser.request("/sign-out", { form: {} })).status).toBe(403)
    expect((await browser.request("/sign-out", { form: { _csrf: other.csrfToken } })).status).toBe(403)
    expect((await browser.request("/sign-out", { method: "POST", headers: { "x-csrf-token": "x".repeat(43) } })).status).toBe(403)
    expect((await browser.request("/sign-out", { form: { _csrf: browser.csrfToken }, headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403)
    expect((await browser.request("/")).status).toBe(303)
    expect((await browser.request("/")).headers.get("location")).toBe("/messages")
  })

  it("ends a session idle for 30 minutes and one older than 12 hours, and says why", async () => {
    const now = Date.now()
    const start = (id: string, startedAt: number, lastSeenAt: number) =>
      server.runtime.runPromise(Effect.gen(function* () {
        const credentials = yield* Credentials
        yield* credentials.startSession(hashToken(id), world.staff.admin.id, startedAt)
        yield* credentials.touchSession(hashToken(id), lastSeenAt)
      }))
    const idle = "i".repeat(43)
    const old = "o".repeat(43)
    await start(idle, now - 40 * 60_000, now - 31 * 60_000)
    await start(old, now - 12 * 60 * 60_000 - 1, now - 60_000)
    const idleAnswer = await server.app.request("/", { headers: { cookie: `careline-session=${idle}` } })
    expect(idleAnswer.headers.get("location")).toContain("why=idle")
    const oldAnswer = await server.app.request("/", { headers: { cookie: `careline-session=${old}` } })
    expect(oldAnswer.headers.get("location")).toContain("why=expired")
    const after = await server.runtime.runPromise(Credentials.use((c) => c.sessionOf(hashToken(idle))))
    expect(after._tag).toBe("None")
  })

  it("stops a deactivated person's sessions at once", async () => {
    const browser = await server.signIn("spec1")
    await server.runtime.runPromise(Directory.use((d) => d.updateStaff(world.staff.spec1.id, (staff) => ({ ...staff, active: false }))))
    expect((await browser.request("/")).headers.get("location")).toMatch(/^\/sign-in/)
  })

  it("serves pages with a CSP that allows no inline script and forbids framing", async () => {
    const response = await server.app.request("/sign-in")
    const csp = response.headers.get("content-security-policy") ?? ""
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain("unsafe-inline")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(response.headers.get("x-content-type-options")).toBe("nosniff")
    expect(response.headers.get("cache-control")).toBe("no-store")
  })
})
