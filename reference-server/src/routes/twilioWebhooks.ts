import { emptyTwiml, parseInbound, parseStatus, verifySignature } from "@careline/adapter-twilio"
import { acceptInbound, applyStatusUpdate, InboundProcessor } from "@careline/core"
import { Effect, Redacted, Result } from "effect"
import { type Context, Hono } from "hono"
import { type Config, ServerConfig } from "../Config.js"
import { runRoute } from "../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../Runtime.js"

const twiml = () => new Response(emptyTwiml, { status: 200, headers: { "content-type": "text/xml; charset=utf-8" } })
const text = (status: number, body: string) => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } })

/**
 * The URL Twilio signed: our configured public base URL, then the path and query as received. Never
 * the Host or X-Forwarded-* headers, which whoever sends the request controls.
 */
export const signedUrl = (publicBaseUrl: string, requestUrl: string): string => {
  const { pathname, search } = new URL(requestUrl)
  return `${publicBaseUrl}${pathname}${search}`
}

interface WebhookRequest {
  readonly url: string
  readonly signature: string | undefined
  readonly body: () => Promise<string>
}

/** The form, when the signature over it is Twilio's (either auth token); `undefined` otherwise. */
const verifiedForm = (config: Config, request: WebhookRequest) =>
  Effect.gen(function* () {
    const sms = config.sms
    if (sms.provider !== "twilio" || config.publicBaseUrl === undefined) return undefined
    const raw = yield* Effect.promise(() => request.body().catch(() => ""))
    const form = Object.fromEntries(new URLSearchParams(raw))
    const valid = verifySignature({
      authToken: Redacted.value(sms.authToken),
      secondaryAuthToken: sms.secondaryAuthToken === undefined ? undefined : Redacted.value(sms.secondaryAuthToken),
      url: signedUrl(config.publicBaseUrl, request.url),
      params: form,
      signature: request.signature
    })
    if (!valid) {
      yield* Effect.logWarning(`Refused a webhook to ${new URL(request.url).pathname}: its X-Twilio-Signature is missing or wrong (403).`)
      return undefined
    }
    return form
  })

/** Answers 404 when Twilio is not the provider, 403 unless signed; otherwise runs `handle` on the form. */
const webhook = <E>(
  runtime: ServerRuntime,
  handle: (form: Record<string, string>, query: Record<string, string>) => Effect.Effect<Response, E, ServerServices>
) =>
  (c: Context) =>
    runRoute(
      runtime,
      Effect.gen(function* () {
        const config = yield* ServerConfig
        if (config.sms.provider !== "twilio") return text(404, "Not found.")
        const request = { url: c.req.url, signature: c.req.header("x-twilio-signature"), body: () => c.req.text() }
        const form = yield* verifiedForm(config, request)
        if (form === undefined) return text(403, "Forbidden: the X-Twilio-Signature header is missing or does not match.")
        return yield* handle(form, Object.fromEntries(new URL(request.url).searchParams))
      })
    )

/**
 * `POST /webhooks/twilio/messages` (inbound texts) and `POST /webhooks/twilio/status` (delivery
 * callbacks). Every answer but a bad signature (403), a malformed form (400) or a storage failure
 * (500, which Twilio retries) is 200 with empty TwiML: a duplicate, a text to a number no line has,
 * a callback for an unknown message — Twilio must not retry those forever.
 */
export const twilioWebhookRoutes = (runtime: ServerRuntime) => {
  const inbound = webhook(runtime, (form) =>
    Effect.gen(function* () {
      const sms = parseInbound(form)
      if (Result.isFailure(sms)) return text(400, sms.failure.message)
      // Answered once the text is durable; what it sets in motion happens off the request path.
      yield* acceptInbound(sms.success).pipe(
        Effect.flatMap((message) => InboundProcessor.use((processor) => processor.submit(message))),
        Effect.catchTag("NotFound", (missing) =>
          Effect.logWarning(`Inbound text not stored: ${missing.message} (no line has the number texted); answered 200 so Twilio does not retry.`))
      )
      return twiml()
    }))
  const status = webhook(runtime, (form, query) =>
    Effect.gen(function* () {
      const update = parseStatus(form, query)
      if (Result.isFailure(update)) return text(400, update.failure.message)
      yield* applyStatusUpdate(update.success).pipe(
        Effect.catchTag("NotFound", () =>
          Effect.logWarning(`Status callback for ${update.success.providerMessageId}, a message Careline does not know; answered 200.`))
      )
      return twiml()
    }))
  return new Hono()
    .post("/messages", inbound)
    .post("/status", status)
}
