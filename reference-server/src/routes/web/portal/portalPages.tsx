import { Effect } from "effect"
import { Hono } from "hono"
import { runRoute } from "../../../http/Respond.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { clientSignInRequired } from "../../../web/ClientSignInRequired.js"
import { Document } from "../../../web/Layout.js"
import { portalSignOut } from "../../../web/PortalSessions.js"
import { clearSessionCookie } from "../../../web/SessionCookie.js"
import type { PortalEnv } from "../../../web/WebEnv.js"
import { portalSecureRoutes } from "../secure/portalSecure.js"
import { invitationRoutes } from "./invitation.js"
import { portalEventRoutes } from "./portalEvents.js"
import { portalSignInRoutes } from "./portalSignIn.js"
import { portalSmsRoutes } from "./sms.js"

/**
 * The client portal under `/portal`: sign-in and invitation links in the open, everything else
 * behind a client session (`clientSignInRequired`: its own cookie, CSRF, no-store). Each portal
 * screen adds its routes after the gate (full paths, e.g. `.route("/", portalSecureRoutes(runtime))`
 * for `/portal/messages`).
 */
export const portalPages = (runtime: ServerRuntime) =>
  new Hono<PortalEnv>()
    .route("/", portalSignInRoutes(runtime))
    .route("/", invitationRoutes(runtime))
    .use("/portal", clientSignInRequired(runtime))
    .use("/portal/*", clientSignInRequired(runtime))
    .get("/portal", (c) => c.redirect("/portal/messages", 303))
    .post("/portal/sign-out", (c) =>
      runRoute(runtime, Effect.sync(() => clearSessionCookie(c, c.get("config"), "portal")).pipe(
        Effect.andThen(portalSignOut(c.get("signedInClient").sessionHash)),
        Effect.as(c.redirect("/portal/sign-in?why=signed-out", 303))
      )))
    .route("/", portalEventRoutes(runtime))
    .route("/", portalSmsRoutes(runtime))
    .route("/", portalSecureRoutes(runtime))

/**
 * What no portal screen answered (mounted right after `portalPages`): a 404 in the portal's words,
 * never a fall-through to the staff pages (whose sign-in would catch it).
 */
export const portalFallback = () =>
  new Hono().all("/portal/*", (c) => {
    c.header("cache-control", "no-store")
    return c.html(<NotFoundPage />, 404)
  })

const NotFoundPage = () => (
  <Document title="Not found">
    <main id="main" class="sign-in">
      <h1>Secure portal</h1>
      <section class="card stack">
        <h2>Not found</h2>
        <p>This page does not exist, or it is not available to you.</p>
        <p><a href="/portal">Back to the portal</a></p>
      </section>
    </main>
  </Document>
)
