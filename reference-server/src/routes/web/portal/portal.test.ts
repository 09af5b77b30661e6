import { CapturedMail } from "@careline/adapter-memory"
import { AuditLog, ChannelId, ClientCredentials, Conversations, Directory, invitationLifetimeMs, MessageId } from "@careline/core"
import { makeChannel, makeMessage, T0 } from "@careline/testkit"
import { Clock, Effect } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { hashToken } from "../../../ApiTokens.js"
import { giveEmail, invitationPathFor, joinPortal, portalPassword, postPublic } from "../../../testing/Portal.js"
import { browserOf, startTestServer, type TestServer, testPassword, world } from "../../../testing/TestServer.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const casey = world.clients.c1
const caseyEmail = "casey@example.org"
const run = <A, E>(effect: Effect.Effect<A, E, any>) => server.runtime.runPromise(effect as Effect.Effect<A, E, never>)
const auditActions = async () => (await run(AuditLog.use((log) => log.list(casey.organisationId, { limit: 500 })))).map((e) => e.action)
const sessionIdOf = (cookie: string) => cookie.slice(cookie.indexOf("=") + 1)

describe("inviting a client to the portal", () => {
  it("emails a single-use link (organisation and link only) and audits it; the profile shows the portal card", async () => {
    const coordinator = await server.signIn("coordinator")
    await giveEmail(server, casey.id, caseyEmail)
    const before = await (await coordinator.request(`/clients/${casey.id}`)).text()
    expect(before).toContain("Secure portal")
    expect(before).toContain("Invite to portal")
    const invited = await coordinator.request(`/clients/${casey.id}/portal/invite`, { form: { _csrf: coordinator.csrfToken } })
    expect(invited.status).toBe(303)
    expect(invited.headers.get("location")).toBe(`/clients/${casey.id}?done=portal-invited`)
    const path = await invitationPathFor(server, caseyEmail)
    expect(path).toMatch(/^\/portal\/invite\/[A-Za-z0-9_-]{20,}$/)
    const mail = (await run(CapturedMail.use((m) => m.all))).at(-1)!
    expect(mail.subject).toBe("You have been invited to Harbour Care's secure portal")
    expect(mail.text).not.toContain(casey.name)
    expect(await auditActions()).toContain("client.portal_invite")
    const after = await (await coordinator.request(`/clients/${casey.id}?done=portal-invited`)).text()
    expect(after).toContain("Invitation emailed")
    expect(after).toContain("Send a new invitation")
  })

  it("asks for an email first; a specialist not assigned gets 404; a post without the CSRF token is 403", async () => {
    const coordinator = await server.signIn("coordinator")
    expect(await (await coordinator.request(`/clients/${casey.id}`)).text()).toContain("Add an email address to this client to invite them.")
    const refused = await coordinator.request(`/clients/${casey.id}/portal/invite`, { form: { _csrf: coordinator.csrfToken } })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain("This client has no email address")
    await giveEmail(server, casey.id, caseyEmail)
    const spec2 = await server.signIn("spec2")
    expect((await spec2.request(`/clients/${casey.id}/portal/invite`, { form: { _csrf: spec2.csrfToken } })).status).toBe(404)
    expect((await coordinator.request(`/clients/${casey.id}/portal/invite`, { form: {} })).status).toBe(403)
    const adminB = await server.signIn("adminB")
    expect((await adminB.request(`/clients/${casey.id}/portal/invite`, { form: { _csrf: adminB.csrfToken } })).status).toBe(404)
  })
})

describe("accepting an invitation", () => {
  it("shows the organisation, refuses a short or mistyped password, then signs the client in; the link then is used", async () => {
    const coordinator = await server.signIn("coordinator")
    await giveEmail(server, casey.id, caseyEmail)
    await coordinator.request(`/clients/${casey.id}/portal/invite`, { form: { _csrf: coordinator.csrfToken } })
    const path = await invitationPathFor(server, caseyEmail)
    const page = await server.app.request(path)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain("Harbour Care")
    const short = await postPublic(server, path, { password: "too short", confirm: "too short" })
    expect(short.status).toBe(422)
    expect(await short.text()).toContain("Use at least 12 characters.")
    const mistyped = await postPublic(server, path, { password: portalPassword, confirm: `${portalPassword}x` })
    expect(mistyped.status).toBe(422)
    expect(await mistyped.text()).toContain("not the same")
    const joined = await postPublic(server, path, { password: portalPassword, confirm: portalPassword })
    expect(joined.status).toBe(303)
    expect(joined.headers.get("location")).toBe("/portal")
    const cookie = joined.headers.get("set-cookie") ?? ""
    expect(cookie).toMatch(/^careline-portal=[A-Za-z0-9_-]{43};/)
    expect(cookie).toContain("HttpOnly")
    expect(cookie).toContain("SameSite=Lax")
    const client = browserOf(server.app, cookie.split(";")[0]!)
    const home = await client.request("/portal")
    expect(home.status).toBe(303)
    expect(home.headers.get("location")).toBe("/portal/messages")
    const again = await postPublic(server, path, { password: portalPassword, confirm: portalPassword })
    expect(again.status).toBe(410)
    expect(await again.text()).toContain("already been used")
    expect((await server.app.request(path)).status).toBe(410)
    expect(await auditActions()).toContain("client.portal_join")
  })

  it("a newer invitation replaces the older; unknown, malformed and expired links are refused", async () => {
    const coordinator = await server.signIn("coordinator")
    await giveEmail(server, casey.id, caseyEmail)
    await coordinator.request(`/clients/${casey.id}/portal/invite`, { form: { _csrf: coordinator.csrfToken } })
    const first = await invitationPathFor(server, caseyEmail)
    await coordinator.request(`/clients/${casey.id}/portal/invite`, { form: { _csrf: coordinator.csrfToken } })
    const replaced = await postPublic(server, first, { password: portalPassword, confirm: portalPassword })
    expect(replaced.status).toBe(410)
    expect(await replaced.text()).toContain("replaced by a newer one")
    expect((await server.app.request(`/portal/invite/${"A".repeat(43)}`)).status).toBe(404)
    expect((await server.app.request("/portal/invite/%3Cscript%3E")).status).toBe(404)
    const old = "o".repeat(43)
    await run(Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      yield* ClientCredentials.use((c) => c.createInvitation(hashToken(old), {
        clientId: world.clients.c3.id, email: "sky@example.org", invitedBy: world.staff.admin.id, createdAt: now - invitationLifetimeMs - 1, expiresAt: now - 1
      }))
    }))
    const expired = await postPublic(server, `/portal/invite/${old}`, { password: portalPassword, confirm: portalPassword })
    expect(expired.status).toBe(410)
    expect(await expired.text()).toContain("expired")
  })

  it("refuses a cross-site post to the invitation", async () => {
    const coordinator = await server.signIn("coordinator")
    await giveEmail(server, casey.id, caseyEmail)
    await coordinator.request(`/clients/${casey.id}/portal/invite`, { form: { _csrf: coordinator.csrfToken } })
    const path = await invitationPathFor(server, caseyEmail)
    const response = await postPublic(server, path, { password: portalPassword, confirm: portalPassword }, { origin: "https://evil.example" })
    expect(response.status).toBe(403)
    expect((await postPublic(server, path, { password: portalPassword, confirm: portalPassword })).status).toBe(303)
  })
})

describe("portal sign-in and sessions", () => {
  const join = async () => joinPortal(server, await server.signIn("coordinator"), casey.id, caseyEmail)

  it("signs in with the invited email (any case) and the chosen password; returns only to portal pages", async () => {
    await join()
    expect((await server.app.request("/portal/sign-in")).status).toBe(200)
    const wrong = await postPublic(server, "/portal/sign-in", { email: caseyEmail, password: "not the password" })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain("do not match an active account")
    const right = await postPublic(server, "/portal/sign-in", { email: "CASEY@example.org", password: portalPassword, next: "/portal/sms" })
    expect(right.status).toBe(303)
    expect(right.headers.get("location")).toBe("/portal/sms")
    for (const next of ["/messages", "//evil.example/", "/portalx"]) {
      const response = await postPublic(server, "/portal/sign-in", { email: caseyEmail, password: portalPassword, next })
      expect(response.headers.get("location")).toBe("/portal")
    }
  })

  it("a staff session is not a portal session, and a portal session is not a staff session", async () => {
    const client = await join()
    const staff = await server.signIn("admin")
    const portalAsStaff = await staff.request("/portal/sms")
    expect(portalAsStaff.status).toBe(303)
    expect(portalAsStaff.headers.get("location")).toMatch(/^\/portal\/sign-in\?/)
    const staffAsClient = await client.request("/messages")
    expect(staffAsClient.status).toBe(303)
    expect(staffAsClient.headers.get("location")).toMatch(/^\/sign-in\?/)
    // The same session id under the other cookie's name opens nothing either.
    const swapped = browserOf(server.app, `careline-session=${sessionIdOf(client.cookie)}`)
    expect((await swapped.request("/messages")).status).toBe(303)
    const swappedBack = browserOf(server.app, `careline-portal=${sessionIdOf(staff.cookie)}`)
    expect((await swappedBack.request("/portal")).headers.get("location")).toMatch(/^\/portal\/sign-in/)
    // Nor do the passwords cross over.
    expect((await postPublic(server, "/sign-in", { email: caseyEmail, password: portalPassword })).status).toBe(401)
    expect((await postPublic(server, "/portal/sign-in", { email: world.staff.admin.email!, password: testPassword })).status).toBe(401)
  })

  it("gives a new session id at every sign-in, so a planted cookie is useless", async () => {
    await join()
    const planted = "careline-portal=planted-session-id-planted-session-id-1234567"
    const response = await postPublic(server, "/portal/sign-in", { email: caseyEmail, password: portalPassword }, { cookie: planted })
    const fresh = response.headers.get("set-cookie")?.split(";")[0]
    expect(fresh).toBeDefined()
    expect(fresh).not.toBe(planted)
    expect((await browserOf(server.app, planted).request("/portal")).headers.get("location")).toMatch(/^\/portal\/sign-in/)
  })

  it("ends a session idle for 30 minutes or 12 hours old, and says which", async () => {
    await join()
    const ids = { idle: "i".repeat(43), expired: "e".repeat(43) }
    await run(Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const credentials = yield* ClientCredentials
      yield* credentials.startSession(hashToken(ids.idle), casey.id, now - 31 * 60_000)
      yield* credentials.startSession(hashToken(ids.expired), casey.id, now - 12 * 60 * 60_000)
      yield* credentials.touchSession(hashToken(ids.expired), now - 60_000)
    }))
    for (const [why, id] of Object.entries(ids)) {
      const response = await browserOf(server.app, `careline-portal=${id}`).request("/portal/sms")
      expect(response.status).toBe(303)
      expect(response.headers.get("location")).toBe(`/portal/sign-in?${new URLSearchParams({ next: "/portal/sms", why })}`)
      expect((await run(ClientCredentials.use((c) => c.sessionOf(hashToken(id)))))._tag).toBe("None")
    }
  })

  it("sign-out ends the session server-side (a copied cookie stops working); it needs the CSRF token", async () => {
    const client = await join()
    expect((await client.request("/portal/sign-out", { form: {} })).status).toBe(403)
    const out = await client.request("/portal/sign-out", { form: { _csrf: client.csrfToken } })
    expect(out.status).toBe(303)
    expect(out.headers.get("location")).toBe("/portal/sign-in?why=signed-out")
    expect((await client.request("/portal")).headers.get("location")).toMatch(/^\/portal\/sign-in/)
  })

  it("a blocked client is out at once and cannot sign in; an inactive client still can", async () => {
    const client = await join()
    const admin = await server.signIn("admin")
    await run(Directory.use((d) => d.updateClient(casey.id, (c) => ({ ...c, active: false }))))
    expect((await client.request("/portal")).status).toBe(303)
    expect((await client.request("/portal")).headers.get("location")).toBe("/portal/messages")
    expect((await admin.request(`/clients/${casey.id}/block`, { form: { _csrf: admin.csrfToken } })).status).toBe(303)
    expect((await client.request("/portal")).headers.get("location")).toMatch(/^\/portal\/sign-in/)
    expect((await postPublic(server, "/portal/sign-in", { email: caseyEmail, password: portalPassword })).status).toBe(401)
  })

  it("staff can remove portal access: sessions end and the password no longer works", async () => {
    const client = await join()
    const coordinator = await server.signIn("coordinator")
    expect(await (await coordinator.request(`/clients/${casey.id}`)).text()).toContain("Remove portal access")
    expect((await coordinator.request(`/clients/${casey.id}/portal/remove`, { form: { _csrf: coordinator.csrfToken } })).status).toBe(303)
    expect((await client.request("/portal")).headers.get("location")).toMatch(/^\/portal\/sign-in/)
    expect((await postPublic(server, "/portal/sign-in", { email: caseyEmail, password: portalPassword })).status).toBe(401)
    expect(await auditActions()).toContain("client.portal_remove")
  })

  it("throttles after five failures, even with the right password; cross-site sign-in posts are refused", async () => {
    await join()
    for (let i = 0; i < 5; i++) await postPublic(server, "/portal/sign-in", { email: caseyEmail, password: `wrong ${i}` })
    const throttled = await postPublic(server, "/portal/sign-in", { email: caseyEmail, password: portalPassword })
    expect(throttled.status).toBe(429)
    expect(await throttled.text()).toContain("Too many failed sign-ins")
    expect((await postPublic(server, "/portal/sign-in", { email: caseyEmail, password: portalPassword }, { "sec-fetch-site": "cross-site" })).status).toBe(403)
  })

  it("answers unknown portal paths with the portal's 404, never the staff sign-in", async () => {
    const client = await join()
    expect((await client.request("/portal/nothing-here")).status).toBe(404)
    expect((await server.app.request("/portal/nothing-here")).headers.get("location")).toMatch(/^\/portal\/sign-in/)
  })
})

describe("/portal/sms", () => {
  const seedChannels = () =>
    run(Effect.gen(function* () {
      const conversations = yield* Conversations
      const mine = makeChannel({ id: ChannelId.make("ch_casey"), organisationId: casey.organisationId, lineId: world.lines.spec1.id, phone: casey.phones[0]!.number, clientId: casey.id })
      const theirs = makeChannel({ id: ChannelId.make("ch_robin"), organisationId: casey.organisationId, lineId: world.lines.spec1.id, phone: world.clients.c2.phones[0]!.number, clientId: world.clients.c2.id })
      yield* conversations.createChannel(mine)
      yield* conversations.createChannel(theirs)
      yield* conversations.recordInbound(makeMessage({ id: MessageId.make("m_casey"), organisationId: casey.organisationId, channelId: mine.id, body: "Casey's own <script>alert(1)</script> text", at: T0 }))
      yield* conversations.recordInbound(makeMessage({ id: MessageId.make("m_robin"), organisationId: casey.organisationId, channelId: theirs.id, body: "Robin's private text", at: T0 }))
    }))
  const setShowsSms = async (on: boolean) => {
    const admin = await server.signIn("admin")
    const response = await admin.request("/settings/portal", { form: { _csrf: admin.csrfToken, ...(on ? { portalShowsSms: "on" } : {}) } })
    expect(response.status).toBe(303)
  }

  it("is 404 until the organisation turns it on; then shows the client's own texts only, read-only, audited", async () => {
    await seedChannels()
    const client = await joinPortal(server, await server.signIn("coordinator"), casey.id, caseyEmail)
    expect((await client.request("/portal/sms")).status).toBe(404)
    expect(await (await client.request("/portal/nothing")).text()).not.toContain('href="/portal/sms"')
    await setShowsSms(true)
    const page = await client.request("/portal/sms")
    expect(page.status).toBe(200)
    expect(page.headers.get("cache-control")).toBe("no-store")
    const html = await page.text()
    expect(html).toContain("With spec_1")
    expect(html).toContain("Casey&#39;s own &lt;script&gt;alert(1)&lt;/script&gt; text")
    expect(html).not.toContain("<script>alert(1)")
    expect(html).not.toContain("Robin's private text")
    expect(html).not.toContain("<textarea")
    expect(html).toContain('href="/portal/sms"')
    expect(await auditActions()).toContain("portal.sms_read")
    await setShowsSms(false)
    expect((await client.request("/portal/sms")).status).toBe(404)
  })

  it("renders names inert (XSS in the client's name)", async () => {
    await run(Directory.use((d) => d.updateClient(casey.id, (c) => ({ ...c, name: `<img src=x onerror=alert(1)> <b hx-get="/x" hx-trigger="load">` }))))
    const client = await joinPortal(server, await server.signIn("coordinator"), casey.id, caseyEmail)
    await setShowsSms(true)
    const html = await (await client.request("/portal/sms")).text()
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;")
    expect(html).not.toContain('<b hx-get="/x"')
  })
})

describe("settings: client portal and email", () => {
  it("supervisors and admins turn both on and off, with the content warning shown; others get 403; bad values 422", async () => {
    const supervisor = await server.signIn("admin")
    const page = await (await supervisor.request("/settings")).text()
    expect(page).toContain("Client portal and email")
    expect(page).toContain("leaves Careline")
    const saved = await supervisor.request("/settings/portal", { form: { _csrf: supervisor.csrfToken, portalShowsSms: "on", emailCarriesContent: "on" } })
    expect(saved.status).toBe(303)
    const organisation = await run(Directory.use((d) => d.getOrganisation(casey.organisationId)))
    expect(organisation._tag === "Some" && organisation.value.portalShowsSms && organisation.value.emailCarriesContent).toBe(true)
    await supervisor.request("/settings/portal", { form: { _csrf: supervisor.csrfToken } })
    const off = await run(Directory.use((d) => d.getOrganisation(casey.organisationId)))
    expect(off._tag === "Some" && (off.value.portalShowsSms || off.value.emailCarriesContent)).toBe(false)
    expect((await supervisor.request("/settings/portal", { form: { _csrf: supervisor.csrfToken, portalShowsSms: "yes please" } })).status).toBe(422)
    expect((await supervisor.request("/settings/portal", { form: { portalShowsSms: "on" } })).status).toBe(403)
    const specialist = await server.signIn("spec1")
    expect((await specialist.request("/settings/portal", { form: { _csrf: specialist.csrfToken, portalShowsSms: "on" } })).status).toBe(403)
    expect(await auditActions()).toContain("organisation.settings")
  })
})
