import { requireOrganisation } from "@careline/core"
import { Effect } from "effect"
import { Hono } from "hono"
import type { ApiEnv } from "../http/Bearer.js"
import { json, runRoute } from "../http/Respond.js"
import type { ServerRuntime } from "../Runtime.js"

/** `GET /api/v1/me`: who the token belongs to, and their organisation. */
export const meRoutes = (runtime: ServerRuntime) =>
  new Hono<ApiEnv>().get("/me", (c) =>
    runRoute(
      runtime,
      Effect.gen(function* () {
        const staff = c.get("staff")
        const organisation = yield* requireOrganisation(staff.organisationId)
        return json({
          staff,
          organisation: { id: organisation.id, name: organisation.name, timeZone: organisation.businessHours.timeZone }
        })
      })
    ))
