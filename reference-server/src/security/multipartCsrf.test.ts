import { mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type ClientId, listFolder } from "@careline/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { maxCsrfLeadBytes } from "../web/Csrf.js"
import { joinPortal } from "../testing/Portal.js"
import { type Browser, startTestServer, type TestServer, world } from "../testing/TestServer.js"

/**
 * CSRF on multipart uploads (issue 6, the finding of engineer "files"): a multipart post proves it
 * comes from our page by the `x-csrf-token` header or by a `_csrf` field that is the form's FIRST
 * part. Without either the post is 403 and nothing is stored — and the body is not read past its
 * first part, so a signed-in person cannot push an upload of any size into memory. Real uploads
 * (well past the 64 KB of ordinary forms) still go through the whole app, both ways.
 */

let server: TestServer
let blobDirectory: string
let spec1: Browser
let spec2: Browser
let casey: Browser
let threadId: string
beforeAll(async () => {
  blobDirectory = await mkdtemp(join(tmpdir(), "careline-csrf-blobs-"))
  // Attachments on disk, so "nothing stored" is an empty directory.
  server = await startTestServer({ BLOB_DIRECTORY: blobDirectory })
  spec1 = await server.signIn("spec1")
  spec2 = await server.signIn("spec2")
  casey = await joinPortal(server, await server.signIn("coordinator"), world.clients.c1.id as ClientId, "casey@example.org")
  const started = await post(spec1, "/secure/new", [["_csrf", spec1.csrfToken], ...compose], [])
  expect(started.status).toBe(303)
  threadId = /\/threads\/([^/?]+)/.exec(started.headers.get("location") ?? "")![1]!
}, 60_000)
afterAll(async () => {
  await server.close()
  await rm(blobDirectory, { recursive: true, force: true })
})

const storedBlobs = async () => (await readdir(blobDirectory)).filter((name) => !name.startsWith("."))

const pdf = (size: number) => {
  const bytes = new Uint8Array(size).fill(0x41)
  bytes.set(new TextEncoder().encode("%PDF-1.4\n"))
  return bytes
}

type Part = readonly [name: string, value: string] | { readonly name: string; readonly file: string; readonly bytes: Uint8Array }

const compose: ReadonlyArray<Part> = [["do", "send"], ["to", `staff:${world.staff.coordinator.id}`], ["subject", "Upload check"], ["body", "Please see the attached file."]]
const composeAsCasey: ReadonlyArray<Part> = [["do", "send"], ["to", `staff:${world.staff.spec1.id}`], ["subject", "Upload check"], ["body", "Please see the attached file."]]
const attachment = (size = 2_000): Part => ({ name: "attachments", file: "notes.pdf", bytes: pdf(size) })

/** Posts the parts in this order, as a browser would (the FormData order is the form's tree order). */
const post = (browser: Browser, path: string, parts: ReadonlyArray<Part>, files: ReadonlyArray<Part> = [attachment()], headers: Record<string, string> = {}) => {
  const form = new FormData()
  for (const part of [...parts, ...files]) {
    if (Array.isArray(part)) form.append(part[0], part[1])
    else {
      const file = part as Exclude<Part, readonly [string, string]>
      form.append(file.name, new Blob([file.bytes]), file.file)
    }
  }
  return Promise.resolve(server.app.request(path, { method: "POST", headers: { cookie: browser.cookie, ...headers }, body: form }))
}

const boundary = "----careline-test-boundary"
const encoder = new TextEncoder()

/**
 * A multipart body of `fileBytes` bytes streamed on demand, and how many bytes the server pulled: a
 * body that is not read stays in the test (never generated, never sent).
 */
const streamedUpload = (lead: ReadonlyArray<readonly [string, string]>, fileBytes: number) => {
  const head = encoder.encode(
    lead.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join("") +
      `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="huge.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const chunk = new Uint8Array(64 * 1024).fill(0x41)
  let headSent = false
  let fileSent = 0
  let pulled = 0
  const body = new ReadableStream<Uint8Array>({
    pull: (controller) => {
      const next = !headSent ? head : fileSent < fileBytes ? chunk : tail
      if (next === head) headSent = true
      else if (next === chunk) fileSent += chunk.length
      pulled += next.length
      controller.enqueue(next)
      if (next === tail) controller.close()
    }
  }, { highWaterMark: 0 })
  return { body, pulled: () => pulled }
}

const postStream = (browser: Browser | undefined, path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  Promise.resolve(server.app.request(path, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}`, ...(browser === undefined ? {} : { cookie: browser.cookie }), ...headers },
    body,
    duplex: "half"
  } as RequestInit))

const threadsOf = async (who: "spec1" | "coordinator") =>
  (await server.runtime.runPromise(listFolder({ _tag: "Staff", staff: world.staff[who] }, "sent"))).length

describe("CSRF on multipart posts", () => {
  it("every form that uploads sends the _csrf field first (so a plain, script-less post passes)", async () => {
    const pages: ReadonlyArray<readonly [Browser, string]> = [
      [spec1, "/secure/new"], [spec1, `/secure/threads/${threadId}`], [casey, "/portal/messages/new"], [casey, `/portal/messages/threads/${threadId}`]
    ]
    let forms = 0
    for (const [browser, path] of pages) {
      const html = await (await browser.request(path)).text()
      for (const form of html.matchAll(/<form\b[^>]*enctype="multipart\/form-data"[^>]*>([\s\S]*?)<\/form>/g)) {
        forms++
        // The first control with a name, in tree order: what a browser puts first in the body.
        const first = /<(?:input|textarea|select|button)\b[^>]*\sname="([^"]*)"/.exec(form[1]!)?.[1]
        expect(first, `${path}: the first field of an upload form`).toBe("_csrf")
      }
    }
    expect(forms).toBeGreaterThanOrEqual(3)
  })

  it("without a token, with a wrong one, one of another session, one after the file or after another field, or from another site: 403 and nothing stored", async () => {
    const cases: ReadonlyArray<readonly [string, Browser, string, ReadonlyArray<Part>, Record<string, string>?]> = [
      ["staff compose, no token", spec1, "/secure/new", compose],
      ["staff compose, wrong token", spec1, "/secure/new", [["_csrf", `${spec1.csrfToken.slice(0, -2)}xx`], ...compose]],
      ["staff compose, another session's token", spec1, "/secure/new", [["_csrf", spec2.csrfToken], ...compose]],
      ["staff compose, token after another field", spec1, "/secure/new", [compose[0]!, ["_csrf", spec1.csrfToken], ...compose.slice(1)]],
      ["staff compose, wrong header", spec1, "/secure/new", [["_csrf", spec1.csrfToken], ...compose], { "x-csrf-token": "nope" }],
      ["staff compose, cross-site with the token", spec1, "/secure/new", [["_csrf", spec1.csrfToken], ...compose], { "sec-fetch-site": "cross-site" }],
      ["staff reply, no token", spec1, `/secure/threads/${threadId}/reply`, [["do", "send"], ["body", "A reply with a file."]]],
      ["staff reply, empty token", spec1, `/secure/threads/${threadId}/reply`, [["_csrf", ""], ["do", "send"], ["body", "A reply with a file."]]],
      ["portal compose, no token", casey, "/portal/messages/new", composeAsCasey],
      ["portal compose, a staff session's token", casey, "/portal/messages/new", [["_csrf", spec1.csrfToken], ...composeAsCasey]],
      ["portal compose, wrong header", casey, "/portal/messages/new", composeAsCasey, { "x-csrf-token": spec1.csrfToken }]
    ]
    const wrong: Array<string> = []
    const before = { spec1: await threadsOf("spec1"), replies: await server.runtime.runPromise(listFolder({ _tag: "Staff", staff: world.staff.coordinator }, "inbox")) }
    for (const [what, browser, path, parts, headers] of cases) {
      const response = await post(browser, path, parts, [attachment()], headers)
      if (response.status !== 403) wrong.push(`${what}: ${response.status}`)
    }
    // The token after the file: the file is the first part, so the post is refused as soon as it starts.
    const after = await post(spec1, "/secure/new", compose, [attachment(), ["_csrf", spec1.csrfToken]])
    if (after.status !== 403) wrong.push(`staff compose, token after the file: ${after.status}`)
    expect(wrong).toEqual([])
    expect(await storedBlobs()).toEqual([])
    expect(await threadsOf("spec1")).toBe(before.spec1)
    expect(await server.runtime.runPromise(listFolder({ _tag: "Staff", staff: world.staff.coordinator }, "inbox"))).toEqual(before.replies)
  })

  it("with the token as the form's first field (a plain form) or in the header (htmx), a real attachment goes through the whole app", async () => {
    const big = attachment(3 * 1024 * 1024)
    const byField = await post(spec1, "/secure/new", [["_csrf", spec1.csrfToken], ...compose], [big])
    expect(byField.status, await byField.clone().text()).toBe(303)
    const byHeader = await post(spec1, "/secure/new", compose, [big], { "x-csrf-token": spec1.csrfToken })
    expect(byHeader.status).toBe(303)
    const reply = await post(spec1, `/secure/threads/${threadId}/reply`, [["_csrf", spec1.csrfToken], ["do", "send"], ["body", "A reply with a file."]], [attachment(200_000)])
    expect(reply.status).toBe(303)
    const portal = await post(casey, "/portal/messages/new", [["_csrf", casey.csrfToken], ...composeAsCasey], [attachment(200_000)])
    expect(portal.status).toBe(303)
    expect(await storedBlobs()).toHaveLength(4)
    // The thread shows the file, and it downloads whole.
    const id = /\/threads\/([^/?]+)/.exec(byField.headers.get("location")!)![1]!
    const page = await (await spec1.request(`/secure/threads/${id}`)).text()
    const link = /href="(\/secure\/threads\/[^"]+\/files\/[^"]+)"/.exec(page)?.[1]
    expect(link).toBeDefined()
    const file = await spec1.request(link!.replace(/&amp;/g, "&"))
    expect(file.status).toBe(200)
    expect((await file.arrayBuffer()).byteLength).toBe(3 * 1024 * 1024)
  })

  it("a 50 MB upload without a token is refused without being read: only its first part is pulled, nothing stored", async () => {
    const blobsBefore = await storedBlobs()
    const fifty = 50 * 1024 * 1024
    const attempts: ReadonlyArray<readonly [string, Browser, string, ReadonlyArray<readonly [string, string]>]> = [
      ["staff, no token (the file first)", spec1, "/secure/new", []],
      ["staff, a wrong token first", spec1, "/secure/new", [["_csrf", "x".repeat(43)]]],
      ["staff, another field first", spec1, "/secure/new", [["do", "send"], ["_csrf", spec1.csrfToken]]],
      ["staff reply, no token", spec1, `/secure/threads/${threadId}/reply`, [["do", "send"]]],
      ["portal, no token", casey, "/portal/messages/new", [["do", "send"]]]
    ]
    for (const [what, browser, path, lead] of attempts) {
      const upload = streamedUpload(lead, fifty)
      const response = await postStream(browser, path, upload.body)
      expect(response.status, what).toBe(403)
      expect(await response.text(), what).toContain("Reload the page")
      expect(upload.pulled(), what).toBeLessThan(maxCsrfLeadBytes + 128 * 1024)
    }
    // Signed out: off to sign in, the body never read.
    const signedOut = streamedUpload([], fifty)
    const response = await postStream(undefined, "/secure/new", signedOut.body)
    expect(response.status).toBe(303)
    expect(signedOut.pulled()).toBeLessThan(128 * 1024)
    // A route that takes no upload reads at most 64 KB of a multipart body, even with the token.
    const elsewhere = streamedUpload([["_csrf", spec1.csrfToken]], fifty)
    const refused = await postStream(spec1, "/clients", elsewhere.body, { "x-csrf-token": spec1.csrfToken })
    expect(refused.status).toBe(413)
    expect(elsewhere.pulled()).toBeLessThan(256 * 1024)
    expect(await storedBlobs()).toEqual(blobsBefore)
  }, 60_000)

  it("with the token first, an upload past the largest attachment is refused while it streams (never held whole)", async () => {
    const blobsBefore = await storedBlobs()
    const upload = streamedUpload([["_csrf", spec1.csrfToken], ["do", "send"], ["to", `staff:${world.staff.coordinator.id}`], ["subject", "Too big"], ["body", "Please see the attached file."]], 50 * 1024 * 1024)
    const response = await postStream(spec1, "/secure/new", upload.body)
    expect(response.status).toBe(413)
    expect(await response.text()).toContain("10 MB")
    expect(await storedBlobs()).toEqual(blobsBefore)
  }, 60_000)
})
