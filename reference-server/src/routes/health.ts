import { Effect } from "effect"
import { Hono } from "hono"
import { json, runRoute } from "../http/Respond.js"
import { Roster } from "../Roster.js"
import type { ServerRuntime } from "../Runtime.js"

/** `GET /healthz`: 200 when the database answers a query, 503 (logged) when it does not. */
export const healthRoutes = (runtime: ServerRuntime) =>
  new Hono().get("/healthz", () =>
    runRoute(
      runtime,
      Roster.use((roster) => roster.ping).pipe(
        Effect.as(json({ status: "ok" })),
        Effect.catchTag("StorageError", (error) =>
          Effect.as(Effect.logError("Health check: the database did not answer.", error), json({ status: "unavailable" }, 503)))
      )
    ))
