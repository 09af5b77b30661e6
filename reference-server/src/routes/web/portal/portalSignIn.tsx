import type { ServerRuntime } from "../../../Runtime.js"
import { portalSignIn } from "../../../web/PortalSessions.js"
import { passwordSignInRoutes, type SignInArea } from "../signIn.js"

/** The portal's sign-in: clients only (their own cookie), back to a portal page only. */
export const portalSignInArea: SignInArea = {
  path: "/portal/sign-in",
  kind: "portal",
  home: "/portal",
  within: "/portal",
  heading: "Secure portal",
  title: "Sign in to the secure portal",
  signIn: portalSignIn
}

/** `GET /portal/sign-in` and `POST /portal/sign-in`: email + password → a portal session; throttled like staff sign-in. */
export const portalSignInRoutes = (runtime: ServerRuntime) => passwordSignInRoutes(runtime, portalSignInArea)
