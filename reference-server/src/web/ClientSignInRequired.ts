import type { ServerRuntime } from "../Runtime.js"
import { portalSessionFor, type SignedInClient } from "./PortalSessions.js"
import { sessionRequired } from "./SignInRequired.js"
import type { PortalEnv } from "./WebEnv.js"

export type { PortalEnv } from "./WebEnv.js"

/**
 * Portal pages: a live client session (its own cookie, so a staff session never opens the portal
 * and a client session never opens staff pages; the client not blocked), else `/portal/sign-in`;
 * CSRF and `no-store` as on staff pages. Sets `c.get("signedInClient")`.
 */
export const clientSignInRequired = (runtime: ServerRuntime) =>
  sessionRequired<PortalEnv, SignedInClient>(runtime, {
    kind: "portal",
    signInPath: "/portal/sign-in",
    home: "/portal",
    lookup: portalSessionFor,
    admit: (c, signedInClient, config) => {
      c.set("signedInClient", signedInClient)
      c.set("config", config)
    }
  })
