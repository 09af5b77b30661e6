import { ChannelId, ClientId, ProviderMessageId, receiveInbound } from "@careline/core"
import { phone } from "@careline/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { channelIdOf, textIn } from "../routes/web/messages/MessagesTesting.js"
import { joinPortal } from "../testing/Portal.js"
import { type Browser, testPassword, world } from "../testing/TestServer.js"
import { channelOf, type SecurityWorld, startSecurityWorld } from "./SecurityWorld.js"

/**
 * The XSS corpus (issue 7): every payload planted in every field a person can type — client names,
 * staff names, queue names, templates, crisis words, a queue's after-hours reply, message bodies
 * (inbound through the core and through the fake webhook, outbound from the composer and the dock,
 * replies through a reply link), saved client list names (saved and renamed), the content type of an
 * inbound MMS's media, search boxes and refused forms that show what was typed — then
 * every page and fragment that shows them is scanned: the payload never appears unescaped, and no
 * element carries an event handler, an htmx attribute, a `javascript:` URL or a script from it.
 */

const payloads = [
  `<script>alert("MARK")</script>`,
  `"><img src=x onerror=alert('MARK')>`,
  `<a href="javascript:alert('MARK')">MARK</a>`,
  `<div hx-get="/admin?MARK" hx-trigger="load">MARK</div>`,
  `{{constructor.constructor('alert(1)')()}} MARK`,
  `</textarea><script>alert('MARK')</script>`,
  `' onmouseover='alert(1)' data-m='MARK`,
  `" autofocus onfocus="alert(1)" data-m="MARK`,
  `<svg onload=alert('MARK')>`,
  `</title><iframe srcdoc="<script>alert(1)</script>">MARK`,
  `<button hx-post="/sign-out" hx-on::load="alert(1)">MARK</button>`,
  `javascript:alert('MARK')`
]

/** How Hono's JSX writes text and attribute values. */
const escaped = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;")

interface Tag {
  readonly name: string
  readonly attributes: ReadonlyArray<readonly [string, string]>
}

/** A simple scan of the start tags of an HTML document and their attributes (enough to find injected ones). */
const tagsOf = (html: string): ReadonlyArray<Tag> => {
  const tags: Array<Tag> = []
  for (const match of html.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const attributes: Array<readonly [string, string]> = []
    for (const a of match[2]!.matchAll(/([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      attributes.push([a[1]!.toLowerCase(), a[2] ?? a[3] ?? a[4] ?? ""])
    }
    tags.push({ name: match[1]!.toLowerCase(), attributes })
  }
  return tags
}

/** What is wrong with a page, for one marker: the raw payload, or an element that the payload made dangerous. */
const problemsOf = (html: string, payload: string, marker: string): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const injected = new Set(tagsOf(payload).flatMap((t) => t.attributes.map(([n, v]) => `${n}=${v}`)))
  // A payload with markup or quotes must never come back as typed (one without is plain text either way).
  if (/[<>"']/.test(payload) && html.includes(payload)) problems.push("raw payload in the page")
  for (const tag of tagsOf(html)) {
    if (tag.name === "script" && !tag.attributes.some(([n, v]) => n === "src" && v.startsWith("/assets/"))) problems.push(`inline <script>: ${JSON.stringify(tag.attributes)}`)
    if (["iframe", "svg", "object", "embed"].includes(tag.name)) problems.push(`<${tag.name}> element`)
    for (const [name, value] of tag.attributes) {
      if (name.startsWith("on")) problems.push(`<${tag.name} ${name}=…> event handler`)
      // The app's own htmx attributes may carry a search, URL-encoded; the payload's own attributes never appear.
      if ((name.startsWith("hx-") || name.startsWith("data-hx-")) && (injected.has(`${name}=${value}`) || name.startsWith("hx-on"))) problems.push(`<${tag.name} ${name}="${value}"> from the payload`)
      if (["href", "src", "action", "formaction", "srcdoc"].includes(name) && /^\s*javascript:/i.test(value)) problems.push(`<${tag.name} ${name}="${value}">`)
      if (name === "autofocus" && tag.attributes.some(([, v]) => v.includes(marker))) problems.push(`<${tag.name} autofocus> from the payload`)
      if (name.startsWith("data-m")) problems.push(`<${tag.name} ${name}> from the payload`)
    }
  }
  return problems
}

let w: SecurityWorld
beforeAll(async () => {
  w = await startSecurityWorld()
}, 60_000)
afterAll(() => w.server.close())

const post = (who: "admin" | "coordinator" | "spec1", path: string, form: Record<string, string>) =>
  w.browsers[who].request(path, { form: { _csrf: w.browsers[who].csrfToken, ...form } })

const expectStatus = async (response: Response | Promise<Response>, statuses: ReadonlyArray<number>, what: string) => {
  const r = await response
  if (!statuses.includes(r.status)) throw new Error(`${what}: ${r.status} ${(await r.text()).slice(0, 300)}`)
  return r
}

/** Plants one payload everywhere a person can type; answers the pages (as whom) that show it. */
const plant = async (payload: string, i: number) => {
  const number = phone(5_000 + i)
  const created = await expectStatus(post("coordinator", "/clients", { name: payload, number1: number, label1: "mobile", primary: "1", okay: "on" }), [303], "new client")
  const clientId = new URL(created.headers.get("location")!, "http://localhost").pathname.split("/")[2]!
  await expectStatus(post("coordinator", `/clients/${clientId}/assignments`, { staffId: world.staff.spec1.id }), [303], "assign")
  await expectStatus(post("admin", "/admin/staff", { name: payload, email: `xss${i}@example.org`, role: "specialist", password: testPassword }), [303], "new staff")
  await expectStatus(post("admin", "/admin/queues", { name: `${payload.slice(0, 90)} ${i}`, members: world.staff.spec1.id }), [303], "new queue")
  await expectStatus(post("admin", "/settings/templates", { optInRequest: `${payload} YES`, welcome: payload, help: payload, optOutConfirmation: payload, afterHours: payload }), [303], "templates")
  await expectStatus(post("admin", "/settings/crisis-words", { words: payload }), [303], "crisis words")
  await expectStatus(post("admin", "/settings/queues/q_1/after-hours", { text: payload }), [303], "queue after-hours")
  // Inbound through the core and through the fake webhook; outbound from the composer and the dock.
  await textIn(w.server, number, world.lines.spec1.number, payload)
  const channelId = await channelIdOf(w.server, world.lines.spec1, number)
  await expectStatus(w.server.app.request("/webhooks/fake/messages", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: number, to: world.lines.spec1.number, body: `${payload} (webhook)` })
  }), [200, 201, 202], "fake webhook")
  await expectStatus(post("spec1", `/messages/${channelId}/send`, { body: `${payload} (composer)` }), [303], "send")
  await expectStatus(post("spec1", `/dock/channels/${channelId}/messages`, { body: `${payload} (dock)` }), [200], "dock send")
  // A reply through the channel's reply link.
  await expectStatus(post("spec1", `/messages/${channelId}/replies`, { allowed: "true" }), [303], "allow replies")
  await expectStatus(post("spec1", `/messages/${channelId}/reply-link`, { do: "renew" }), [303], "reply link")
  const token = (await channelOf(w, channelId))!.replyToken!
  await expectStatus(w.server.app.request(`/r/${token}`, {
    method: "POST", headers: { origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ body: `${payload} (link)` }).toString()
  }), [303], "reply via link")
  // A saved client list named with the payload, and another renamed to it.
  const listIdFrom = (response: Response) => new URL(response.headers.get("location")!, "http://localhost").searchParams.get("list")!
  const listId = listIdFrom(await expectStatus(post("spec1", "/bulk/lists", { listName: payload, clientId: world.clients.c1.id }), [303], "save list"))
  const renamedId = listIdFrom(await expectStatus(post("spec1", "/bulk/lists", { listName: `Plain ${i}`, clientId: world.clients.c1.id }), [303], "save list"))
  await expectStatus(post("spec1", `/bulk/lists/${renamedId}/rename`, { name: `${payload} (renamed)` }), [303], "rename list")
  // An MMS whose media declare the payload as their content type.
  await w.server.runtime.runPromise(receiveInbound({
    providerMessageId: ProviderMessageId.make(`SMxssmedia${i}`), from: number, to: world.lines.spec1.number, body: "",
    media: [{ url: "https://media.example.org/x.jpg", contentType: payload }]
  }))
  // A staff chat in the dock: a message with the payload (refused when it holds a control character); colleagues named with it in the picker.
  const chat = await expectStatus(post("spec1", "/dock/chats", { with: world.staff.coordinator.id }), [200], "start chat")
  const roomId = /chat-([^ "]+) from:#live/.exec(await chat.text())![1]!
  await expectStatus(post("spec1", `/dock/chats/${roomId}/messages`, { body: `${payload} (chat)` }), [200, 422], "chat send")
  const q = encodeURIComponent(payload)
  const pages = {
    spec1: [
      "/messages", `/messages?q=${q}`, `/messages/${channelId}`, `/messages/${channelId}/messages`, `/messages/${channelId}/actions`,
      "/messages/inbox", "/messages/notifications", "/clients", `/clients?q=${q}`, `/clients/${clientId}`, `/clients/${clientId}?tab=messages`,
      `/dock/find?q=${q}`, `/dock/clients/${clientId}`, `/dock/channels/${channelId}`, `/dock/channels/${channelId}/messages`, "/bulk",
      "/bulk/lists", `/bulk?list=${listId}`, `/bulk?list=${listId}&saved=1`, `/bulk?list=${renamedId}`,
      "/dock/chats", "/dock/chats/new", `/dock/chats/${roomId}`, `/dock/chats/${roomId}/messages`
    ],
    admin: [
      "/admin", "/admin/clients", "/admin/assignments", "/admin/lines", "/admin/audit", "/settings", `/clients/${clientId}`,
      `/messages/colleague/${world.staff.spec1.id}`, `/messages/colleague/${world.staff.spec1.id}/${channelId}`,
      `/messages/colleague/${world.staff.spec1.id}/${channelId}/messages`
    ],
    public: [`/r/${token}`, `/simulator?phone=${encodeURIComponent(number)}&line=${world.lines.spec1.id}`, `/simulator/thread?phone=${encodeURIComponent(number)}&line=${world.lines.spec1.id}`]
  }
  return { channelId: ChannelId.make(channelId), clientId, listId, pages }
}

/** Forms refused for a mistake show what was typed again: those pages too. */
const refusedForms = async (payload: string, listId: string) => [
  ["POST /bulk/lists (no client)", await post("spec1", "/bulk/lists", { listName: payload, body: payload, clientId: payload })],
  ["POST /bulk/lists/:id/rename (too long)", await post("spec1", `/bulk/lists/${listId}/rename`, { name: `${payload} ${"x".repeat(100)}` })],
  ["POST /admin/staff (bad email)", await post("admin", "/admin/staff", { name: payload, email: payload, role: "specialist", password: testPassword })],
  ["POST /clients (bad phone)", await post("coordinator", "/clients", { name: payload, email: payload, number1: payload, label1: "mobile", primary: "1" })],
  ["POST /admin/lines (bad number)", await post("admin", "/admin/lines", { number: payload, owner: payload, rate: payload })],
  ["POST /settings/hours (bad zone)", await post("admin", "/settings/hours", { timeZone: payload, mon_opens: payload })],
  ["POST /settings/holidays (bad date)", await post("admin", "/settings/holidays", { date: payload })]
] as const

describe("XSS corpus", () => {
  payloads.forEach((template, i) => {
    const marker = `XSSMARK${i}`
    const payload = template.replace("MARK", marker)
    it(`renders inert: ${payload}`, async () => {
      const planted = await plant(payload, i)
      const found: Array<string> = []
      const wrong: Array<string> = []
      const scan = (where: string, html: string) => {
        for (const problem of problemsOf(html, payload, marker)) wrong.push(`${where}: ${problem}`)
        if (html.includes(escaped(payload)) || html.includes(escaped(payload.trim()))) found.push(where)
      }
      for (const who of ["spec1", "admin"] as const) {
        for (const path of planted.pages[who]) {
          const response = await w.browsers[who].request(path)
          expect(response.status, `${who} ${path}`).toBeLessThan(400)
          scan(`${who} ${path}`, await response.text())
        }
      }
      for (const path of planted.pages.public) scan(path, await (await w.server.app.request(path)).text())
      for (const [what, response] of await refusedForms(payload, planted.listId)) {
        expect(response.status, what).toBeGreaterThanOrEqual(400)
        expect(response.status, what).toBeLessThan(500)
        scan(what, await response.text())
      }
      // The transcript is plain text, downloaded: never a page a browser would render as HTML.
      const transcript = await w.browsers.spec1.request(`/messages/${planted.channelId}/transcript.txt`)
      expect(transcript.headers.get("content-type")).toMatch(/^text\/plain/)
      expect(transcript.headers.get("content-disposition")).toMatch(/^attachment/)
      expect(wrong).toEqual([])
      // The payload really was shown (escaped) where it was planted, not merely dropped.
      for (const page of [
        "spec1 /messages", `spec1 /clients/${planted.clientId}`, "admin /admin", "admin /admin/lines", "admin /settings", `spec1 /messages/${planted.channelId}`,
        "spec1 /bulk", "spec1 /bulk/lists", `spec1 /bulk?list=${planted.listId}`, "POST /bulk/lists (no client)", "POST /bulk/lists/:id/rename (too long)"
      ]) {
        expect(found, page).toContain(page)
      }
      // The media's content type is shown, as text, where the conversation is (also in a colleague's view).
      for (const [who, path] of [["spec1", `/messages/${planted.channelId}`], ["admin", `/messages/colleague/${world.staff.spec1.id}/${planted.channelId}`]] as const) {
        expect(await (await w.browsers[who].request(path)).text(), `${who} ${path}`).toContain(`Attachment (${escaped(payload)})`)
      }
    }, 60_000)
  })
})

describe("the XSS scan itself", () => {
  it("flags each payload with markup or quotes when a page would show it unescaped", () => {
    payloads.forEach((template, i) => {
      const payload = template.replace("MARK", `XSSMARK${i}`)
      if (!/[<>"']/.test(payload)) return
      expect(problemsOf(`<p title="${payload}">${payload}</p>`, payload, `XSSMARK${i}`), payload).not.toEqual([])
      expect(problemsOf(`<p title="${escaped(payload)}">${escaped(payload)}</p>`, payload, `XSSMARK${i}`), payload).toEqual([])
    })
  })
})

// Issue 6: secure messages (subjects, bodies, attachment names, drafts, the quick note), the portal (a client
// named with the payload, their threads and texts), and emails shown in the demo mailbox (a channel email
// carrying the payload as content, invitations to the payload-named client).

const pdfBytes = new TextEncoder().encode("%PDF-1.4\nxss\n")

/** Posts a multipart form as htmx does (token in the header), files under `attachments`. */
const postUpload = (browser: Browser, path: string, fields: Record<string, string | ReadonlyArray<string>>, files: ReadonlyArray<string> = []) => {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) for (const one of typeof value === "string" ? [value] : value) form.append(name, one)
  for (const name of files) form.append("attachments", new Blob([pdfBytes]), name)
  return Promise.resolve(w.server.app.request(path, { method: "POST", headers: { cookie: browser.cookie, "x-csrf-token": browser.csrfToken }, body: form }))
}
const threadOfLocation = (response: Response) => /\/threads\/([^/?#]+)/.exec(response.headers.get("location") ?? "")?.[1] ?? ""

const plantSecure = async (payload: string, i: number) => {
  const email = `xss-portal-${i}@example.org`
  const number = phone(6_000 + i)
  const created = await expectStatus(post("coordinator", "/clients", { name: payload, email, number1: number, label1: "mobile", primary: "1", okay: "on" }), [303], "new client")
  const clientId = ClientId.make(new URL(created.headers.get("location")!, "http://localhost").pathname.split("/")[2]!)
  await expectStatus(post("coordinator", `/clients/${clientId}/assignments`, { staffId: world.staff.spec1.id }), [303], "assign")
  const client = await joinPortal(w.server, w.browsers.coordinator, clientId, email)
  await expectStatus(post("admin", "/settings/portal", { portalShowsSms: "on", emailCarriesContent: "on" }), [303], "portal settings")
  const spec1 = w.browsers.spec1
  const fileName = `${payload.replace(/[/\\]/g, "")}.pdf`
  const sent = await expectStatus(postUpload(spec1, "/secure/new", { do: "send", to: [`client:${clientId}`, `staff:${world.staff.coordinator.id}`], subject: payload, body: `${payload} (secure)` }, [fileName]), [303], "compose")
  const threadId = threadOfLocation(sent)
  await expectStatus(postUpload(client, `/portal/messages/threads/${threadId}/reply`, { do: "send", body: `${payload} (portal)` }, [fileName]), [303], "portal reply")
  // Inside the formatting markup (bold, italic, lists, a link), from both sides.
  const formatted = `**${payload}** _${payload}_\n\n- ${payload}\n1. ${payload}\n\nhttps://evil.example/${payload}`
  await expectStatus(postUpload(spec1, `/secure/threads/${threadId}/reply`, { do: "send", body: formatted }), [303], "formatted reply")
  await expectStatus(postUpload(client, `/portal/messages/threads/${threadId}/reply`, { do: "send", body: formatted }), [303], "formatted portal reply")
  const draft = await expectStatus(postUpload(spec1, "/secure/new", { do: "save", to: [`client:${clientId}`], subject: `${payload} (draft)`, body: `${payload} (draft)` }), [303], "draft")
  const draftId = new URL(draft.headers.get("location")!, "http://localhost").searchParams.get("draft")!
  await expectStatus(postUpload(client, "/portal/messages/new", { do: "save", to: [`staff:${world.staff.spec1.id}`], subject: `${payload} (client draft)`, body: `${payload} (client draft)` }), [303], "client draft")
  // The client's texts (shown in the portal) and a channel email carrying the payload (shown in the demo mailbox).
  await textIn(w.server, number, world.lines.spec1.number, `${payload} (text)`)
  const channelId = await channelIdOf(w.server, world.lines.spec1, number)
  await expectStatus(post("spec1", `/messages/${channelId}/send`, { body: `${payload} (email)`, medium: "email" }), [303], "email")
  const pages = {
    spec1: [
      "/secure", "/secure?folder=sent", "/secure?folder=drafts", "/secure/folder", "/secure/new", `/secure/new?draft=${draftId}`,
      `/secure/threads/${threadId}`, `/secure/threads/${threadId}/messages`, `/secure/threads/${threadId}/quick-note`, `/messages/${channelId}`
    ],
    coordinator: ["/secure", `/secure/threads/${threadId}`],
    client: ["/portal/messages", "/portal/messages?folder=sent", "/portal/messages?folder=drafts", "/portal/messages/new", `/portal/messages/threads/${threadId}`, `/portal/messages/threads/${threadId}/messages`, "/portal/sms"],
    public: ["/simulator/mail", "/simulator/mail/list", `/simulator/mail?to=${encodeURIComponent(email)}`]
  }
  const refused = [
    ["POST /secure/new (no recipient)", await postUpload(spec1, "/secure/new", { do: "send", subject: payload, body: payload })],
    ["POST /secure/new htmx (no recipient)", await Promise.resolve(w.server.app.request("/secure/new", {
      method: "POST", headers: { cookie: spec1.cookie, "x-csrf-token": spec1.csrfToken, "hx-request": "true", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ do: "send", subject: payload, body: payload }).toString()
    }))],
    ["POST /portal/messages/new (no recipient)", await postUpload(client, "/portal/messages/new", { do: "send", subject: payload, body: payload })],
    ["POST /secure/threads/:id/reply (too short)", await postUpload(spec1, `/secure/threads/${threadId}/reply`, { do: "send", body: payload.slice(0, 5) })],
    ["POST /secure/threads/:id/quick-note (empty)", await post("spec1", `/secure/threads/${threadId}/quick-note`, { text: " " })]
  ] as const
  return { pages, client, refused }
}

describe("XSS corpus: secure messages, the portal and the demo mailbox (issue 6)", () => {
  payloads.forEach((template, i) => {
    const marker = `XSSMARK${i}`
    const payload = template.replace("MARK", marker)
    it(`renders inert: ${payload}`, async () => {
      const planted = await plantSecure(payload, i)
      const found: Array<string> = []
      const wrong: Array<string> = []
      const scan = (where: string, html: string) => {
        for (const problem of problemsOf(html, payload, marker)) wrong.push(`${where}: ${problem}`)
        if (html.includes(escaped(payload)) || html.includes(escaped(payload.trim()))) found.push(where)
      }
      for (const who of ["spec1", "coordinator"] as const) {
        for (const path of planted.pages[who]) {
          const response = await w.browsers[who].request(path)
          expect(response.status, `${who} ${path}`).toBeLessThan(400)
          scan(`${who} ${path}`, await response.text())
        }
      }
      for (const path of planted.pages.client) {
        const response = await planted.client.request(path)
        expect(response.status, `client ${path}`).toBeLessThan(400)
        scan(`client ${path}`, await response.text())
      }
      for (const path of planted.pages.public) scan(path, await (await w.server.app.request(path)).text())
      for (const [what, response] of planted.refused) {
        expect(response.status, what).toBeGreaterThanOrEqual(400)
        expect(response.status, what).toBeLessThan(500)
        scan(what, await response.text())
      }
      expect(wrong).toEqual([])
      // Shown (escaped) where it was planted, not merely dropped.
      const threadPage = planted.pages.spec1.find((p) => /\/threads\/[^/]+$/.test(p))!
      for (const page of [
        "spec1 /secure?folder=sent", `spec1 ${threadPage}`, "spec1 /secure/new", "spec1 /secure?folder=drafts", "coordinator /secure", `client /portal/messages`,
        `client ${threadPage.replace("/secure", "/portal/messages")}`, "client /portal/sms", "/simulator/mail", "POST /secure/new (no recipient)", "POST /portal/messages/new (no recipient)"
      ]) {
        expect(found, page).toContain(page)
      }
    }, 60_000)
  })
})
