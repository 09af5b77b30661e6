import type { Config } from "../Config.js"
import type { SignedIn } from "./Sessions.js"

/** What the staff pages know about a request: the signed-in staff member, their session, and the server's configuration. */
export interface WebEnv {
  readonly Variables: { readonly signedIn: SignedIn; readonly config: Config }
}
