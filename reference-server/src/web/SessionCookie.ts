import type { Context } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import type { Config } from "../Config.js"

/** Whose session a cookie carries: staff and clients (the portal) never share one, so neither can stand in for the other. */
export type SessionKind = "staff" | "portal"

/** Behind HTTPS the cookie is `Secure` and `__Host-` bound to this host; on plain localhost (the demo) it cannot be. */
const secureFor = (config: Config) => config.publicBaseUrl?.startsWith("https://") === true

const baseNames: Record<SessionKind, string> = { staff: "careline-session", portal: "careline-portal" }

const nameFor = (config: Config, kind: SessionKind) => (secureFor(config) ? `__Host-${baseNames[kind]}` : baseNames[kind])

export const readSessionCookie = (c: Context, config: Config, kind: SessionKind = "staff"): string | undefined => getCookie(c, nameFor(config, kind))

/** `HttpOnly` (no script reads it), `SameSite=Lax` (cross-site posts carry no session), no `Max-Age` (the server ends it). */
export const writeSessionCookie = (c: Context, config: Config, sessionId: string, kind: SessionKind = "staff") =>
  setCookie(c, nameFor(config, kind), sessionId, { httpOnly: true, sameSite: "Lax", secure: secureFor(config), path: "/" })

export const clearSessionCookie = (c: Context, config: Config, kind: SessionKind = "staff") =>
  deleteCookie(c, nameFor(config, kind), { path: "/", secure: secureFor(config) })
