import type { Context } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import type { Config } from "../Config.js"

/** Behind HTTPS the cookie is `Secure` and `__Host-` bound to this host; on plain localhost (the demo) it cannot be. */
const secureFor = (config: Config) => config.publicBaseUrl?.startsWith("https://") === true

const nameFor = (config: Config) => (secureFor(config) ? "__Host-careline-session" : "careline-session")

export const readSessionCookie = (c: Context, config: Config): string | undefined => getCookie(c, nameFor(config))

/** `HttpOnly` (no script reads it), `SameSite=Lax` (cross-site posts carry no session), no `Max-Age` (the server ends it). */
export const writeSessionCookie = (c: Context, config: Config, sessionId: string) =>
  setCookie(c, nameFor(config), sessionId, { httpOnly: true, sameSite: "Lax", secure: secureFor(config), path: "/" })

export const clearSessionCookie = (c: Context, config: Config) =>
  deleteCookie(c, nameFor(config), { path: "/", secure: secureFor(config) })
