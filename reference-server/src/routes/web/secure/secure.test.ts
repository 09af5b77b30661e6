import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf, postMultipart, threadIdFrom } from "./SecureTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const casey = `client:${world.clients.c1.id}`
const robin = `client:${world.clients.c2.id}`
const sky = `client:${world.clients.c3.id}`
const coordinator = `staff:${world.staff.coordinator.id}`

/** spec_1 writes to Casey One (assigned to them) and the coordinator; the new thread's id. */
const caseyThread = async (body = "Hello Casey, how was the week?", files: ReadonlyArray<{ name: string; content: string }> = []) => {
  const spec = await server.signIn("spec1")
  const sent = await postMultipart(server, spec, "/secure/new", { do: "send", to: [casey, coordinator], subject: "Weekly check-in", body }, { files })
  expect(sent.status).toBe(303)
  expect(sent.headers.get("location")).toMatch(/^\/secure\/threads\/[^/]+\?done=sent$/)
  return { spec, id: threadIdFrom(sent) }
}

describe("staff secure messages: folders and compose", () => {
  it("lists the folders with the navigation entry, and an empty inbox says so", async () => {
    const spec = await server.signIn("spec1")
    const response = await spec.request("/secure")
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<a href="/secure" aria-current="page">Secure messages</a>')
    for (const label of ["Inbox", "Sent", "Drafts", "Archive"]) expect(html).toContain(`>${label}`)
    expect(html).toContain("No messages in your inbox.")
    expect(html).toContain('hx-trigger="secure from:#live"')
  })

  it("offers as recipients the colleagues and only the clients the access policy allows", async () => {
    const spec = await server.signIn("spec1")
    const html = await (await spec.request("/secure/new")).text()
    expect(html).toContain(`value="${casey}"`)
    expect(html).not.toContain(`value="${robin}"`)
    expect(html).not.toContain(`value="${sky}"`)
    expect(html).toContain(`value="${coordinator}"`)
    expect(html).not.toContain(`value="staff:${world.staff.gone.id}"`)
    expect(html).not.toContain(`value="staff:${world.staff.adminB.id}"`)
    expect(html).toContain("At least 10 characters.")
    expect(html).toContain('name="subject"')
    expect(html).toContain('type="file" name="attachments" multiple')
  })

  it("sends a message: the thread opens for its participants, is unread in the recipient's inbox, audited without content", async () => {
    const { spec, id } = await caseyThread()
    const page = await (await spec.request(`/secure/threads/${id}?done=sent`)).text()
    expect(page).toContain("Message sent.")
    expect(page).toContain("Weekly check-in")
    expect(page).toContain("Hello Casey, how was the week?")
    expect(page).toContain("Casey One")
    const sent = await (await spec.request("/secure?folder=sent")).text()
    expect(sent).toContain("Weekly check-in")
    const coord = await server.signIn("coordinator")
    const inbox = await (await coord.request("/secure")).text()
    expect(inbox).toMatch(/<li class="secure-row unread">/)
    expect(inbox).toMatch(/id="secure-unread">1</)
    expect((await coord.request(`/secure/threads/${id}`)).status).toBe(200)
    const after = await (await coord.request("/secure")).text()
    expect(after).not.toMatch(/<li class="secure-row unread">/)
    const audit = await auditOf(server)
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(["thread.send", "thread.read"]))
    expect(JSON.stringify(audit)).not.toContain("Hello Casey")
    expect(JSON.stringify(audit)).not.toContain("Weekly check-in")
  })

  it("refuses bad input with a message in the form, keeping what was typed", async () => {
    const spec = await server.signIn("spec1")
    const short = await postMultipart(server, spec, "/secure/new", { do: "send", to: [casey], subject: "", body: "too short" })
    expect(short.status).toBe(400)
    const html = await short.text()
    expect(html).toContain("Message: at least 10 characters (9 now)")
    expect(html).toContain("Subject: required")
    expect(html).toContain(">too short</textarea>")
    // With htmx only the problems come back, into the form's slot: what was typed stays in the browser.
    const nobody = await postMultipart(server, spec, "/secure/new", { do: "send", subject: "Hi", body: "long enough body" }, { htmx: true })
    expect(nobody.status).toBe(400)
    expect(nobody.headers.get("hx-retarget")).toBe("#compose-problems")
    expect(nobody.headers.get("hx-reswap")).toBe("innerHTML")
    const fragment = await nobody.text()
    expect(fragment.startsWith('<div class="error" role="alert">')).toBe(true)
    expect(fragment).toContain("To: choose at least one person")
    const notAllowed = await postMultipart(server, spec, "/secure/new", { do: "send", to: [sky], subject: "Hi", body: "long enough body" })
    expect(notAllowed.status).toBe(422)
    expect(await notAllowed.text()).toContain("You cannot send a secure message to one of the recipients you chose.")
    const garbage = await postMultipart(server, spec, "/secure/new", { do: "explode", to: ["nobody"], subject: "x", body: "y" })
    expect(garbage.status).toBe(400)
    expect(await garbage.text()).toContain("This could not be sent")
  })

  it("saves, reopens and deletes a draft", async () => {
    const spec = await server.signIn("spec1")
    const saved = await postMultipart(server, spec, "/secure/new", { do: "save", to: [casey], subject: "Half written", body: "not yet" })
    expect(saved.status).toBe(303)
    const location = saved.headers.get("location")!
    expect(location).toMatch(/^\/secure\/new\?draft=[^&]+&done=saved$/)
    const reopened = await (await spec.request(location)).text()
    expect(reopened).toContain("Draft saved.")
    expect(reopened).toContain('value="Half written"')
    expect(reopened).toContain(">not yet</textarea>")
    expect(reopened).toMatch(new RegExp(`value="${casey}" checked`))
    expect(reopened).toContain("Delete draft")
    const drafts = await (await spec.request("/secure?folder=drafts")).text()
    expect(drafts).toContain("Half written")
    expect(drafts).toContain("To Casey One")
    const draftId = decodeURIComponent(/draft=([^&]+)/.exec(location)![1]!)
    const other = await server.signIn("spec2")
    expect((await other.request(`/secure/new?draft=${draftId}`)).status).toBe(404)
    expect((await other.request(`/secure/drafts/${draftId}/delete`, { form: {}, csrf: true })).status).toBe(404)
    const deleted = await postMultipart(server, spec, "/secure/new", { do: "delete", draftId, to: [], subject: "", body: "" })
    expect(deleted.status).toBe(303)
    expect(await (await spec.request("/secure?folder=drafts")).text()).toContain("No drafts.")
  })

  it("sending from a draft removes the draft", async () => {
    const spec = await server.signIn("spec1")
    const saved = await postMultipart(server, spec, "/secure/new", { do: "save", to: [casey], subject: "From a draft", body: "" })
    const draftId = decodeURIComponent(/draft=([^&]+)/.exec(saved.headers.get("location")!)![1]!)
    const sent = await postMultipart(server, spec, "/secure/new", { do: "send", draftId, to: [casey], subject: "From a draft", body: "Finished it now, Casey." })
    expect(sent.status).toBe(303)
    expect(await (await spec.request("/secure?folder=drafts")).text()).toContain("No drafts.")
  })

  it("keeps a reply as a draft: listed in Drafts, reopened on its thread, removed when the reply is sent", async () => {
    const { id } = await caseyThread()
    const coord = await server.signIn("coordinator")
    const saved = await postMultipart(server, coord, `/secure/threads/${id}/reply`, { do: "save", body: "Half a reply" })
    expect(saved.status).toBe(303)
    const location = saved.headers.get("location")!
    expect(location).toMatch(new RegExp(`^/secure/threads/${id}\\?draft=[^&]+&done=saved$`))
    const draftId = decodeURIComponent(/draft=([^&]+)/.exec(location)![1]!)
    const reopened = await (await coord.request(location)).text()
    expect(reopened).toContain(">Half a reply</textarea>")
    expect(reopened).toContain(`name="draftId" value="${draftId}"`)
    const drafts = await (await coord.request("/secure?folder=drafts")).text()
    expect(drafts).toContain(`href="/secure/threads/${id}?draft=${draftId}"`)
    expect((await coord.request(`/secure/new?draft=${draftId}`)).headers.get("location")).toBe(`/secure/threads/${id}?draft=${draftId}`)
    await postMultipart(server, coord, `/secure/threads/${id}/reply`, { do: "send", draftId, body: "The whole reply, finished." })
    expect(await (await coord.request("/secure?folder=drafts")).text()).toContain("No drafts.")
  })

  it("marks ticked threads read, archives them and moves them back", async () => {
    const { id } = await caseyThread()
    const coord = await server.signIn("coordinator")
    const read = await coord.request("/secure/bulk", { form: { _csrf: coord.csrfToken, do: "read", folder: "inbox", thread: id } })
    expect(read.status).toBe(303)
    expect(read.headers.get("location")).toBe("/secure?folder=inbox&done=read")
    expect(await (await coord.request("/secure")).text()).not.toMatch(/<li class="secure-row unread">/)
    await coord.request("/secure/bulk", { form: { _csrf: coord.csrfToken, do: "archive", folder: "inbox", thread: id } })
    expect(await (await coord.request("/secure")).text()).not.toContain("Weekly check-in")
    const archive = await (await coord.request("/secure?folder=archive")).text()
    expect(archive).toContain("Weekly check-in")
    expect(archive).toContain("Move to inbox")
    await coord.request("/secure/bulk", { form: { _csrf: coord.csrfToken, do: "unarchive", folder: "archive", thread: id } })
    expect(await (await coord.request("/secure")).text()).toContain("Weekly check-in")
    const none = await coord.request("/secure/bulk", { form: { _csrf: coord.csrfToken, do: "read", folder: "inbox" } })
    expect(none.status).toBe(400)
    expect(await none.text()).toContain("Tick at least one message first")
  })

  it("reloads the folder region alone for the live event", async () => {
    await caseyThread()
    const coord = await server.signIn("coordinator")
    const region = await (await coord.request("/secure/folder?folder=inbox", { headers: { "hx-request": "true" } })).text()
    expect(region.startsWith('<div id="secure-region"')).toBe(true)
    expect(region).toContain("Weekly check-in")
  })
})

describe("staff secure messages: a thread", () => {
  it("is 404 for a staff member who is not a participant, on every route", async () => {
    const { id } = await caseyThread("A message with an attachment.", [{ name: "notes.txt", content: "plain notes" }])
    const other = await server.signIn("spec2")
    const admin = await server.signIn("admin")
    const page = await (await server.signIn("spec1")).request(`/secure/threads/${id}`)
    const blobId = /\/files\/([^"]+)"/.exec(await page.text())![1]!
    for (const browser of [other, admin]) {
      for (const path of [`/secure/threads/${id}`, `/secure/threads/${id}/quick-note`, `/secure/threads/${id}/files/${blobId}`]) {
        const response = await browser.request(path)
        expect(response.status).toBe(404)
        expect(await response.text()).not.toContain("Weekly check-in")
      }
      expect((await postMultipart(server, browser, `/secure/threads/${id}/reply`, { do: "send", body: "I should not be here" })).status).toBe(404)
      expect((await browser.request(`/secure/threads/${id}/delete`, { form: {}, csrf: true })).status).toBe(404)
      expect((await browser.request(`/secure/threads/${id}/quick-note`, { form: { text: "note" }, csrf: true })).status).toBe(404)
    }
    for (const path of ["/secure/threads/thr_nope", "/secure/threads/not%20an%20id!"]) expect((await other.request(path)).status).toBe(404)
  })

  it("replies to all; the other participants see it unread", async () => {
    const { id } = await caseyThread()
    const coord = await server.signIn("coordinator")
    const reply = await postMultipart(server, coord, `/secure/threads/${id}/reply`, { do: "send", body: "Thanks, I will join the call." }, { htmx: true })
    expect(reply.status).toBe(200)
    expect(reply.headers.get("hx-redirect")).toBe(`/secure/threads/${id}?done=replied#reply`)
    const spec = await server.signIn("spec1")
    expect(await (await spec.request("/secure")).text()).toMatch(/<li class="secure-row unread">/)
    const page = await (await spec.request(`/secure/threads/${id}`)).text()
    expect(page).toContain("Thanks, I will join the call.")
    expect(page).toContain(`hx-trigger="secure-${id} from:#live"`)
    const live = await (await spec.request(`/secure/threads/${id}/messages`, { headers: { "hx-request": "true" } })).text()
    expect(live.startsWith('<section id="secure-messages"')).toBe(true)
    expect(live).toContain("Thanks, I will join the call.")
    expect((await (await server.signIn("spec2")).request(`/secure/threads/${id}/messages`)).status).toBe(404)
    const short = await postMultipart(server, coord, `/secure/threads/${id}/reply`, { do: "send", body: "ok" }, { htmx: true })
    expect(short.status).toBe(400)
    expect(short.headers.get("hx-retarget")).toBe("#reply-problems")
    expect(await short.text()).toContain("at least 10 characters")
    const plain = await postMultipart(server, coord, `/secure/threads/${id}/reply`, { do: "send", body: "ok" })
    expect(plain.status).toBe(400)
    expect(await plain.text()).toContain(">ok</textarea>")
  })

  it("with two clients, shows why replies are off and offers a new message; a reply post is refused", async () => {
    const coord = await server.signIn("coordinator")
    const sent = await postMultipart(server, coord, "/secure/new", { do: "send", to: [casey, robin], subject: "Group notice", body: "The office is closed on Friday." })
    const id = threadIdFrom(sent)
    const page = await (await coord.request(`/secure/threads/${id}`)).text()
    expect(page).toContain("Messages to more than one client cannot be replied to, for privacy: start a new message instead.")
    expect(page).toContain('<a class="button primary" href="/secure/new">New message</a>')
    expect(page).not.toContain("Send reply")
    expect(page).not.toContain("Quick note to chart")
    const refused = await postMultipart(server, coord, `/secure/threads/${id}/reply`, { do: "send", body: "Replying anyway to all." })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain("cannot be replied to, for privacy")
  })

  it("lets the author delete their own message and the starter the whole thread, for good, after a confirmation", async () => {
    const { spec, id } = await caseyThread()
    const coord = await server.signIn("coordinator")
    await postMultipart(server, coord, `/secure/threads/${id}/reply`, { do: "send", body: "A reply from the coordinator." })
    const coordPage = await (await coord.request(`/secure/threads/${id}`)).text()
    // The coordinator may delete their reply, not the first message, and not the thread.
    expect(coordPage.match(/Delete message/g)?.length).toBe(1)
    expect(coordPage).not.toContain("Delete thread")
    const specPage = await (await spec.request(`/secure/threads/${id}`)).text()
    expect(specPage).toContain('data-confirm="Delete this whole conversation')
    const firstId = /\/messages\/([^/]+)\/delete/.exec(specPage)![1]!
    const notMine = await coord.request(`/secure/threads/${id}/messages/${firstId}/delete`, { form: {}, csrf: true })
    expect(notMine.status).toBe(422)
    expect(await notMine.text()).toContain("Only the staff member who sent a message can delete it.")
    const gone = await spec.request(`/secure/threads/${id}/messages/${firstId}/delete`, { form: {}, csrf: true })
    expect(gone.status).toBe(303)
    expect(await (await spec.request(`/secure/threads/${id}`)).text()).not.toContain("Hello Casey, how was the week?")
    expect((await coord.request(`/secure/threads/${id}/delete`, { form: {}, csrf: true })).status).toBe(422)
    const deleted = await spec.request(`/secure/threads/${id}/delete`, { form: {}, csrf: true })
    expect(deleted.status).toBe(303)
    expect(deleted.headers.get("location")).toBe("/secure?done=thread_deleted")
    expect((await spec.request(`/secure/threads/${id}`)).status).toBe(404)
    expect((await auditOf(server)).map((e) => e.action)).toEqual(expect.arrayContaining(["thread.delete_message", "thread.delete"]))
  })

  it("attaches files, links them for participants and serves them as downloads", async () => {
    const { spec, id } = await caseyThread("Please read the attached notes.", [{ name: "notes.txt", content: "plain notes" }])
    const page = await (await spec.request(`/secure/threads/${id}`)).text()
    expect(page).toContain(">notes.txt</a>")
    const href = /href="(\/secure\/threads\/[^"]+\/files\/[^"]+)"/.exec(page)![1]!
    const file = await spec.request(href)
    expect(file.status).toBe(200)
    expect(file.headers.get("content-disposition")).toMatch(/^attachment/)
    expect(file.headers.get("x-content-type-options")).toBe("nosniff")
    expect(await file.text()).toBe("plain notes")
    // A refused file: the reason, in the form (htmx keeps what was typed and chosen); nothing is sent.
    const wrongType = await postMultipart(server, spec, "/secure/new", { do: "send", to: [casey], subject: "Pic", body: "Here is the picture." }, { files: [{ name: "photo.png", content: "not a png" }], htmx: true })
    expect(wrongType.status).toBe(415)
    expect(wrongType.headers.get("hx-retarget")).toBe("#compose-problems")
    expect(await wrongType.text()).toContain("A file named .png is not a PNG image")
    const plain = await postMultipart(server, spec, "/secure/new", { do: "send", to: [casey], subject: "Pic", body: "Here is the picture." }, { files: [{ name: "photo.png", content: "not a png" }] })
    expect(plain.status).toBe(415)
    const html = await plain.text()
    expect(html).toContain('<form id="compose"')
    expect(html).toContain("A file named .png is not a PNG image")
    expect(await (await spec.request("/secure?folder=sent")).text()).not.toContain("Pic")
  })

  it("refuses an attachment over 10 MB (413) and a kind that cannot be attached (415), saying why; sends nothing", async () => {
    const spec = await server.signIn("spec1")
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(65)
    const tooLarge = await postMultipart(server, spec, "/secure/new", { do: "send", to: [casey], subject: "Big", body: "A very large file attached." }, { files: [{ name: "big.txt", content: big }], htmx: true })
    expect(tooLarge.status).toBe(413)
    expect(await tooLarge.text()).toContain("each attachment may be at most 10 MB")
    const exe = await postMultipart(server, spec, "/secure/new", { do: "send", to: [casey], subject: "Exe", body: "A program attached here." }, { files: [{ name: "setup.exe", content: "MZ" }], htmx: true })
    expect(exe.status).toBe(415)
    expect(await exe.text()).toContain(".exe files cannot be attached")
    expect(await (await spec.request("/secure?folder=sent")).text()).toContain("You have not sent any messages yet.")
  })

  it("writes a quick note to the chart (one client): editable, then marked 'Sent to clinical record'", async () => {
    const { spec, id } = await caseyThread()
    const page = await (await spec.request(`/secure/threads/${id}`)).text()
    expect(page).toContain(`href="/secure/threads/${id}/quick-note"`)
    const editor = await (await spec.request(`/secure/threads/${id}/quick-note`)).text()
    expect(editor).toContain("Hello Casey, how was the week?")
    expect(editor).toContain('<textarea name="text"')
    const empty = await spec.request(`/secure/threads/${id}/quick-note`, { form: { text: "" }, csrf: true })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain("the note is empty")
    const saved = await spec.request(`/secure/threads/${id}/quick-note`, { form: { text: "Checked in with Casey; all well." }, csrf: true })
    expect(saved.status).toBe(303)
    const after = await (await spec.request(saved.headers.get("location")!)).text()
    expect(after).toContain("The note was sent to the clinical record.")
    expect(after).toContain("Sent to clinical record")
  })

  it("renders names, subjects, bodies and file names inert", async () => {
    const payload = `<script>alert(1)</script><img src=x hx-get="/secure" hx-trigger="load">`
    const spec = await server.signIn("spec1")
    const sent = await postMultipart(server, spec, "/secure/new", { do: "send", to: [casey, coordinator], subject: payload, body: `${payload} body` }, { files: [{ name: `${payload}.txt`.replace(/[/\\]/g, ""), content: "x" }] })
    expect(sent.status).toBe(303)
    const id = threadIdFrom(sent)
    const coord = await server.signIn("coordinator")
    for (const path of [`/secure/threads/${id}`, "/secure", `/secure/threads/${id}/quick-note`]) {
      const html = await (await coord.request(path)).text()
      expect(html).not.toContain("<script>alert(1)</script>")
      expect(html).not.toContain('<img src=x hx-get="/secure"')
      expect(html).toContain("&lt;script&gt;")
    }
  })
})

describe("staff secure messages: CSRF", () => {
  it("refuses every state-changing post without the session's token, and changes nothing", async () => {
    const { spec, id } = await caseyThread()
    const before = (await auditOf(server)).length
    const plain = [
      ["/secure/bulk", { do: "archive", thread: id }],
      [`/secure/threads/${id}/delete`, {}],
      [`/secure/threads/${id}/quick-note`, { text: "note" }],
      ["/secure/drafts/drf_1/delete", {}]
    ] as const
    for (const [path, form] of plain) expect((await spec.request(path, { form: { ...form } })).status).toBe(403)
    for (const path of ["/secure/new", `/secure/threads/${id}/reply`]) {
      expect((await postMultipart(server, spec, path, { do: "send", to: [casey], subject: "x", body: "long enough body" }, { csrf: false })).status).toBe(403)
    }
    expect((await auditOf(server)).length).toBe(before)
    expect((await spec.request(`/secure/threads/${id}`)).status).toBe(200)
  })
})
