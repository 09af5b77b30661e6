import type { Config } from "../Config.js"
import type { SignedInClient } from "./PortalSessions.js"
import type { SignedIn } from "./Sessions.js"

/** What the staff pages know about a request: the signed-in staff member, their session, and the server's configuration. */
export interface WebEnv {
  readonly Variables: { readonly signedIn: SignedIn; readonly config: Config }
}

/**
 * What the client portal's pages know about a request (`/portal/…`): the signed-in client (with
 * their organisation) and the configuration. Never a staff session: see `ClientSignInRequired`.
 */
export interface PortalEnv {
  readonly Variables: { readonly signedInClient: SignedInClient; readonly config: Config }
}
