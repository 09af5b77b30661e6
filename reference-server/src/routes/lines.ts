import { usableLines } from "@careline/core"
import { Effect } from "effect"
import { Hono } from "hono"
import type { ApiEnv } from "../http/Bearer.js"
import { json, runRoute } from "../http/Respond.js"
import type { ServerRuntime } from "../Runtime.js"

/** `GET /api/v1/lines`: the lines the staff member may send from and read (own, queue, organisation). */
export const lineRoutes = (runtime: ServerRuntime) =>
  new Hono<ApiEnv>().get("/lines", (c) =>
    runRoute(runtime, Effect.map(usableLines(c.get("staff")), (lines) => json({ lines }))))
