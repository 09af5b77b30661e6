import { timingSafeEqual } from "node:crypto"
import busboy from "busboy"
import type { Context } from "hono"

/** Methods that change something and so must prove they come from our own pages. */
const unsafe = new Set(["POST", "PUT", "PATCH", "DELETE"])

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** `Sec-Fetch-Site` when the browser sends it: only our own pages (or the person typing the URL) may post. */
const crossSite = (c: Context) => {
  const site = c.req.header("sec-fetch-site")
  return site !== undefined && site !== "same-origin" && site !== "none"
}

/**
 * Whether a request without a session (the sign-in form) comes from our own pages: by `Sec-Fetch-Site`,
 * else by `Origin`, which must be this server's as the browser sees it (`PUBLIC_BASE_URL` behind a
 * proxy). Browsers send one or the other with every post; a request with neither is refused.
 */
export const fromOurSite = (c: Context, publicBaseUrl: string | undefined): boolean => {
  if (!unsafe.has(c.req.method)) return true
  if (c.req.header("sec-fetch-site") !== undefined) return !crossSite(c)
  const origin = c.req.header("origin")
  return origin !== undefined && (origin === new URL(c.req.url).origin || (publicBaseUrl !== undefined && origin === new URL(publicBaseUrl).origin))
}

/** How much of a multipart body is read, at most, to find its leading `_csrf` field. */
export const maxCsrfLeadBytes = 16 * 1024

/**
 * A multipart form's token: its FIRST part must be the `_csrf` field (our upload forms put it first).
 * Reads only until that part has ended — a file first, another field first, no token within
 * {@link maxCsrfLeadBytes} or a malformed body is a refusal at once, so a large upload without a
 * token is never read, let alone held. When it passes, the bytes read are put back in front of the
 * rest of the stream, so the route's streaming parser (`readUpload`) reads the body whole.
 */
const leadingCsrfField = async (c: Context, type: string, expected: string): Promise<boolean> => {
  const body = c.req.raw.body
  if (body === null || c.req.raw.bodyUsed) return false
  let parser: busboy.Busboy
  try {
    parser = busboy({ headers: { "content-type": type }, limits: { fieldSize: 1024, fields: 1, files: 1, parts: 2 } })
  } catch {
    return false
  }
  let verdict: boolean | undefined
  parser.on("field", (name, value, info) => {
    verdict ??= name === "_csrf" && !info.valueTruncated && same(value, expected)
  })
  parser.on("file", (_name, stream) => {
    verdict ??= false
    // Never read: the parser is dropped below, which ends this stream with an error nobody needs.
    stream.on("error", () => undefined)
    stream.resume()
  })
  parser.on("error", () => {
    verdict ??= false
  })
  const reader = body.getReader()
  const lead: Array<Uint8Array> = []
  let size = 0
  try {
    while (verdict === undefined) {
      const chunk = await reader.read()
      if (chunk.done) {
        verdict = false
        break
      }
      lead.push(chunk.value)
      size += chunk.value.length
      await new Promise<void>((done) => parser.write(chunk.value, () => done()))
      if (verdict === undefined && size > maxCsrfLeadBytes) verdict = false
    }
  } catch {
    verdict = false
  }
  // Done with the parser: what it would still say (a body cut short, by us) is not an answer.
  parser.removeAllListeners("field")
  parser.destroy()
  if (!verdict) {
    await reader.cancel().catch(() => undefined)
    return false
  }
  let pending = lead
  const rest = new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      if (pending.length > 0) {
        for (const chunk of pending) controller.enqueue(chunk)
        pending = []
        return
      }
      const next = await reader.read()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    cancel: (reason) => reader.cancel(reason)
  })
  const raw = c.req.raw
  c.req.raw = new Request(raw.url, { method: raw.method, headers: raw.headers, body: rest, signal: raw.signal, duplex: "half" } as RequestInit)
  return true
}

/**
 * Whether a signed-in request may change things: safe methods always; others only with the
 * session's token, as the `x-csrf-token` header (htmx sends it from the page's `hx-headers`) or the
 * `_csrf` form field (plain forms; in a multipart form the first part, read without buffering the
 * rest), and never from another site.
 */
export const passesCsrf = async (c: Context, expected: string): Promise<boolean> => {
  if (!unsafe.has(c.req.method)) return true
  if (crossSite(c)) return false
  const header = c.req.header("x-csrf-token")
  if (header !== undefined) return same(header, expected)
  const type = c.req.header("content-type") ?? ""
  if (/^multipart\/form-data\s*;/i.test(type)) return leadingCsrfField(c, type, expected)
  if (!type.startsWith("application/x-www-form-urlencoded")) return false
  const field = (await c.req.parseBody())["_csrf"]
  return typeof field === "string" && same(field, expected)
}
