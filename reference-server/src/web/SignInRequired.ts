import { Effect } from "effect"
import type { Context, Env } from "hono"
import { createMiddleware } from "hono/factory"
import { type Config, ServerConfig } from "../Config.js"
import { runEffect } from "../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../Runtime.js"
import { passesCsrf } from "./Csrf.js"
import { clearSessionCookie, readSessionCookie, type SessionKind } from "./SessionCookie.js"
import { type NoSession, sessionFor } from "./Sessions.js"
import type { WebEnv } from "./WebEnv.js"

/** How one kind of signed-in area finds its session and where it sends those without one. */
export interface SessionGate<E extends Env, Who> {
  readonly kind: SessionKind
  readonly signInPath: string
  /** Where to return after signing in when the request was not a page view (a post). */
  readonly home: string
  readonly lookup: (sessionId: string) => Effect.Effect<
    { readonly _tag: "None"; readonly why: NoSession } | { readonly _tag: "Live"; readonly signedIn: Who & { readonly csrfToken: string } },
    unknown,
    ServerServices
  >
  readonly admit: (c: Context<E>, signedIn: Who, config: Config) => void
}

/**
 * A signed-in area: a live session of its kind (idle < 30 min, age < 12 h, its owner still allowed)
 * or off to its sign-in page (htmx requests are told to go there with `HX-Redirect`); then, for
 * anything that changes state, the session's CSRF token. Every answer is `no-store`: these pages
 * hold client data.
 */
export const sessionRequired = <E extends Env, Who>(runtime: ServerRuntime, gate: SessionGate<E, Who>) =>
  createMiddleware<E>(async (c, next) => {
    const outcome = await runEffect(runtime, Effect.gen(function* () {
      const config = yield* ServerConfig
      const sessionId = readSessionCookie(c, config, gate.kind)
      return { config, session: sessionId === undefined ? ({ _tag: "None", why: "none" } as const) : yield* gate.lookup(sessionId) }
    }))
    if (!outcome.ok) return outcome.response
    const { config, session } = outcome.value
    if (session._tag === "None") {
      clearSessionCookie(c, config, gate.kind)
      const next = c.req.method === "GET" ? c.req.path + new URL(c.req.url).search : gate.home
      const target = `${gate.signInPath}?${new URLSearchParams({ next, ...(session.why === "none" ? {} : { why: session.why }) })}`
      if (c.req.header("hx-request") !== undefined) return c.body(null, 401, { "hx-redirect": target })
      return c.redirect(target, 303)
    }
    if (!(await passesCsrf(c, session.signedIn.csrfToken))) {
      return c.text("This form has expired or came from another site. Reload the page and try again.", 403)
    }
    gate.admit(c, session.signedIn, config)
    await next()
    c.res.headers.set("cache-control", "no-store")
  })

/** Staff pages: a live staff session (the staff member still active), else the staff sign-in page. */
export const signInRequired = (runtime: ServerRuntime) =>
  sessionRequired<WebEnv, WebEnv["Variables"]["signedIn"]>(runtime, {
    kind: "staff",
    signInPath: "/sign-in",
    home: "/messages",
    lookup: sessionFor,
    admit: (c, signedIn, config) => {
      c.set("signedIn", signedIn)
      c.set("config", config)
    }
  })
