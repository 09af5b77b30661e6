import { ClientId, Ids, inviteToPortal, Mailer, type Organisation, removePortalAccess } from "@careline/core"
import { Effect } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { hashToken } from "../../../ApiTokens.js"
import { pathId } from "../../../http/Input.js"
import type { ServerRuntime } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { runPage } from "./ClientAnswers.js"
import { attempt, profilePage } from "./clientRoutes.js"

/** The invitation email: the organisation and the link only — no name, nothing about the client's care. */
export const invitationEmail = (to: string, organisation: Organisation, link: string) => ({
  to,
  subject: `You have been invited to ${organisation.name}'s secure portal`,
  text: [
    "Hello,",
    "",
    `${organisation.name} has invited you to its secure portal, where you can read and send secure messages to your care team.`,
    "",
    "Choose your password here (the link works once, for 7 days):",
    link,
    "",
    "If you did not expect this email, you can ignore it."
  ].join("\n")
})

/** Where links in emails point: `PUBLIC_BASE_URL` when set (behind a proxy), else this request's origin. */
const baseUrlOf = (c: Context<WebEnv>) => c.get("config").publicBaseUrl ?? new URL(c.req.url).origin

const clientIdOf = (c: Context<WebEnv>) => pathId(c.req.param("id"), "client", ClientId.make)

/**
 * The profile's portal actions: `POST /clients/:id/portal/invite` emails a new invitation link
 * through the `Mailer` port (earlier links stop working; audited `client.portal_invite`), and
 * `POST /clients/:id/portal/remove` ends the client's portal access at once. The access policy
 * applies (404 for a client the staff member may not see).
 */
export const portalInviteRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .post("/clients/:id/portal/invite", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const clientId = yield* clientIdOf(c)
        const token = yield* Ids.use((ids) => ids.secret)
        const invited = yield* attempt(inviteToPortal({ staffId: c.get("signedIn").staff.id, clientId, tokenHash: hashToken(token) }))
        if (!invited.ok) return yield* profilePage(c, clientId, "profile", { error: invited.refused.message }, invited.refused.status)
        const { invitation, organisation } = invited.value
        const sent = yield* Mailer.use((mailer) => mailer.send(invitationEmail(invitation.email, organisation, `${baseUrlOf(c)}/portal/invite/${token}`))).pipe(
          Effect.as(true),
          Effect.catchTag("MailFailed", (failed) => Effect.as(Effect.logWarning(`A portal invitation email could not be sent: ${failed.reason}`), false))
        )
        if (!sent) return yield* profilePage(c, clientId, "profile", { error: "The invitation email could not be sent. Please try again in a moment." }, 502)
        return c.redirect(`/clients/${clientId}?done=portal-invited`, 303)
      })))
    .post("/clients/:id/portal/remove", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const clientId = yield* clientIdOf(c)
        yield* removePortalAccess(c.get("signedIn").staff.id, clientId)
        return c.redirect(`/clients/${clientId}?done=portal-removed`, 303)
      })))
