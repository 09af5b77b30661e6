import { Hono } from "hono"
import type { ServerRuntime } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { attachmentRoutes } from "./attachmentRoutes.js"
import { channelActionRoutes } from "./channelActionRoutes.js"
import { chartRoutes } from "./chartRoutes.js"
import { colleagueRoutes } from "./colleagueRoutes.js"
import { messengerRoutes } from "./messengerRoutes.js"

/**
 * The Messages screens (S0, S2, S3): the three-pane messenger with live updates, the channel's
 * actions, the notification centre, transcript export, and a colleague's inbox read-only.
 */
export const messagesRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    // `/messages/colleague/…` before `/messages/:id/…`, which would otherwise take "colleague" for a channel id.
    .route("/", attachmentRoutes(runtime))
    .route("/", colleagueRoutes(runtime))
    .route("/", channelActionRoutes(runtime))
    .route("/", chartRoutes(runtime))
    .route("/", messengerRoutes(runtime))
