import type { ServerRuntime } from "../../../Runtime.js"
import { portalPage } from "../../../web/PortalPage.js"
import type { PortalEnv } from "../../../web/ClientSignInRequired.js"
import { secureRoutes } from "./secureRoutes.js"

/**
 * Secure messages for a client signed in to the portal (S1) under `/portal/messages`: the same pages
 * as staff, as the client (their own threads only; no deletes, no quick note).
 */
export const portalSecureRoutes = (runtime: ServerRuntime) =>
  secureRoutes<PortalEnv>(runtime, {
    base: "/portal/messages",
    actor: (c) => ({ _tag: "Client", client: c.get("signedInClient").client }),
    csrfToken: (c) => c.get("signedInClient").csrfToken,
    page: (c, title, content, status) => portalPage(c, { title, section: "messages" }, content, status)
  })
