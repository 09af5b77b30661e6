import { PortalThreads } from "@careline/core"
import { phone } from "@careline/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Browser, testPassword, world } from "../testing/TestServer.js"
import { portalPassword } from "../testing/Portal.js"
import { clientEmail, type PortalWorld, startPortalWorld } from "./PortalWorld.js"
import { channelOf, type SecurityWorld, startSecurityWorld } from "./SecurityWorld.js"
import { fingerprint } from "./StateFingerprint.js"

/**
 * Headers and CSRF (issue 7): every page and fragment answers with a CSP that allows no inline or
 * eval'd script, `nosniff`, no framing, and `no-store` wherever client data may show; every route
 * that changes something refuses a post without the session's token, with a wrong one, or from
 * another site (403) and changes nothing — while the same post from our own page goes through.
 */

let w: SecurityWorld
let p: PortalWorld
let token: string
/** An attachment of the admin's thread, and a message of the admin's there (issue 6). */
let adminFile: string
let adminMessage: string
beforeAll(async () => {
  w = await startSecurityWorld()
  p = await startPortalWorld(w)
  const messages = await w.server.runtime.runPromise(PortalThreads.use((t) => t.messagesOf(p.threads["admins"]!)))
  adminFile = messages[0]!.attachments[0]!.blobId
  adminMessage = messages[0]!.id
  const admin = w.browsers.admin
  await admin.request(`/messages/${w.channels["org"]}/replies`, { form: { _csrf: admin.csrfToken, allowed: "true" } })
  await admin.request(`/messages/${w.channels["org"]}/reply-link`, { form: { _csrf: admin.csrfToken, do: "renew" } })
  token = (await channelOf(w, w.channels["org"]!))!.replyToken!
}, 120_000)
afterAll(() => w.server.close())

const directive = (csp: string, name: string) =>
  csp.split(";").map((d) => d.trim().split(/\s+/)).find(([n]) => n === name)?.slice(1)

const headerProblems = (response: Response, clientData: boolean): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const csp = response.headers.get("content-security-policy")
  if (csp === null) problems.push("no CSP")
  else {
    const scripts = directive(csp, "script-src") ?? directive(csp, "default-src")
    if (scripts === undefined) problems.push("CSP without script-src or default-src")
    else if (scripts.some((s) => ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "'unsafe-hashes'"].includes(s))) problems.push(`script-src ${scripts.join(" ")}`)
    const frames = directive(csp, "frame-ancestors")
    if (!(frames?.length === 1 && frames[0] === "'none'") && response.headers.get("x-frame-options") !== "DENY") problems.push("framing allowed")
  }
  if (response.headers.get("x-content-type-options") !== "nosniff") problems.push("no nosniff")
  if (clientData && !/\bno-store\b/.test(response.headers.get("cache-control") ?? "")) problems.push(`cache-control: ${response.headers.get("cache-control")}`)
  return problems
}

describe("headers", () => {
  it("every staff page and fragment: CSP without inline script, nosniff, no framing, no-store", async () => {
    const ch = w.channels["org"]!
    const stranger = w.channels["strangerOrg"]!
    const c1 = world.clients.c1.id
    const pages = [
      "/", "/messages", `/messages/${ch}`, `/messages/${ch}/messages`, `/messages/${ch}/older?before=9999999999999.zz`, `/messages/${ch}/actions`,
      `/messages/${ch}/transcript.txt`, "/messages/inbox", "/messages/notifications", `/messages/colleague/${world.staff.spec1.id}`,
      `/messages/colleague/${world.staff.coordinator.id}/${ch}`, `/messages/colleague/${world.staff.coordinator.id}/${ch}/messages`,
      "/clients", `/clients/${c1}`, `/clients/${c1}?tab=messages`, `/clients/${c1}/sms/watch?line=${world.lines.org.id}`, `/contacts/${stranger}`,
      "/dock", "/dock/launcher", "/dock/find?q=Casey", "/dock/chats", "/dock/chats/new", "/dock/unread", "/dock/chats/chr_none", `/dock/clients/${c1}`, `/dock/channels/${ch}`, `/dock/channels/${ch}/messages`, "/bulk",
      "/admin", "/admin/clients", "/admin/assignments", "/admin/lines", "/admin/audit", "/admin/audit.csv", "/settings",
      // Saved client lists; an MMS's attachments (a redirect to the file with the fake provider) and media that do not exist.
      "/bulk/lists", "/bulk/lists?done=renamed", `/bulk?list=${w.lists.admin}`, `/bulk?list=${w.lists.admin}&saved=1`,
      `/messages/${ch}/attachments/${w.attachments["org"]!.messageId}/0`, `/messages/${ch}/attachments/${w.attachments["org"]!.messageId}/7`,
      `/messages/colleague/${world.staff.coordinator.id}/${ch}/attachments/${w.attachments["org"]!.messageId}/1`,
      // Secure messages and staff chat (issue 6): folders, compose, a draft, a thread, its live fragment, quick note and attachment; a chat room.
      "/secure", "/secure?folder=sent", "/secure?folder=drafts", "/secure/folder?folder=archive", "/secure/new", `/secure/new?draft=${p.drafts["adminNew"]}`,
      `/secure/threads/${p.threads["admins"]}`, `/secure/threads/${p.threads["admins"]}/messages`, `/secure/threads/${p.threads["admins"]}/quick-note`,
      `/secure/threads/${p.threads["admins"]}/files/${adminFile}`, `/dock/chats/${p.rooms["admins"]}`, `/dock/chats/${p.rooms["admins"]}/messages`,
      // Refusals and not-found answers show nothing, but are pages all the same.
      `/messages/${w.missingChannel}`, `/clients/${w.missingClient}`, `/bulk?list=${w.lists.adminB}`, `/bulk?list=${w.missingList}`,
      `/secure/threads/${p.threads["oneClient"]}`, `/secure/threads/${p.missingThread}/files/${adminFile}`, `/secure/new?draft=${p.missingDraft}`, `/dock/chats/${p.rooms["pair"]}`
    ]
    const wrong: Array<string> = []
    for (const path of pages) {
      const response = await w.browsers.admin.request(path)
      if (response.status >= 500) wrong.push(`${path}: ${response.status}`)
      for (const p of headerProblems(response, true)) wrong.push(`${path}: ${p}`)
    }
    for (const path of ["/settings", "/admin", `/messages/${ch}`, `/bulk?list=${w.lists.admin}`, `/messages/${ch}/attachments/${w.attachments["org"]!.messageId}/0`]) {
      const response = await w.browsers.spec1.request(path) // 403 and 404 pages
      for (const p of headerProblems(response, true)) wrong.push(`spec1 ${path}: ${p}`)
    }
    expect(wrong).toEqual([])
  })

  it("every portal page of a signed-in client, and its refusals (issue 6)", async () => {
    const casey = p.clientBrowsers.casey
    const thread = p.threads["oneClient"]!
    const file = (await w.server.runtime.runPromise(PortalThreads.use((t) => t.messagesOf(thread))))[0]!.attachments[0]!.blobId
    const wrong: Array<string> = []
    for (const path of [
      "/portal", "/portal/messages", "/portal/messages?folder=sent", "/portal/messages/folder", "/portal/messages/new", `/portal/messages/new?draft=${p.drafts["caseyNew"]}`,
      `/portal/messages/threads/${thread}`, `/portal/messages/threads/${thread}/messages`, `/portal/messages/threads/${thread}/files/${file}`, "/portal/sms",
      `/portal/messages/threads/${p.threads["otherOrganisation"]}`, `/portal/messages/threads/${thread}/quick-note`, "/portal/nothing-here"
    ]) {
      const response = await casey.request(path)
      if (response.status >= 500) wrong.push(`${path}: ${response.status}`)
      for (const problem of headerProblems(response, true)) wrong.push(`${path}: ${problem}`)
    }
    expect(wrong).toEqual([])
  })

  it("public pages, the reply link, the simulator, the JSON API and the webhooks", async () => {
    const wrong: Array<string> = []
    const check = async (path: string, clientData: boolean, init?: RequestInit) => {
      const response = await w.server.app.request(path, init)
      for (const p of headerProblems(response, clientData)) wrong.push(`${path}: ${p}`)
    }
    await check("/sign-in", false)
    // The client portal's public pages (its signed-in pages are checked in routes/web/portal/portal.test.ts).
    await check("/portal/sign-in", true)
    await check(`/portal/invite/${"A".repeat(43)}`, true)
    await check("/portal/sms", false)
    await check("/assets/app.js", false)
    await check("/healthz", false)
    await check(`/r/${token}`, true)
    await check("/r/not-a-real-token-at-all-000000", true)
    await check(`/simulator?phone=${encodeURIComponent(world.clients.c2.phones[0]!.number)}&line=${world.lines.org.id}`, true)
    await check("/simulator/mail", true)
    await check("/simulator/mail/list", true)
    for (const path of ["/me", "/lines", "/clients", "/channels", `/channels/${w.channels["org"]}/messages`]) {
      await check(`/api/v1${path}`, true, { headers: { authorization: `Bearer ${w.tokens.admin}` } })
    }
    await check("/webhooks/twilio/messages", false, { method: "POST" })
    // Signed out: off to sign in (a redirect that shows nothing), still with the headers.
    await check(`/messages/${w.channels["org"]}`, false)
    expect(wrong).toEqual([])
  })
})

interface Post {
  readonly path: string
  readonly form: Record<string, string>
  /** Accepted, it changes the state's fingerprint (checked, so the refusals are of a post that does something). */
  readonly changes?: true
}

const ch = (name: string) => w.channels[name]!
const c1 = world.clients.c1.id

/** Every route that changes state, with a form it would accept (the most destructive last). */
const posts = (): ReadonlyArray<Post> => [
  { path: `/messages/${ch("org")}/send`, form: { body: "CSRF check" } },
  { path: `/messages/${ch("org")}/status`, form: { status: "done" } },
  { path: `/messages/${ch("org")}/archive`, form: { archived: "true" } },
  { path: `/messages/${ch("org")}/mute`, form: { muted: "true" } },
  { path: `/messages/${ch("org")}/replies`, form: { allowed: "false" } },
  { path: `/messages/${ch("s1")}/reply-link`, form: { do: "renew" } },
  { path: `/dock/channels/${ch("org")}/messages`, form: { body: "CSRF check" } },
  { path: `/dock/clients/${c1}/messages`, form: { body: "CSRF check", line: world.lines.org.id } },
  { path: "/dock/chats", form: { with: world.staff.spec1.id } },
  // Issue 6: secure messages (the admin's own thread, draft and message), the clinical record, email, the portal invitation, chat, portal settings.
  { path: "/secure/new", form: { do: "send", to: `staff:${world.staff.spec2.id}`, subject: "CSRF check", body: "A CSRF check message" }, changes: true },
  { path: "/secure/new", form: { do: "save", to: `staff:${world.staff.spec2.id}`, subject: "CSRF draft", body: "A CSRF draft" }, changes: true },
  { path: "/secure/bulk", form: { do: "archive", thread: p.threads["admins"]! }, changes: true },
  { path: `/secure/threads/${p.threads["admins"]}/reply`, form: { do: "send", body: "A CSRF check reply" }, changes: true },
  { path: `/secure/threads/${p.threads["admins"]}/quick-note`, form: { text: "A CSRF check note" }, changes: true },
  { path: `/messages/${ch("org")}/chart`, form: {}, changes: true },
  { path: `/messages/${ch("org")}/send`, form: { body: "CSRF check by email", medium: "email" }, changes: true },
  { path: `/clients/${c1}/portal/invite`, form: {}, changes: true },
  { path: `/dock/chats/${p.rooms["admins"]}/messages`, form: { body: "CSRF check" }, changes: true },
  { path: "/settings/portal", form: { portalShowsSms: "on" }, changes: true },
  { path: "/clients", form: { name: "Csrf Client", number1: phone(6_001), label1: "mobile", primary: "1" } },
  { path: `/clients/${c1}/attest`, form: {} },
  { path: `/clients/${c1}/phones`, form: { rows: "2", number1: world.clients.c1.phones[0]!.number, label1: "mobile", primary: "1", number2: phone(6_002), label2: "home" } },
  { path: `/clients/${c1}/sms`, form: { lineId: world.lines.org.id, body: "CSRF check" } },
  { path: `/clients/${c1}/assignments`, form: { staffId: world.staff.spec2.id } },
  { path: `/clients/${c1}/assignments/${world.staff.spec1.id}/end`, form: {} },
  { path: `/contacts/${ch("strangerOrg")}/attach`, form: { clientId: world.clients.c2.id, label: "work" } },
  { path: "/bulk", form: { body: "CSRF check", clientId: world.clients.c2.id, lineId: world.lines.org.id } },
  { path: "/bulk/lists", form: { listName: "Csrf list", clientId: world.clients.c2.id } },
  { path: `/bulk/lists/${w.lists.admin}/rename`, form: { name: "Csrf renamed" } },
  { path: `/bulk/lists/${w.lists.admin}/delete`, form: {} },
  { path: "/admin/staff", form: { name: "Csrf Staff", email: "csrf@example.org", role: "specialist", password: testPassword } },
  { path: `/admin/staff/${world.staff.spec2.id}/role`, form: { role: "coordinator" } },
  { path: `/admin/staff/${world.staff.spec2.id}/password`, form: { password: `${testPassword} 2` } },
  { path: `/admin/staff/${world.staff.spec2.id}/tokens`, form: {} },
  { path: `/admin/clients/${world.clients.c3.id}/active`, form: { active: "false" } },
  { path: "/admin/lines", form: { number: phone(9_000_099), owner: "organisation", rate: "1" } },
  { path: "/admin/queues", form: { name: "Csrf queue", members: world.staff.spec1.id } },
  { path: "/admin/queues/q_1/members", form: { members: world.staff.spec2.id } },
  { path: "/settings/hours", form: { timeZone: "Europe/London", mon_opens: "08:00", mon_closes: "17:00" } },
  { path: "/settings/holidays", form: { date: "2030-12-25" } },
  { path: "/settings/holidays/remove", form: { date: "2030-12-25" } },
  { path: "/settings/templates", form: { optInRequest: "Reply YES", welcome: "Hi", help: "Help", optOutConfirmation: "Bye", afterHours: "" } },
  { path: "/settings/crisis-words", form: { words: "csrf-word" } },
  { path: "/settings/queues/q_1/after-hours", form: { text: "Closed (csrf)" } },
  { path: `/messages/${ch("org")}/block`, form: { blocked: "true" } },
  { path: `/clients/${c1}/block`, form: {} },
  { path: `/messages/${ch("org")}/hide`, form: {} },
  { path: `/admin/staff/${world.staff.spec2.id}/active`, form: { active: "false" } },
  { path: `/admin/staff/${world.staff.spec2.id}/tokens/revoke`, form: {} },
  { path: `/secure/threads/${p.threads["admins"]}/messages/${adminMessage}/delete`, form: {}, changes: true },
  { path: `/secure/drafts/${p.drafts["adminNew"]}/delete`, form: {}, changes: true },
  { path: `/secure/threads/${p.threads["admins"]}/delete`, form: {}, changes: true },
  { path: `/clients/${world.clients.c2.id}/portal/remove`, form: {}, changes: true },
  { path: "/sign-out", form: {} }
]

/** Every post of a client signed in to the portal (issue 6), signing out last. */
const portalPosts = (): ReadonlyArray<Post> => [
  { path: "/portal/messages/new", form: { do: "send", to: `staff:${world.staff.spec1.id}`, subject: "CSRF check", body: "A CSRF check message" }, changes: true },
  { path: "/portal/messages/new", form: { do: "save", to: `staff:${world.staff.spec1.id}`, subject: "CSRF draft", body: "A CSRF draft" }, changes: true },
  { path: "/portal/messages/bulk", form: { do: "archive", thread: p.threads["oneClient"]! }, changes: true },
  { path: `/portal/messages/threads/${p.threads["oneClient"]}/reply`, form: { do: "send", body: "A CSRF check reply" }, changes: true },
  { path: `/portal/messages/drafts/${p.drafts["caseyNew"]}/delete`, form: {}, changes: true },
  { path: "/portal/sign-out", form: {} }
]

/** Each post refused (403, nothing changed) without the token, with a wrong one or from another site; then accepted from our page. */
const csrfProblems = async (browser: Browser, list: ReadonlyArray<Post>) => {
  const wrong: Array<string> = []
  for (const { path, form, changes } of list) {
    const before = await fingerprint(w)
    const attempts: ReadonlyArray<readonly [string, Promise<Response>]> = [
      ["no token", browser.request(path, { form })],
      ["wrong token", browser.request(path, { form: { ...form, _csrf: `${browser.csrfToken.slice(0, -2)}xx` } })],
      ["wrong header", browser.request(path, { form, headers: { "x-csrf-token": "nope" } })],
      ["cross-site with token", browser.request(path, { form: { ...form, _csrf: browser.csrfToken }, headers: { "sec-fetch-site": "cross-site" } })],
      ["same-site (other subdomain) with token", browser.request(path, { form: { ...form, _csrf: browser.csrfToken }, headers: { "sec-fetch-site": "same-site" } })],
      ["JSON body with token in it", browser.request(path, { method: "POST", headers: { "content-type": "application/json" }, form: undefined as never })]
    ]
    for (const [how, pending] of attempts) {
      const response = await pending
      if (response.status !== 403) wrong.push(`${path} (${how}): ${response.status}`)
    }
    if ((await fingerprint(w)) !== before) wrong.push(`${path}: state changed by a refused post`)
    const accepted = await browser.request(path, { form: { ...form, _csrf: browser.csrfToken } })
    if (accepted.status === 403 || accepted.status >= 500) wrong.push(`${path} (from our page): ${accepted.status} ${(await accepted.text()).slice(0, 200)}`)
    // What our page sends really changes something (else the refusals above prove nothing).
    else if (changes === true && (await fingerprint(w)) === before) wrong.push(`${path} (from our page): changed nothing`)
  }
  return wrong
}

describe("CSRF", () => {
  it("a client's portal post without the token, with a wrong one (a staff session's too), or from another site is 403 and changes nothing; from our page it goes through", async () => {
    const casey = p.clientBrowsers.casey
    const wrong: Array<string> = []
    // A staff session's token is no portal token.
    const before = await fingerprint(w)
    const staffToken = await casey.request(portalPosts()[0]!.path, { form: { ...portalPosts()[0]!.form, _csrf: w.browsers.admin.csrfToken } })
    if (staffToken.status !== 403) wrong.push(`a staff session's token: ${staffToken.status}`)
    if ((await fingerprint(w)) !== before) wrong.push("a staff session's token changed something")
    wrong.push(...await csrfProblems(casey, portalPosts()))
    expect(wrong).toEqual([])
  }, 120_000)

  it("a post without the token, with a wrong one, or from another site is 403 and changes nothing; from our page it goes through", async () => {
    expect(await csrfProblems(w.browsers.admin, posts())).toEqual([])
  }, 120_000)

  it("the public posts (sign-in, reply link, simulator) refuse another site's post and store nothing", async () => {
    const before = await fingerprint(w)
    const cross = { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" }
    const attempts = [
      w.server.app.request("/sign-in", { method: "POST", headers: cross, body: new URLSearchParams({ email: "admin@example.org", password: testPassword }).toString() }),
      w.server.app.request("/sign-in", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" }, body: new URLSearchParams({ email: "admin@example.org", password: testPassword }).toString() }),
      w.server.app.request(`/r/${token}`, { method: "POST", headers: cross, body: "body=hi" }),
      w.server.app.request(`/r/${token}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "body=hi" }),
      w.server.app.request("/simulator/send", { method: "POST", headers: cross, body: new URLSearchParams({ phone: world.clients.c2.phones[0]!.number, line: world.lines.org.id, body: "hi" }).toString() }),
      // The portal's sign-in and an invitation link (issue 6).
      w.server.app.request("/portal/sign-in", { method: "POST", headers: cross, body: new URLSearchParams({ email: clientEmail("sky"), password: portalPassword }).toString() }),
      w.server.app.request("/portal/sign-in", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" }, body: new URLSearchParams({ email: clientEmail("sky"), password: portalPassword }).toString() }),
      w.server.app.request(`/portal/invite/${"A".repeat(43)}`, { method: "POST", headers: cross, body: new URLSearchParams({ password: portalPassword, confirm: portalPassword }).toString() })
    ]
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403)
      expect(response.headers.get("set-cookie")).toBeNull()
    }
    expect(await fingerprint(w)).toBe(before)
  })
})
