import { timingSafeEqual } from "node:crypto"
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

/**
 * Whether a signed-in request may change things: safe methods always; others only with the
 * session's token, as the `x-csrf-token` header (htmx sends it from the page's `hx-headers`) or the
 * `_csrf` form field (plain forms), and never from another site.
 */
export const passesCsrf = async (c: Context, expected: string): Promise<boolean> => {
  if (!unsafe.has(c.req.method)) return true
  if (crossSite(c)) return false
  const header = c.req.header("x-csrf-token")
  if (header !== undefined) return same(header, expected)
  const type = c.req.header("content-type") ?? ""
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return false
  const field = (await c.req.parseBody())["_csrf"]
  return typeof field === "string" && same(field, expected)
}
