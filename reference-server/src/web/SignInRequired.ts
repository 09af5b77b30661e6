import { Effect } from "effect"
import { createMiddleware } from "hono/factory"
import { ServerConfig } from "../Config.js"
import { runEffect } from "../http/Respond.js"
import type { ServerRuntime } from "../Runtime.js"
import { passesCsrf } from "./Csrf.js"
import { clearSessionCookie, readSessionCookie } from "./SessionCookie.js"
import { sessionFor } from "./Sessions.js"
import type { WebEnv } from "./WebEnv.js"

const signInUrl = (next: string, why: string) => `/sign-in?${new URLSearchParams({ next, ...(why === "none" ? {} : { why }) })}`

/**
 * Staff pages: a live session (idle < 30 min, age < 12 h, staff member active) or off to the sign-in
 * page (htmx requests are told to go there with `HX-Redirect`); then, for anything that changes
 * state, the session's CSRF token. Every answer is `no-store`: these pages hold client data.
 */
export const signInRequired = (runtime: ServerRuntime) =>
  createMiddleware<WebEnv>(async (c, next) => {
    const outcome = await runEffect(runtime, Effect.gen(function* () {
      const config = yield* ServerConfig
      const sessionId = readSessionCookie(c, config)
      return { config, session: sessionId === undefined ? ({ _tag: "None", why: "none" } as const) : yield* sessionFor(sessionId) }
    }))
    if (!outcome.ok) return outcome.response
    const { config, session } = outcome.value
    if (session._tag === "None") {
      clearSessionCookie(c, config)
      const target = signInUrl(c.req.method === "GET" ? c.req.path + new URL(c.req.url).search : "/messages", session.why)
      if (c.req.header("hx-request") !== undefined) return c.body(null, 401, { "hx-redirect": target })
      return c.redirect(target, 303)
    }
    if (!(await passesCsrf(c, session.signedIn.csrfToken))) {
      return c.text("This form has expired or came from another site. Reload the page and try again.", 403)
    }
    c.set("signedIn", session.signedIn)
    c.set("config", config)
    await next()
    c.res.headers.set("cache-control", "no-store")
  })
