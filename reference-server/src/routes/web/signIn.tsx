import type { StorageError } from "@careline/core"
import { Effect, Schema } from "effect"
import { Hono } from "hono"
import { getConnInfo } from "@hono/node-server/conninfo"
import { ServerConfig } from "../../Config.js"
import { runEffect } from "../../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../../Runtime.js"
import { fromOurSite } from "../../web/Csrf.js"
import { Document } from "../../web/Layout.js"
import { type SessionKind, writeSessionCookie } from "../../web/SessionCookie.js"
import { signIn, type SignInRefused } from "../../web/Sessions.js"
import { SignInThrottle } from "../../web/Throttle.js"

const notices: Record<string, string> = {
  idle: "You were signed out after 30 minutes without activity.",
  expired: "Your session reached its 12-hour limit. Please sign in again.",
  "signed-out": "You are signed out."
}

/** Only a path on this site under `area` (`//evil.example` and `https://…` would send a person elsewhere after sign-in). */
const safeNext = (next: string | undefined, area: SignInArea) =>
  next !== undefined && /^\/(?![/\\])/.test(next) && (area.within === undefined || next === area.within || next.startsWith(`${area.within}/`)) ? next : area.home

/** One place people sign in with an email and password: staff at `/sign-in`, clients at `/portal/sign-in`. */
export interface SignInArea {
  readonly path: string
  readonly kind: SessionKind
  /** Where to go after signing in when no (safe) page was asked for. */
  readonly home: string
  /** Only pages under this path may be returned to (the portal sends clients nowhere else). */
  readonly within?: string
  readonly heading: string
  readonly title: string
  /** Email + password (+ address, for throttling) → a new session id, or why not. */
  readonly signIn: (throttle: SignInThrottle, email: string, password: string, address: string) => Effect.Effect<{ readonly sessionId: string }, SignInRefused | StorageError, ServerServices>
}

/** The sign-in page of an area (also used by the portal's invitation page for its look). */
export const SignInPage = (props: { readonly area: SignInArea; readonly next: string; readonly email?: string; readonly notice?: string; readonly error?: string }) => (
  <Document title={props.area.title}>
    <main id="main" class="sign-in">
      <h1>{props.area.heading}</h1>
      <form method="post" action={props.area.path} class="card">
        <h2>Sign in</h2>
        {props.notice === undefined ? null : <p class="notice" role="status">{props.notice}</p>}
        {props.error === undefined ? null : <p class="error" role="alert">{props.error}</p>}
        <input type="hidden" name="next" value={props.next} />
        <label>Email<input type="email" name="email" autocomplete="username" required value={props.email ?? ""} autofocus /></label>
        <label>Password<input type="password" name="password" autocomplete="current-password" required /></label>
        <button type="submit" class="primary">Sign in</button>
      </form>
    </main>
  </Document>
)

const SignInForm = Schema.Struct({
  email: Schema.String.check(Schema.isMinLength(3), Schema.isMaxLength(254)),
  password: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(256)),
  next: Schema.optional(Schema.String)
})
const decodeForm = Schema.decodeUnknownOption(SignInForm)

/** The client's address for throttling: the socket's peer (forwarding headers can be forged). */
export const addressOf = (c: Parameters<typeof getConnInfo>[0]) => {
  try {
    return getConnInfo(c).remote.address ?? "unknown"
  } catch {
    return "unknown"
  }
}

/**
 * `GET` and `POST` on the area's sign-in path: email and password → a new session (a new id at every
 * sign-in, so a planted cookie is useless), then back to the page the person came for. Throttled per
 * email and per address (each area its own count); cross-site posts are refused (see `fromOurSite`).
 */
export const passwordSignInRoutes = (runtime: ServerRuntime, area: SignInArea) => {
  const throttle = new SignInThrottle()
  return new Hono()
    .get(area.path, (c) => {
      c.header("cache-control", "no-store")
      const why = c.req.query("why")
      return c.html(<SignInPage area={area} next={safeNext(c.req.query("next"), area)} {...(why !== undefined && notices[why] !== undefined ? { notice: notices[why] } : {})} />)
    })
    .post(area.path, async (c) => {
      c.header("cache-control", "no-store")
      const config = await runtime.runPromise(ServerConfig.use(Effect.succeed))
      if (!fromOurSite(c, config.publicBaseUrl)) return c.text("Sign in from Careline's own sign-in page.", 403)
      const form = decodeForm(await c.req.parseBody())
      if (form._tag === "None") {
        return c.html(<SignInPage area={area} next={area.home} error="Enter your email and password." />, 400)
      }
      const { email, password } = form.value
      const next = safeNext(form.value.next, area)
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        return yield* area.signIn(throttle, email, password, addressOf(c)).pipe(
          Effect.map((started) => ({ _tag: "Started", sessionId: started.sessionId }) as const),
          Effect.catchTag("SignInRefused", (refused) => Effect.succeed({ _tag: "Refused", refused } as const))
        )
      }))
      if (!outcome.ok) return outcome.response
      const result = outcome.value
      if (result._tag === "Refused") {
        const refused = result.refused
        return c.html(<SignInPage area={area} next={next} email={email} error={refused.message} />, refused.reason === "throttled" ? 429 : 401)
      }
      writeSessionCookie(c, config, result.sessionId, area.kind)
      return c.redirect(next, 303)
    })
}

/** `GET /sign-in` and `POST /sign-in`: staff. */
export const signInRoutes = (runtime: ServerRuntime) =>
  passwordSignInRoutes(runtime, { path: "/sign-in", kind: "staff", home: "/messages", heading: "Careline", title: "Sign in", signIn })
