import { createHash } from "node:crypto"
import { MemoryBlobStore, SequentialIds } from "@careline/adapter-memory"
import { BlobId, BlobStore, type Ids, MAX_ATTACHMENT_BYTES, type StoredFile } from "@careline/core"
import { Effect, Layer, Logger, ManagedRuntime, Option } from "effect"
import { Hono } from "hono"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { contentDisposition, readUpload, serveStoredFile } from "./Uploads.js"

const logged: Array<string> = []
const captureLogs = Logger.layer([Logger.make(({ message }) => logged.push(JSON.stringify(message)))])

let runtime: ManagedRuntime.ManagedRuntime<BlobStore | Ids, never>
beforeEach(() => {
  logged.length = 0
  runtime = ManagedRuntime.make(Layer.mergeAll(MemoryBlobStore.layer, SequentialIds.layer, captureLogs))
})
afterEach(() => runtime.dispose())

const app = () =>
  new Hono()
    .post("/upload", async (c) => {
      const answer = await runtime.runPromise(Effect.result(readUpload(c)))
      return answer._tag === "Success" ? c.json(answer.success) : c.json(answer.failure, 400)
    })
    .post("/parsed-first", async (c) => {
      await c.req.parseBody()
      const answer = await runtime.runPromise(Effect.result(readUpload(c)))
      return answer._tag === "Success" ? c.json(answer.success) : c.json(answer.failure, 400)
    })

const PDF = new TextEncoder().encode("%PDF-1.7\nhello\n")
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13)
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

const post = (form: FormData, path = "/upload") => app().request(path, { method: "POST", body: form })
const blobOf = (bytes: Uint8Array) => new Blob([Buffer.from(bytes)])

/** A PDF of exactly `size` bytes. */
const pdfOfSize = (size: number) => {
  const bytes = new Uint8Array(size).fill(0x20)
  bytes.set(PDF.subarray(0, 5))
  return bytes
}

const stored = (id: string) => runtime.runPromise(BlobStore.use((store) => store.get(BlobId.make(id))))

describe("readUpload", () => {
  it("gives the text fields and stores each file under a new id with its SHA-256, type from its name and size", async () => {
    const form = new FormData()
    form.append("subject", "Lab results")
    form.append("to", "staff_1")
    form.append("to", "client_2")
    form.append("files", blobOf(PDF), "results.pdf")
    form.append("files", blobOf(PNG), "scan.PNG")
    const answer = await post(form)
    expect(answer.status).toBe(200)
    const upload = (await answer.json()) as { fields: Record<string, unknown>; files: Array<StoredFile> }
    expect(upload.fields).toEqual({ subject: "Lab results", to: ["staff_1", "client_2"] })
    expect(upload.files.map(({ name, contentType, size, sha256 }) => ({ name, contentType, size, sha256 }))).toEqual([
      { name: "results.pdf", contentType: "application/pdf", size: PDF.length, sha256: sha(PDF) },
      { name: "scan.PNG", contentType: "image/png", size: PNG.length, sha256: sha(PNG) }
    ])
    expect(new Set(upload.files.map((file) => file.blobId)).size).toBe(2)
    expect(Option.getOrThrow(await stored(upload.files[0]!.blobId))).toEqual(PDF)
    expect(Option.getOrThrow(await stored(upload.files[1]!.blobId))).toEqual(PNG)
  })

  it("accepts a file of exactly 10 MB", async () => {
    const form = new FormData()
    form.append("file", blobOf(pdfOfSize(MAX_ATTACHMENT_BYTES)), "big.pdf")
    const answer = await post(form)
    expect(answer.status).toBe(200)
    const upload = (await answer.json()) as { files: Array<StoredFile> }
    expect(upload.files[0]!.size).toBe(MAX_ATTACHMENT_BYTES)
    expect(Option.getOrThrow(await stored(upload.files[0]!.blobId)).length).toBe(MAX_ATTACHMENT_BYTES)
  })

  it("refuses a file of 10 MB + 1 byte while streaming, and stores nothing of the request (not even its other files)", async () => {
    const form = new FormData()
    form.append("first", blobOf(PDF), "fine.pdf")
    form.append("file", blobOf(pdfOfSize(MAX_ATTACHMENT_BYTES + 1)), "big.pdf")
    const answer = await post(form)
    expect(answer.status).toBe(400)
    expect(await answer.json()).toMatchObject({ _tag: "UploadRefused", reason: "TooLarge", message: "A file is larger than 10 MB: each attachment may be at most 10 MB." })
    // SequentialIds would have named the first blob blob_000001: nothing was stored.
    expect(Option.isNone(await stored("blob_000001"))).toBe(true)
  })

  it("refuses a streamed body far over the limit without reading it all", async () => {
    const boundary = "----careline"
    let sent = 0
    const chunk = new Uint8Array(1024 * 1024).fill(0x41)
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`--${boundary}\r\ncontent-disposition: form-data; name="f"; filename="a.txt"\r\ncontent-type: text/plain\r\n\r\n`))
      },
      pull(controller) {
        sent += chunk.length
        if (sent > 1024 * 1024 * 1024) controller.close()
        else controller.enqueue(chunk)
      }
    })
    const answer = await app().request("/upload", { method: "POST", body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, duplex: "half" } as RequestInit)
    expect(answer.status).toBe(400)
    expect(((await answer.json()) as { reason: string }).reason).toBe("TooLarge")
    expect(sent).toBeLessThan(200 * 1024 * 1024)
  })

  it("checks a file's first bytes against its name: a script named .pdf and an .exe are refused", async () => {
    const fake = new FormData()
    fake.append("file", new Blob(["<script>alert(1)</script>"]), "invoice.pdf")
    const mismatch = await post(fake)
    expect(mismatch.status).toBe(400)
    expect(await mismatch.json()).toMatchObject({ reason: "TypeMismatch", message: "A file named .pdf is not a PDF: its contents do not match its name." })

    const exe = new FormData()
    exe.append("file", new Blob(["MZ\x90\x00"]), "setup.exe")
    const notAllowed = (await (await post(exe)).json()) as { reason: string; message: string }
    expect(notAllowed.reason).toBe("TypeNotAllowed")
    expect(notAllowed.message).toContain(".exe files cannot be attached. Allowed: .pdf, .png")

    const jpeg = new FormData()
    jpeg.append("file", blobOf(PNG), "photo.jpg")
    expect(((await (await post(jpeg)).json()) as { reason: string }).reason).toBe("TypeMismatch")
  })

  it("accepts text files only as UTF-8 without control characters, and Office files as zips", async () => {
    const text = new FormData()
    text.append("file", new Blob(["Café notes\n\tline two\r\n"]), "notes.txt")
    text.append("file", new Blob([Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])]), "plan.docx")
    const upload = (await (await post(text)).json()) as { files: Array<StoredFile> }
    expect(upload.files.map((file) => file.contentType)).toEqual([
      "text/plain; charset=utf-8",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ])
    const binary = new FormData()
    binary.append("file", new Blob([Buffer.from([0x41, 0x00, 0x42])]), "notes.txt")
    expect(((await (await post(binary)).json()) as { reason: string }).reason).toBe("TypeMismatch")
  })

  it("an empty file input is no file; an empty named file is refused", async () => {
    const none = new FormData()
    none.append("body", "Hello there")
    none.append("files", new Blob([]), "")
    const answer = await post(none)
    expect(await answer.json()).toEqual({ fields: { body: "Hello there" }, files: [] })

    const empty = new FormData()
    empty.append("files", new Blob([]), "empty.pdf")
    expect(((await (await post(empty)).json()) as { reason: string }).reason).toBe("Empty")
  })

  it("keeps only the last path segment of a name and drops control and bidirectional characters", async () => {
    const form = new FormData()
    form.append("file", blobOf(PDF), "C:\\Users\\x\\re\u202Eport\u200B.pdf")
    const upload = (await (await post(form)).json()) as { files: Array<StoredFile> }
    expect(upload).toMatchObject({ files: [{ name: "report.pdf" }] })
    const accented = new FormData()
    accented.append("file", blobOf(PDF), "Résumé 日本.pdf")
    expect(await (await post(accented)).json()).toMatchObject({ files: [{ name: "Résumé 日本.pdf" }] })
  })

  it("refuses more than 10 files at once", async () => {
    const form = new FormData()
    for (let i = 0; i < 11; i++) form.append("files", blobOf(PDF), `f${i}.pdf`)
    expect(await (await post(form)).json()).toMatchObject({ reason: "TooManyFiles", message: "At most 10 files can be attached at once." })
  })

  it("refuses a body that is not multipart, and a multipart body cut short", async () => {
    const urlencoded = await app().request("/upload", { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } })
    expect(((await urlencoded.json()) as { reason: string }).reason).toBe("NotMultipart")
    const cut = await app().request("/upload", {
      method: "POST",
      body: "--b\r\ncontent-disposition: form-data; name=\"f\"; filename=\"a.pdf\"\r\n\r\n%PDF-1",
      headers: { "content-type": "multipart/form-data; boundary=b" }
    })
    expect(((await cut.json()) as { reason: string }).reason).toBe("Malformed")
  })

  it("refuses a body that was read before it could be streamed, storing nothing", async () => {
    const form = new FormData()
    form.append("_csrf", "token")
    form.append("file", blobOf(PDF), "results.pdf")
    const answer = await post(form, "/parsed-first")
    expect(answer.status).toBe(400)
    expect(((await answer.json()) as { reason: string }).reason).toBe("Malformed")
    expect(Option.isNone(await stored("blob_000001"))).toBe(true)
  })
})

describe("serveStoredFile", () => {
  const serve = (file: StoredFile) =>
    new Hono().get("/file", (c) => runtime.runPromise(serveStoredFile(c, file))).request("/file")
  const file = (bytes: Uint8Array, overrides: Partial<StoredFile> = {}): StoredFile => ({
    blobId: BlobId.make("blob_served1"),
    name: "results.pdf",
    contentType: "application/pdf",
    size: bytes.length,
    sha256: sha(bytes),
    ...overrides
  })
  const put = (bytes: Uint8Array) => runtime.runPromise(BlobStore.use((store) => store.put(BlobId.make("blob_served1"), bytes)))

  it("serves the bytes as a download, never sniffed nor cached", async () => {
    await put(PDF)
    const answer = await serve(file(PDF, { name: "Résumé \"final\"; x.pdf" }))
    expect(answer.status).toBe(200)
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(PDF)
    expect(answer.headers.get("content-type")).toBe("application/pdf")
    expect(answer.headers.get("content-disposition")).toBe(
      "attachment; filename=\"R_sum_ _final__ x.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%3B%20x.pdf"
    )
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff")
    expect(answer.headers.get("cache-control")).toBe("no-store")
  })

  it("serves an unknown stored content type as octet-stream", async () => {
    await put(PDF)
    const answer = await serve(file(PDF, { contentType: "text/html" }))
    expect(answer.headers.get("content-type")).toBe("application/octet-stream")
  })

  it("refuses a copy whose SHA-256 does not match, with a clear page (not a 500), and logs the blob id only", async () => {
    await put(new TextEncoder().encode("%PDF-tampered"))
    const answer = await serve(file(PDF))
    expect(answer.status).toBe(410)
    expect(answer.headers.get("cache-control")).toBe("no-store")
    expect(await answer.text()).toContain("This file is damaged on the server and cannot be opened.")
    expect(logged.join("\n")).toContain("blob_served1")
    expect(logged.join("\n")).not.toContain("results.pdf")
  })

  it("answers 404 with a message when the bytes are gone", async () => {
    const answer = await serve(file(PDF))
    expect(answer.status).toBe(404)
    expect(await answer.text()).toContain("This file is no longer stored.")
  })

  it("builds filename* for any name without letting quotes or separators through", () => {
    expect(contentDisposition("a\"b;c\\d.pdf")).toBe("attachment; filename=\"a_b_c_d.pdf\"; filename*=UTF-8''a%22b%3Bc%5Cd.pdf")
    expect(contentDisposition("日本.pdf")).toBe("attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf")
  })
})
