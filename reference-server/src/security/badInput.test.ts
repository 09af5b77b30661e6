import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { testPassword, world } from "../testing/TestServer.js"
import { type PortalWorld, startPortalWorld } from "./PortalWorld.js"
import { api, type SecurityWorld, startSecurityWorld } from "./SecurityWorld.js"
import { fingerprint } from "./StateFingerprint.js"

/**
 * Bad input (issue 7): generated bodies — random and unicode strings, wrong types, huge values,
 * missing and unknown fields — for every form and JSON endpoint. The answer is never a 500; a refusal
 * is a 4xx with words a person can read, and writes nothing (the state's fingerprint is unchanged).
 */

const numRuns = 10
let w: SecurityWorld
let p: PortalWorld
beforeAll(async () => {
  w = await startSecurityWorld()
  // Built before any fuzzing: a generated form may validly block a client or deactivate a colleague, and the portal world needs them as seeded.
  p = await startPortalWorld(w)
}, 120_000)
afterAll(() => w.server.close())

const value = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom("", " ", "true", "false", "-1", "1e309", "NaN", "null", "[]", "{}", "\u0000", "\u202e", "+15550000001", "2030-02-30", "25:99", "<b>", "%00"),
  fc.integer({ min: 1_000, max: 5_000 }).map((n) => "é".repeat(n))
)

/** A form over the endpoint's own field names (each possibly missing, some drawn from their own values) and a few unknown ones. */
const formFor = (fields: ReadonlyArray<string>, own: Readonly<Record<string, fc.Arbitrary<string>>> = {}) =>
  fc.tuple(
    fc.record(Object.fromEntries(fields.map((f) => [f, own[f] ?? value])), { requiredKeys: [] }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value, { maxKeys: 2 })
  ).map(([known, extra]) => ({ ...extra, ...known }) as Record<string, string>)

const ch = (name: string) => w.channels[name]!
const c1 = world.clients.c1.id

/** A client id as a form would carry it: real ones (of the organisation, of the other one, of no one) or anything. */
const clientId = () => fc.oneof(value, fc.constantFrom(world.clients.c1.id, world.clients.c2.id, world.clients.b1.id, "client_missing"))

const forms = (): ReadonlyArray<readonly [string, ReadonlyArray<string>, Readonly<Record<string, fc.Arbitrary<string>>>?]> => [
  [`/messages/${ch("org")}/send`, ["body", "lineId", "medium"]],
  [`/messages/${ch("org")}/status`, ["status"]],
  [`/messages/${ch("org")}/archive`, ["archived", "back"]],
  [`/messages/${ch("org")}/mute`, ["muted"]],
  [`/messages/${ch("org")}/replies`, ["allowed"]],
  [`/messages/${ch("org")}/reply-link`, ["do"]],
  [`/messages/${ch("org")}/block`, ["blocked"]],
  [`/dock/channels/${ch("org")}/messages`, ["body"]],
  [`/dock/clients/${c1}/messages`, ["body", "line"]],
  ["/clients", ["name", "email", "number1", "label1", "number2", "label2", "primary", "okay"]],
  [`/clients/${c1}/phones`, ["rows", "number1", "label1", "number2", "label2", "primary", "remove1"]],
  [`/clients/${c1}/sms`, ["lineId", "body"]],
  [`/clients/${c1}/assignments`, ["staffId"]],
  [`/contacts/${ch("strangerOrg")}/new`, ["name", "email", "label", "okay"]],
  [`/contacts/${ch("strangerOrg")}/attach`, ["clientId", "label"]],
  ["/bulk", ["body", "clientId", "lineId"], { clientId: clientId() }],
  ["/bulk/lists", ["listName", "clientId", "body", "lineId"], { clientId: clientId() }],
  [`/bulk/lists/${w.lists.admin}/rename`, ["name"]],
  [`/bulk/lists/${w.lists.adminB}/rename`, ["name"]],
  [`/bulk/lists/${w.lists.admin}/delete`, []],
  ["/admin/staff", ["name", "email", "role", "password"]],
  [`/admin/staff/${world.staff.spec2.id}/role`, ["role"]],
  [`/admin/staff/${world.staff.spec2.id}/active`, ["active"]],
  [`/admin/staff/${world.staff.spec2.id}/password`, ["password"]],
  [`/admin/clients/${world.clients.c3.id}/active`, ["active"]],
  ["/admin/lines", ["number", "owner", "rate"]],
  ["/admin/queues", ["name", "members"]],
  ["/admin/queues/q_1/members", ["members"]],
  ["/settings/hours", ["timeZone", "mon_opens", "mon_closes", "sat_opens", "sat_closes"]],
  ["/settings/holidays", ["date"]],
  ["/settings/holidays/remove", ["date"]],
  ["/settings/templates", ["optInRequest", "welcome", "help", "optOutConfirmation", "afterHours"]],
  ["/settings/crisis-words", ["words"]],
  ["/settings/queues/q_1/after-hours", ["text"]]
]

/** The words of a page or a JSON error: what a person would read. */
const readable = (response: Response, text: string) => {
  if ((response.headers.get("content-type") ?? "").includes("json")) {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message
    return typeof message === "string" ? message : ""
  }
  return text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim()
}

const judge = async (what: string, response: Response, before: string) => {
  const text = await response.text()
  expect(response.status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500)
  if (response.status >= 400) {
    expect(readable(response, text).length, `${what}: no message`).toBeGreaterThan(10)
    expect(await fingerprint(w), `${what}: a refused request wrote something`).toBe(before)
  }
}

/**
 * Forms always tried as well: a NUL in a name once stored a record the database gave back cut short
 * (a queue, a staff member or a list that could no longer be read, and every page listing them a 500).
 */
const examples = (): Readonly<Record<string, ReadonlyArray<Record<string, string>>>> => ({
  "/bulk/lists": [{ listName: "\u0000", clientId: world.clients.c1.id }, { listName: "Tues\u0000day", clientId: world.clients.c1.id }],
  [`/bulk/lists/${w.lists.admin}/rename`]: [{ name: "\u0000" }, { name: "Tues\u0000day" }],
  "/admin/staff": [{ name: "\u0000", email: "nul@example.org", role: "specialist", password: testPassword }],
  "/admin/queues": [{ name: "\u0000" }, { name: "Intake\u0000 two" }]
})

describe("bad input: every form", () => {
  it.each(["messages", "clients", "admin", "settings"])("forms of the %s area (messages: with the dock; clients: with contacts and bulk)", async (area) => {
    const mine = forms().filter(([path]) => (area === "messages" ? /^\/(messages|dock)/.test(path) : area === "clients" ? /^\/(clients|contacts|bulk)/.test(path) : path.startsWith(`/${area}`)))
    for (const [path, fields, own] of mine) {
      await fc.assert(fc.asyncProperty(formFor(fields, own), async (form) => {
        const before = await fingerprint(w)
        const response = await w.browsers.admin.request(path, { form: { ...form, _csrf: w.browsers.admin.csrfToken } })
        await judge(`${path} ${JSON.stringify(form).slice(0, 200)}`, response, before)
      }), { numRuns, examples: [...(examples()[path] ?? []).map((form) => [form] as [Record<string, string>]), ...prototypeNames()] })
    }
  }, 120_000)
})

/** A value that can be written as a path segment of a route (no lone surrogates; not empty, `.` or `..`, which change the path). */
const segment = value.filter((v) => {
  if (v === "" || v === "." || v === "..") return false
  try {
    encodeURIComponent(v)
    return true
  } catch {
    return false
  }
}).map(encodeURIComponent)

describe("bad input: ids in the address", () => {
  it("a saved list's id and an attachment's message and position: 4xx with a message, never a 500, nothing written", async () => {
    const ch = w.channels["org"]!
    const paths = [
      (a: string) => `/bulk?list=${a}`,
      (a: string, b: string) => `/messages/${ch}/attachments/${a}/${b}`,
      (a: string, b: string) => `/messages/${ch}/attachments/${w.attachments["org"]!.messageId}/${b}${a}`,
      (a: string, b: string) => `/messages/colleague/${a}/${ch}/attachments/${w.attachments["org"]!.messageId}/${b}`
    ]
    for (const path of paths) {
      await fc.assert(fc.asyncProperty(segment, segment, async (a, b) => {
        const before = await fingerprint(w)
        await judge(path(a, b), await w.browsers.admin.request(path(a, b)), before)
      }), { numRuns })
    }
  }, 60_000)
})

const json = fc.oneof(
  fc.json({ maxDepth: 2 }),
  fc.string({ maxLength: 40 }),
  fc.record({ clientId: fc.jsonValue({ maxDepth: 1 }), body: fc.jsonValue({ maxDepth: 1 }), lineId: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ name: value, phones: fc.array(fc.record({ number: value, label: value, primary: fc.jsonValue({ maxDepth: 0 }) }, { requiredKeys: [] }), { maxLength: 3 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ status: value, staffId: value, from: value, to: value, body: value, messageId: value }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.constant(JSON.stringify({ body: "x".repeat(70_000) }))
)

describe("bad input: every JSON endpoint", () => {
  it("the API and the fake webhooks: 4xx with a message, never a 500, nothing written", async () => {
    const endpoints = ["/clients", "/messages", `/channels/${ch("org")}/status`, `/channels/${ch("org")}/archive`, `/clients/${c1}/assignments`]
    for (const path of endpoints) {
      await fc.assert(fc.asyncProperty(json, async (body) => {
        const before = await fingerprint(w)
        await judge(`${path} ${body.slice(0, 200)}`, await api(w, "admin", path, { body }), before)
      }), { numRuns })
    }
    for (const path of ["/webhooks/fake/messages", "/webhooks/fake/status"]) {
      await fc.assert(fc.asyncProperty(json, async (body) => {
        const before = await fingerprint(w)
        const response = await w.server.app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body })
        await judge(`${path} ${body.slice(0, 200)}`, response, before)
      }), { numRuns })
    }
  }, 120_000)
})

// Issue 6: the secure-message forms of staff and portal clients (url-encoded and as streamed uploads), the
// clinical record, staff chat, the portal invitation and settings, the portal's public forms, and the ids in
// their addresses.


const recipient = () => fc.oneof(value, fc.constantFrom(`staff:${world.staff.spec2.id}`, `staff:${world.staff.adminB.id}`, `client:${world.clients.c1.id}`, `client:${world.clients.b1.id}`, "staff:", "client:\u0000"))
const threadField = () => fc.oneof(value, fc.constantFrom(...Object.values(p.threads), p.missingThread))
/** Field names an object already has: a form parsed into a plain object once answered 500 for `valueOf`. */
const prototypeNames = (): ReadonlyArray<[Record<string, string>]> => [
  [{ valueOf: "x", toString: "x", constructor: "x", hasOwnProperty: "x" }],
  [JSON.parse('{"__proto__": "x", "do": "send"}') as Record<string, string>]
]

describe("bad input: issue 6", () => {
  it("secure messages, chart, chat, invitation and portal settings (staff); the portal's forms (a client); sign-in and invitation (public)", async () => {
    const admin = w.browsers.admin
    const casey = p.clientBrowsers.casey
    const staffForms: ReadonlyArray<readonly [string, ReadonlyArray<string>, Readonly<Record<string, fc.Arbitrary<string>>>?]> = [
      ["/secure/new", ["do", "to", "subject", "body", "draftId"], { to: recipient() }],
      ["/secure/bulk", ["do", "folder", "thread"], { thread: threadField() }],
      [`/secure/threads/${p.threads["admins"]}/reply`, ["do", "body", "draftId"]],
      [`/secure/threads/${p.threads["admins"]}/quick-note`, ["text"]],
      [`/messages/${ch("org")}/chart`, ["messageId"]],
      ["/dock/chats", ["with"], { with: fc.oneof(value, fc.constantFrom(world.staff.spec1.id, world.staff.adminB.id, world.staff.gone.id)) }],
      [`/dock/chats/${p.rooms["admins"]}/messages`, ["body"]],
      [`/clients/${c1}/portal/invite`, []],
      ["/settings/portal", ["portalShowsSms", "emailCarriesContent"]]
    ]
    for (const [path, fields, own] of staffForms) {
      await fc.assert(fc.asyncProperty(formFor(fields, own), async (form) => {
        const before = await fingerprint(w)
        await judge(`${path} ${JSON.stringify(form).slice(0, 200)}`, await admin.request(path, { form: { ...form, _csrf: admin.csrfToken } }), before)
      }), { numRuns, examples: [[{ do: "send", to: `staff:${world.staff.spec2.id}`, subject: "Tues\u0000day", body: "A NUL \u0000 in the body" }], [{ text: "\u0000" }], ...prototypeNames()] })
    }
    const portalForms: ReadonlyArray<readonly [string, ReadonlyArray<string>, Readonly<Record<string, fc.Arbitrary<string>>>?]> = [
      ["/portal/messages/new", ["do", "to", "subject", "body", "draftId"], { to: recipient() }],
      ["/portal/messages/bulk", ["do", "folder", "thread"], { thread: threadField() }],
      [`/portal/messages/threads/${p.threads["oneClient"]}/reply`, ["do", "body", "draftId"]]
    ]
    for (const [path, fields, own] of portalForms) {
      await fc.assert(fc.asyncProperty(formFor(fields, own), async (form) => {
        const before = await fingerprint(w)
        await judge(`client ${path} ${JSON.stringify(form).slice(0, 200)}`, await casey.request(path, { form: { ...form, _csrf: casey.csrfToken } }), before)
      }), { numRuns, examples: [...prototypeNames()] })
    }
    for (const [path, fields] of [["/portal/sign-in", ["email", "password"]], [`/portal/invite/${"A".repeat(43)}`, ["password", "confirm"]]] as const) {
      await fc.assert(fc.asyncProperty(formFor(fields), async (form) => {
        const before = await fingerprint(w)
        const response = await w.server.app.request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" }, body: new URLSearchParams(form).toString() })
        await judge(`${path} ${JSON.stringify(form).slice(0, 200)}`, response, before)
      }), { numRuns, examples: [...prototypeNames()] })
    }
  }, 240_000)

  it("streamed uploads with any fields and any file (name, bytes, several): never a 500, a refusal says why and stores nothing", async () => {
    const file = fc.record({ name: fc.oneof(value, fc.constantFrom("a.pdf", "a.png", "a.exe", ".pdf", "a/b\\c.pdf", "\u0000.pdf", "x".repeat(300) + ".pdf")), bytes: fc.uint8Array({ maxLength: 300 }) })
    const upload = fc.tuple(formFor(["do", "to", "subject", "body"], { to: recipient() }), fc.array(file, { maxLength: 3 }))
    for (const [browser, path] of [[w.browsers.admin, "/secure/new"], [p.clientBrowsers.casey, "/portal/messages/new"], [w.browsers.admin, `/secure/threads/${p.threads["admins"]}/reply`]] as const) {
      await fc.assert(fc.asyncProperty(upload, async ([fields, files]) => {
        const before = await fingerprint(w)
        const form = new FormData()
        form.append("_csrf", browser.csrfToken)
        for (const [name, one] of Object.entries(fields)) form.append(name, one)
        for (const f of files) form.append("attachments", new Blob([f.bytes]), f.name)
        const response = await w.server.app.request(path, { method: "POST", headers: { cookie: browser.cookie }, body: form })
        await judge(`${path} ${JSON.stringify(fields).slice(0, 150)} files ${JSON.stringify(files.map((f) => f.name)).slice(0, 100)}`, response, before)
      }), { numRuns })
    }
  }, 240_000)

  it("ids in the address of threads, attachments, drafts and chat rooms: 4xx with a message, never a 500, nothing written", async () => {
    const thread = p.threads["admins"]!
    const gets = [
      (a: string) => `/secure/threads/${a}`,
      (a: string, b: string) => `/secure/threads/${thread}/files/${a}${b}`,
      (a: string) => `/secure/threads/${a}/quick-note`,
      (a: string) => `/secure/new?draft=${a}`,
      (a: string, b: string) => `/secure/threads/${thread}?draft=${a}&done=${b}`,
      (a: string) => `/secure?folder=${a}`,
      (a: string) => `/dock/chats/${a}`,
      (a: string, b: string) => `/dock/chats/${p.rooms["admins"]}/messages?before=${a}${b}`
    ]
    for (const path of gets) {
      await fc.assert(fc.asyncProperty(segment, segment, async (a, b) => {
        const before = await fingerprint(w)
        await judge(path(a, b), await w.browsers.admin.request(path(a, b)), before)
      }), { numRuns })
    }
    const posts = [(a: string) => `/secure/drafts/${a}/delete`, (a: string, b: string) => `/secure/threads/${thread}/messages/${a}${b}/delete`, (a: string) => `/secure/threads/${a}/delete`]
    for (const path of posts) {
      await fc.assert(fc.asyncProperty(segment, segment, async (a, b) => {
        const before = await fingerprint(w)
        await judge(`POST ${path(a, b)}`, await w.browsers.admin.request(path(a, b), { form: { _csrf: w.browsers.admin.csrfToken } }), before)
      }), { numRuns })
    }
    for (const path of [(a: string) => `/portal/messages/threads/${a}`, (a: string) => `/portal/messages/new?draft=${a}`]) {
      await fc.assert(fc.asyncProperty(segment, async (a) => {
        const before = await fingerprint(w)
        await judge(`client ${path(a)}`, await p.clientBrowsers.casey.request(path(a)), before)
      }), { numRuns })
    }
  }, 240_000)
})
