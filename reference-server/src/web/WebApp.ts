import { Hono } from "hono"
import { adminRoutes } from "../routes/web/admin/index.js"
import { bulkRoutes } from "../routes/web/bulk/bulkRoutes.js"
import { clientListRoutes } from "../routes/web/bulk/clientListRoutes.js"
import { clientRoutes } from "../routes/web/clients/clientRoutes.js"
import { portalInviteRoutes } from "../routes/web/clients/portalInviteRoutes.js"
import { contactRoutes } from "../routes/web/clients/contactRoutes.js"
import { dockRoutes } from "../routes/web/dock/dock.js"
import { eventRoutes } from "../routes/web/events.js"
import { messagesRoutes } from "../routes/web/messages/index.js"
import { portalFallback, portalPages } from "../routes/web/portal/portalPages.js"
import { replyLinkRoutes } from "../routes/web/replyLink/replyLinkRoutes.js"
import { staffSecureRoutes } from "../routes/web/secure/staffSecure.js"
import { signInRoutes } from "../routes/web/signIn.js"
import { signOutRoutes } from "../routes/web/signOut.js"
import { settingsRoutes } from "../routes/web/settings/settings.js"
import { mailboxRoutes } from "../routes/web/simulator/mailbox.js"
import { simulatorRoutes } from "../routes/web/simulator/simulator.js"
import type { ServerRuntime } from "../Runtime.js"
import { assetRoutes } from "./Assets.js"
import { signInRequired } from "./SignInRequired.js"
import type { WebEnv } from "./WebEnv.js"

/** Every page that needs a signed-in staff member; each screen adds its routes here. */
const staffPages = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .use(signInRequired(runtime))
    .get("/", (c) => c.redirect("/messages", 303))
    .route("/", signOutRoutes(runtime))
    .route("/", eventRoutes(runtime))
    .route("/", dockRoutes(runtime))
    .route("/", messagesRoutes(runtime))
    .route("/", staffSecureRoutes(runtime))
    .route("/", settingsRoutes(runtime))
    .route("/", adminRoutes(runtime))
    .route("/", clientRoutes(runtime))
    .route("/", portalInviteRoutes(runtime))
    .route("/", contactRoutes(runtime))
    .route("/", bulkRoutes(runtime))
    .route("/", clientListRoutes(runtime))

/**
 * The staff web app: static assets and the sign-in page in the open, everything else behind a
 * session (see `signInRequired`).
 */
export const webApp = (runtime: ServerRuntime) =>
  new Hono()
    .route("/assets", assetRoutes())
    .route("/", signInRoutes(runtime))
    // Reply links (S3): public, the link's secret is the key; posts checked by origin and throttled.
    .route("/", replyLinkRoutes(runtime))
    // Demo phone simulator — only with the fake SMS provider (404 otherwise); public: it plays the client.
    .route("/", simulatorRoutes(runtime))
    // Demo mailbox — the captured emails, also fake SMS only and public (it plays the recipient).
    .route("/", mailboxRoutes(runtime))
    // The client portal (S1): its own sign-in, cookie and sessions; before staffPages, whose sign-in catches everything else.
    .route("/", portalPages(runtime))
    .route("/", portalFallback())
    .route("/", staffPages(runtime))
