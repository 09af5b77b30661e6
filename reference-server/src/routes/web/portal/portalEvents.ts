import { Hono } from "hono"
import type { ServerRuntime } from "../../../Runtime.js"
import { portalSessionStillLive } from "../../../web/PortalSessions.js"
import type { PortalEnv } from "../../../web/WebEnv.js"
import { clientLiveEventsFor, liveStream } from "../events.js"

/**
 * `GET /portal/events`: the signed-in client's live events (the portal's `#live`), behind the portal
 * gate (a staff session or none is sent to the portal sign-in). Only `secure` and `secure-<threadId>`
 * for threads the client receives, ids only; a `secure` sync on connecting. The stream stops as soon
 * as the client's session ends, they are blocked or their portal access is removed.
 */
export const portalEventRoutes = (runtime: ServerRuntime) =>
  new Hono<PortalEnv>().get("/portal/events", (c) => {
    const { client, sessionHash } = c.get("signedInClient")
    return liveStream(runtime, c, {
      eventsFor: (n) => clientLiveEventsFor(client, n),
      sync: { event: "secure", data: JSON.stringify({ kind: "sync" }) },
      stillSignedIn: portalSessionStillLive(sessionHash)
    })
  })
