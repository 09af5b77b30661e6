import { acceptPortalInvitation, invitationFor, type Organisation } from "@careline/core"
import { Clock, Effect, Schema } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { hashToken } from "../../../ApiTokens.js"
import { ServerConfig } from "../../../Config.js"
import { runEffect } from "../../../http/Respond.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { fromOurSite } from "../../../web/Csrf.js"
import { Document } from "../../../web/Layout.js"
import { hashPassword, passwordProblem } from "../../../web/Passwords.js"
import { startPortalSession } from "../../../web/PortalSessions.js"
import { writeSessionCookie } from "../../../web/SessionCookie.js"
import { SignInThrottle } from "../../../web/Throttle.js"
import { addressOf } from "../signIn.js"

/** Tokens are `Ids.secret` (base64url, ≥ 128 bits); anything else is no token of ours. */
const TokenShape = /^[A-Za-z0-9_-]{20,128}$/

const InvitationPage = (props: { readonly token: string; readonly organisation: Organisation; readonly error?: string }) => (
  <Document title="Choose your password">
    <main id="main" class="sign-in">
      <h1>{props.organisation.name}</h1>
      <form method="post" action={`/portal/invite/${props.token}`} class="card">
        <h2>Welcome to the secure portal</h2>
        <p>Choose a password to finish setting up your account. You will sign in with the email address this invitation was sent to.</p>
        {props.error === undefined ? null : <p class="error" role="alert">{props.error}</p>}
        <label>New password<input type="password" name="password" autocomplete="new-password" minlength={12} maxlength={256} required autofocus aria-describedby="password-rule" /></label>
        <p id="password-rule" class="muted small">At least 12 characters.</p>
        <label>Repeat the password<input type="password" name="confirm" autocomplete="new-password" required /></label>
        <button type="submit" class="primary">Set password and sign in</button>
      </form>
    </main>
  </Document>
)

const UnusablePage = (props: { readonly message: string }) => (
  <Document title="Invitation">
    <main id="main" class="sign-in">
      <h1>Secure portal</h1>
      <section class="card stack">
        <h2>This invitation cannot be used</h2>
        <p role="alert">{props.message}</p>
        <p><a href="/portal/sign-in">Sign in to the portal</a></p>
      </section>
    </main>
  </Document>
)

const PasswordForm = Schema.Struct({ password: Schema.String, confirm: Schema.String })
const decodeForm = Schema.decodeUnknownOption(PasswordForm)

/** Unknown tokens answer 404; used, replaced or expired ones 410. */
const unusableStatus = (standing: string) => (standing === "unknown" ? 404 : 410)

/**
 * `GET /portal/invite/:token` shows the organisation and a password form; `POST` sets the password
 * (≥ 12 characters, typed twice), uses the invitation (once), and signs the client in with a new
 * portal session. Cross-site posts are refused; failed attempts are throttled per address.
 */
export const invitationRoutes = (runtime: ServerRuntime) => {
  const throttle = new SignInThrottle()
  const tokenOf = (c: Context) => {
    const token = c.req.param("token") ?? ""
    return TokenShape.test(token) ? token : undefined
  }
  return new Hono()
    .get("/portal/invite/:token", async (c) => {
      c.header("cache-control", "no-store")
      const token = tokenOf(c)
      if (token === undefined) return c.html(<UnusablePage message="This invitation link is not valid. Check that you copied the whole link." />, 404)
      const outcome = await runEffect(runtime, invitationFor(hashToken(token)).pipe(
        Effect.map((found) => ({ ok: true, organisation: found.organisation }) as const),
        Effect.catchTag("InvitationUnusable", (unusable) => Effect.succeed({ ok: false, unusable } as const))
      ))
      if (!outcome.ok) return outcome.response
      if (!outcome.value.ok) return c.html(<UnusablePage message={outcome.value.unusable.message} />, unusableStatus(outcome.value.unusable.standing))
      return c.html(<InvitationPage token={token} organisation={outcome.value.organisation} />)
    })
    .post("/portal/invite/:token", async (c) => {
      c.header("cache-control", "no-store")
      const config = await runtime.runPromise(ServerConfig.use(Effect.succeed))
      if (!fromOurSite(c, config.publicBaseUrl)) return c.text("Set your password from the invitation page itself.", 403)
      const token = tokenOf(c)
      if (token === undefined) return c.html(<UnusablePage message="This invitation link is not valid. Check that you copied the whole link." />, 404)
      const key = `address:${addressOf(c)}`
      const form = decodeForm(await c.req.parseBody())
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const wait = throttle.waitMs([key], now)
        if (wait > 0) return { _tag: "Throttled", minutes: Math.ceil(wait / 60_000) } as const
        const found = yield* Effect.result(invitationFor(hashToken(token)))
        if (found._tag === "Failure") {
          throttle.failed([key], now)
          return yield* Effect.fail(found.failure)
        }
        const organisation = found.success.organisation
        if (form._tag === "None") return { _tag: "Invalid", organisation, error: "Enter a password, twice." } as const
        const problem = passwordProblem(form.value.password)
        if (problem !== undefined) return { _tag: "Invalid", organisation, error: problem } as const
        if (form.value.password !== form.value.confirm) return { _tag: "Invalid", organisation, error: "The two passwords are not the same. Type them again." } as const
        const client = yield* acceptPortalInvitation(hashToken(token), yield* hashPassword(form.value.password))
        return { _tag: "Joined", sessionId: yield* startPortalSession(client.id) } as const
      }).pipe(
        Effect.catchTags({
          InvitationUnusable: (unusable) => Effect.succeed({ _tag: "Unusable", message: unusable.message, status: unusableStatus(unusable.standing) } as const),
          PortalRefused: (refused) => Effect.succeed({ _tag: "Unusable", message: refused.message, status: 403 } as const)
        })
      ))
      if (!outcome.ok) return outcome.response
      const result = outcome.value
      switch (result._tag) {
        case "Throttled":
          return c.html(<UnusablePage message={`Too many attempts. Try again in ${result.minutes} minute(s).`} />, 429)
        case "Unusable":
          return c.html(<UnusablePage message={result.message} />, result.status)
        case "Invalid":
          return c.html(<InvitationPage token={token} organisation={result.organisation} error={result.error} />, 422)
        default:
          writeSessionCookie(c, config, result.sessionId, "portal")
          return c.redirect("/portal", 303)
      }
    })
}
