import { createHash } from "node:crypto"
import { Readable } from "node:stream"
import type { ReadableStream as NodeReadableStream } from "node:stream/web"
import { BlobId, BlobStore, Ids, MAX_ATTACHMENT_BYTES, type StorageError, type StoredFile } from "@careline/core"
import busboy from "busboy"
import { Effect, Option, Schema } from "effect"
import type { Context } from "hono"
import { acceptedExtensions, checkFileType, cleanFileName, knownContentTypes } from "./FileTypes.js"

/** Why an upload was refused; `message` is written for the person who sent it (it never repeats a file's name). */
export class UploadRefused extends Schema.TaggedError<UploadRefused>()("UploadRefused", {
  reason: Schema.Literals(["NotMultipart", "Malformed", "TooLarge", "TooManyFiles", "TypeNotAllowed", "TypeMismatch", "Empty"]),
  message: Schema.String
}) {}

/** A form's text fields (a repeated field is an array, as Hono's `parseBody({ all: true })` gives) and its stored files. */
export interface Upload {
  readonly fields: Readonly<Record<string, string | ReadonlyArray<string>>>
  readonly files: ReadonlyArray<StoredFile>
}

export interface UploadOptions {
  /** At most this many files in one request (10 unless set). */
  readonly maxFiles?: number
}

const megabytes = MAX_ATTACHMENT_BYTES / (1024 * 1024)
const maxFieldBytes = 100_000
const maxRequestBytes = (maxFiles: number) => maxFiles * (MAX_ATTACHMENT_BYTES + 1) + 2 * 1024 * 1024

const refusal = {
  tooLarge: () => new UploadRefused({ reason: "TooLarge", message: `A file is larger than ${megabytes} MB: each attachment may be at most ${megabytes} MB.` }),
  tooMany: (max: number) => new UploadRefused({ reason: "TooManyFiles", message: `At most ${max} files can be attached at once.` }),
  empty: () => new UploadRefused({ reason: "Empty", message: "A file is empty: choose a file with something in it." }),
  notAllowed: (extension: string) =>
    new UploadRefused({
      reason: "TypeNotAllowed",
      message: `${extension === "" ? "Files without an extension" : `.${extension} files`} cannot be attached. Allowed: ${acceptedExtensions.join(", ")}.`
    }),
  mismatch: (extension: string, label: string) =>
    new UploadRefused({ reason: "TypeMismatch", message: `A file named .${extension} is not a ${label}: its contents do not match its name.` }),
  malformed: (why: string) => new UploadRefused({ reason: "Malformed", message: `The form could not be read: ${why}. Reload the page and try again.` }),
  notMultipart: () => new UploadRefused({ reason: "NotMultipart", message: "The form was not sent as a file upload. Reload the page and try again." })
}

/** One file as received, before it is checked and stored. */
interface Received {
  readonly name: string
  readonly bytes: Uint8Array
  readonly sha256: string
}

type Parsed = { readonly fields: Record<string, string | Array<string>>; readonly received: ReadonlyArray<Received> }

const addField = (fields: Record<string, string | Array<string>>, name: string, value: string) => {
  const existing = Object.hasOwn(fields, name) ? fields[name] : undefined
  if (existing === undefined) fields[name] = value
  else if (Array.isArray(existing)) existing.push(value)
  else fields[name] = [existing, value]
}

/**
 * Streams the body through busboy: a file's bytes are hashed as they arrive and dropped past
 * `MAX_ATTACHMENT_BYTES` (busboy stops at the limit, so 10 MB + 1 byte is refused without holding more).
 * After a refusal the rest of the body is read and discarded, so the browser gets the answer.
 */
const streamParts = (body: ReadableStream<Uint8Array>, headers: Record<string, string>, maxFiles: number) =>
  Effect.callback<Parsed, UploadRefused>((resume) => {
    const fields: Record<string, string | Array<string>> = {}
    const received: Array<Received> = []
    let refused: UploadRefused | undefined
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers,
        // Browsers send a file's name as raw UTF-8 in the part's header.
        defParamCharset: "utf8",
        limits: { fileSize: MAX_ATTACHMENT_BYTES + 1, files: maxFiles, fields: 200, fieldSize: maxFieldBytes, parts: maxFiles + 200 }
      })
    } catch {
      resume(Effect.fail(refusal.notMultipart()))
      return
    }
    const refuse = (error: UploadRefused) => {
      refused ??= error
    }
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) refuse(refusal.malformed(`a field is longer than ${maxFieldBytes} characters`))
      else if (!refused) addField(fields, name, value)
    })
    parser.on("file", (_field, stream, info) => {
      const chunks: Array<Buffer> = []
      const hash = createHash("sha256")
      let size = 0
      stream.on("data", (chunk: Buffer) => {
        if (refused) return
        size += chunk.length
        hash.update(chunk)
        chunks.push(chunk)
      })
      // A body cut short ends the file stream with an error; the parser's own error settles the answer.
      stream.on("error", () => refuse(refusal.malformed("it was cut short")))
      stream.on("limit", () => {
        refuse(refusal.tooLarge())
        chunks.length = 0
      })
      stream.on("end", () => {
        if (refused) return
        const name = cleanFileName(info.filename ?? "")
        // A file input left empty is sent as a part with no name and no bytes: nothing was attached.
        if (name === "" && size === 0) return
        if (name === "") return refuse(refusal.malformed("a file has no name"))
        received.push({ name, bytes: Buffer.concat(chunks, size), sha256: hash.digest("hex") })
      })
    })
    parser.on("filesLimit", () => refuse(refusal.tooMany(maxFiles)))
    parser.on("partsLimit", () => refuse(refusal.malformed("it has too many parts")))
    parser.on("fieldsLimit", () => refuse(refusal.malformed("it has too many fields")))
    let settled = false
    const settle = (effect: Effect.Effect<Parsed, UploadRefused>) => {
      if (settled) return
      settled = true
      resume(effect)
    }
    parser.on("error", () => settle(Effect.fail(refused ?? refusal.malformed("it was cut short or is not a valid upload"))))
    parser.on("close", () => settle(refused ? Effect.fail(refused) : Effect.succeed({ fields, received })))
    const source = Readable.fromWeb(body as unknown as NodeReadableStream<Uint8Array>)
    source.on("error", () => settle(Effect.fail(refused ?? refusal.malformed("it was cut short"))))
    // The rest of a refused body is discarded only up to what a valid upload could hold, then the request is cut.
    let total = 0
    source.on("data", (chunk: Buffer) => {
      total += chunk.length
      if (refused && total > maxRequestBytes(maxFiles)) {
        source.destroy()
        settle(Effect.fail(refused))
      }
    })
    source.pipe(parser)
    return Effect.sync(() => source.destroy())
  })

/** Checks each file's bytes against its name, then stores them under new server-generated ids. */
const checkAndStore = (received: ReadonlyArray<Received>) =>
  Effect.gen(function* () {
    for (const file of received) {
      if (file.bytes.length === 0) return yield* refusal.empty()
      const type = checkFileType(file.name, file.bytes)
      if (type._tag === "NotAllowed") return yield* refusal.notAllowed(type.extension)
      if (type._tag === "Mismatch") return yield* refusal.mismatch(type.extension, type.label)
    }
    const blobs = yield* BlobStore
    const ids = yield* Ids
    const stored: Array<StoredFile> = []
    const store = Effect.forEach(received, (file) =>
      Effect.gen(function* () {
        const blobId = BlobId.make(yield* ids.next("blob"))
        yield* blobs.put(blobId, file.bytes)
        const contentType = checkFileType(file.name, file.bytes)
        stored.push({
          blobId,
          name: file.name,
          contentType: contentType._tag === "Accepted" ? contentType.contentType : "application/octet-stream",
          size: file.bytes.length,
          sha256: file.sha256
        })
      }), { discard: true })
    // Stored bytes of a request that fails half-way are removed, so nothing is left without an owner.
    yield* Effect.onError(store, () => Effect.ignore(Effect.forEach(stored, (file) => blobs.delete(file.blobId), { discard: true })))
    return stored
  })

/**
 * Reads a `multipart/form-data` request as it streams in: text fields and any number of files (up to
 * `maxFiles`), each at most `MAX_ATTACHMENT_BYTES` (refused while streaming), of an accepted kind whose
 * first bytes match its name's extension, hashed with SHA-256 and stored in the `BlobStore` under a new
 * server-generated `BlobId`. Nothing is stored when anything is refused. An empty file input is no file.
 *
 * @example
 * ```ts
 * const { fields, files } = yield* readUpload(c)   // files: StoredFile[] to attach
 * ```
 */
export const readUpload = (c: Context, options: UploadOptions = {}): Effect.Effect<Upload, UploadRefused | StorageError, BlobStore | Ids> =>
  Effect.gen(function* () {
    const maxFiles = options.maxFiles ?? 10
    const type = c.req.header("content-type") ?? ""
    if (!/^multipart\/form-data\s*;/i.test(type)) return yield* refusal.notMultipart()
    const body = c.req.raw.body
    // Uploads are only ever streamed: a body read before (and so held in memory) is a server mistake.
    if (c.req.raw.bodyUsed || body === null) return yield* refusal.malformed("it was read before it could be streamed")
    const parsed = yield* streamParts(body, { "content-type": type }, maxFiles)
    const files = yield* checkAndStore(parsed.received)
    return { fields: parsed.fields, files }
  })

/** `filename*` (RFC 8187, UTF-8) with a plain-ASCII `filename` for old clients; quotes and separators never pass through. */
export const contentDisposition = (name: string): string => {
  const fallback = name.replace(/[^A-Za-z0-9._ -]/g, "_").slice(0, 200) || "attachment"
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

const problemPage = (text: string, status: 404 | 410 | 503) =>
  new Response(`<!doctype html><meta charset="utf-8"><title>File unavailable</title><p class="error" role="alert">${text}</p>`, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" }
  })

/**
 * Answers with a stored file's bytes, once the caller has checked that the person may see it: the
 * SHA-256 is verified first (a damaged copy is refused with a clear page and logged by blob id, never
 * a 500), always as a download (`Content-Disposition: attachment` with the shown name in `filename*`),
 * never sniffed and never cached.
 *
 * @example
 * ```ts
 * return yield* serveStoredFile(c, attachment)
 * ```
 */
export const serveStoredFile = (_c: Context, file: StoredFile): Effect.Effect<Response, never, BlobStore> =>
  Effect.gen(function* () {
    const blobs = yield* BlobStore
    const found = yield* Effect.result(blobs.get(file.blobId))
    if (found._tag === "Failure") {
      yield* Effect.logError("A stored file could not be read.", { blobId: file.blobId })
      return problemPage("This file could not be read just now. Try again in a moment.", 503)
    }
    if (Option.isNone(found.success)) {
      yield* Effect.logWarning("A stored file's bytes are missing.", { blobId: file.blobId })
      return problemPage("This file is no longer stored.", 404)
    }
    const bytes = found.success.value
    if (createHash("sha256").update(bytes).digest("hex") !== file.sha256 || bytes.length !== file.size) {
      yield* Effect.logError("A stored file does not match its SHA-256: it was not served.", { blobId: file.blobId })
      return problemPage("This file is damaged on the server and cannot be opened. Please tell your administrator.", 410)
    }
    return new Response(bytes, {
      status: 200,
      headers: {
        "content-type": knownContentTypes.has(file.contentType) ? file.contentType : "application/octet-stream",
        "content-length": String(bytes.length),
        "content-disposition": contentDisposition(file.name),
        "x-content-type-options": "nosniff",
        "cache-control": "no-store"
      }
    })
  })
