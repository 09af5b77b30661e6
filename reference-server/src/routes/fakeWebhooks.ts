import { applyStatusUpdate, Ids, PhoneNumber, ProviderMessageId, receiveInbound, StatusUpdate } from "@careline/core"
import { Effect, Schema } from "effect"
import { Hono } from "hono"
import { ServerConfig } from "../Config.js"
import { decodeBody } from "../http/Input.js"
import { json, runRoute } from "../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../Runtime.js"

/** A text "from a phone", as the phone simulator sends it; without a provider id, one is made up. */
const FakeInbound = Schema.Struct({
  from: PhoneNumber,
  to: PhoneNumber,
  body: Schema.String.check(Schema.isMaxLength(1600, { message: "at most 1600 characters" })),
  providerMessageId: Schema.optional(ProviderMessageId)
})

const decodeInbound = decodeBody(FakeInbound)
const decodeStatus = decodeBody(StatusUpdate)

const onlyInFakeMode = <E>(runtime: ServerRuntime, route: Effect.Effect<Response, E, ServerServices>) =>
  runRoute(
    runtime,
    Effect.gen(function* () {
      const config = yield* ServerConfig
      return config.sms.provider === "fake" ? yield* route : json({ error: { code: "not_found", message: "Not found." } }, 404)
    })
  )

/**
 * With the fake provider (`SMS_PROVIDER=fake`), the same inbound and status handling as Twilio's
 * webhooks, as JSON and without signatures, for the phone simulator and local trials. They answer
 * 404 with any other provider. Nothing sent in fake mode leaves the machine; do not expose it publicly.
 */
export const fakeWebhookRoutes = (runtime: ServerRuntime) =>
  new Hono()
    .post("/messages", (c) =>
      onlyInFakeMode(
        runtime,
        Effect.gen(function* () {
          const input = yield* decodeInbound(c.req)
          const providerMessageId = input.providerMessageId ?? ProviderMessageId.make(yield* Ids.use((ids) => ids.next("fake")))
          const outcome = yield* receiveInbound({ from: input.from, to: input.to, body: input.body, providerMessageId }).pipe(
            Effect.map((received) =>
              received._tag === "Duplicate"
                ? { outcome: "duplicate" as const, providerMessageId }
                : { outcome: "stored" as const, providerMessageId, messageId: received.message.id, channelId: received.channel.id }),
            Effect.catchTag("NotFound", (missing) =>
              Effect.as(
                Effect.logWarning(`Fake inbound text not stored: ${missing.message} (no line has the number texted).`),
                { outcome: "unknown_line" as const, providerMessageId }
              ))
          )
          return json(outcome)
        })
      ))
    .post("/status", (c) =>
      onlyInFakeMode(
        runtime,
        Effect.gen(function* () {
          const update = yield* decodeStatus(c.req)
          const outcome = yield* applyStatusUpdate(update).pipe(
            Effect.map((message) => ({ outcome: "applied" as const, messageId: message.id, status: message.status })),
            Effect.catchTag("NotFound", () =>
              Effect.as(
                Effect.logWarning(`Fake status callback for ${update.providerMessageId}, a message Careline does not know.`),
                { outcome: "unknown_message" as const }
              ))
          )
          return json(outcome)
        })
      ))
