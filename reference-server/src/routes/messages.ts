import { ClientId, LineId, sendSms } from "@careline/core"
import { Effect, Schema } from "effect"
import { Hono } from "hono"
import type { ApiEnv } from "../http/Bearer.js"
import { decodeBody, IdText } from "../http/Input.js"
import { json, runRoute } from "../http/Respond.js"
import type { ServerRuntime } from "../Runtime.js"

const SendMessage = Schema.Struct({
  clientId: IdText,
  /** One of the sender's lines (`GET /lines`); their own personal line when absent. */
  lineId: Schema.optional(IdText),
  body: Schema.String.check(Schema.isMaxLength(1600, { message: "at most 1600 characters (the most one SMS can carry)" }))
})
const decodeSend = decodeBody(SendMessage)

/**
 * `POST /api/v1/messages` `{clientId, lineId?, body}`: queues a text to the client's primary number
 * and answers 202 with the message (`queued`); the dispatcher hands it to the provider. Refusals
 * (no consent, blocked, no primary phone, no line) are 422 with the reason.
 */
export const messageRoutes = (runtime: ServerRuntime) =>
  new Hono<ApiEnv>().post("/messages", (c) =>
    runRoute(
      runtime,
      Effect.gen(function* () {
        const input = yield* decodeSend(c.req)
        const message = yield* sendSms({
          staffId: c.get("staff").id,
          clientId: ClientId.make(input.clientId),
          ...(input.lineId === undefined ? {} : { lineId: LineId.make(input.lineId) }),
          body: input.body
        })
        return json({ message }, 202)
      })
    ))
