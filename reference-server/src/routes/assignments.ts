import { assign, ClientId, StaffId, unassign } from "@careline/core"
import { Effect, Schema } from "effect"
import { Hono } from "hono"
import { InvalidRequest } from "../http/ApiError.js"
import type { ApiEnv } from "../http/Bearer.js"
import { decodeBody, IdText, pathId } from "../http/Input.js"
import { json, runRoute } from "../http/Respond.js"
import type { ServerRuntime } from "../Runtime.js"

const NewAssignment = Schema.Struct({ staffId: IdText })
const decodeAssignment = decodeBody(NewAssignment)
/**
 * `POST /api/v1/clients/:id/assignments` `{staffId}` and `DELETE /api/v1/clients/:id/assignments/:staffId`,
 * for coordinators, supervisors and admins (audited by the core). A client or staff member the caller
 * may not reach, or of another organisation, is 404.
 */
export const assignmentRoutes = (runtime: ServerRuntime) =>
  new Hono<ApiEnv>()
    .post("/clients/:id/assignments", (c) =>
      runRoute(
        runtime,
        Effect.gen(function* () {
          const clientId = yield* pathId(c.req.param("id"), "client", ClientId.make)
          const input = yield* decodeAssignment(c.req)
          const started = yield* assign({ actorId: c.get("staff").id, staffId: StaffId.make(input.staffId), clientId })
          return json({ assigned: true, alreadyAssigned: !started }, started ? 201 : 200)
        })
      ))
    .delete("/clients/:id/assignments/:staffId", (c) =>
      runRoute(
        runtime,
        Effect.gen(function* () {
          const clientId = yield* pathId(c.req.param("id"), "client", ClientId.make)
          const staffId = yield* pathId(c.req.param("staffId"), "staff", StaffId.make)
          const ended = yield* unassign({ actorId: c.get("staff").id, staffId, clientId })
          if (!ended) return yield* new InvalidRequest({ problems: ["that staff member is not currently assigned to this client"] })
          return json({ assigned: false })
        })
      ))
