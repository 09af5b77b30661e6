import { emptyTwiml, parseInbound, parseStatus, verifySignature } from "@careline/adapter-twilio"
import { applyStatusUpdate, InboundProcessor } from "@careline/core"
import { Effect, Redacted, Result } from "effect"
import { type Context, Hono } from "hono"
import { type Config, ServerConfig } from "../Config.js"
import { runEffect } from "../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../Runtime.js"

/** A webhook form is a few hundred bytes; Twilio's largest (ten media URLs) stays far below this. */
export const MAX_WEBHOOK_BYTES = 64 * 1024

/**
 * The headers of every webhook answer. These routes are mounted ahead of the app's middleware (they
 * are the hot path of a burst of texts), so they set their own: stricter than a page's, as TwiML
 * loads nothing.
 */
const webhookHeaders = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store"
}

/** A webhook as either server hands it over (Hono's route, or the plain `node:http` listener of `Listener.ts`). */
export interface WebhookRequest {
  /** The path and query as received, e.g. `/webhooks/twilio/status?outbox=…`. */
  readonly pathAndQuery: string
  readonly signature: string | undefined
  /** The body, or `undefined` when it is (or says it is) larger than {@link MAX_WEBHOOK_BYTES}. */
  readonly body: string | undefined
}

/** The answer, as plain data each server writes its own way. */
export interface WebhookAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const twiml: WebhookAnswer = { status: 200, headers: { ...webhookHeaders, "content-type": "text/xml; charset=utf-8" }, body: emptyTwiml }
const text = (status: number, body: string): WebhookAnswer => ({ status, headers: { ...webhookHeaders, "content-type": "text/plain; charset=utf-8" }, body })
export const webhookTooLarge = text(413, `A webhook body is at most ${MAX_WEBHOOK_BYTES / 1024} KB.`)

/**
 * The URL Twilio signed: our configured public base URL, then the path and query as received. Never
 * the Host or X-Forwarded-* headers, which whoever sends the request controls.
 */
const signedUrl = (publicBaseUrl: string, pathAndQuery: string): string => {
  const { pathname, search } = new URL(pathAndQuery, "http://careline.invalid")
  return `${publicBaseUrl}${pathname}${search}`
}

type Verified =
  | { readonly _tag: "Form"; readonly form: Record<string, string>; readonly query: Record<string, string> }
  | { readonly _tag: "Answer"; readonly answer: WebhookAnswer }

/**
 * The form, when Twilio is the provider and the signature over it is Twilio's (either auth token);
 * otherwise the answer: 404 (Twilio is not the provider), 413 (too large), 403 (not signed).
 * Plain code, not an Effect: it runs for every webhook of a burst before anything is stored.
 */
const verified = (runtime: ServerRuntime, config: Config, request: WebhookRequest): Verified => {
  const sms = config.sms
  if (sms.provider !== "twilio") return { _tag: "Answer", answer: text(404, "Not found.") }
  if (request.body === undefined) return { _tag: "Answer", answer: webhookTooLarge }
  const form = Object.fromEntries(new URLSearchParams(request.body))
  const valid = config.publicBaseUrl !== undefined && verifySignature({
    authToken: Redacted.value(sms.authToken),
    secondaryAuthToken: sms.secondaryAuthToken === undefined ? undefined : Redacted.value(sms.secondaryAuthToken),
    url: signedUrl(config.publicBaseUrl, request.pathAndQuery),
    params: form,
    signature: request.signature
  })
  if (!valid) {
    const path = request.pathAndQuery.split("?")[0]
    runtime.runFork(Effect.logWarning(`Refused a webhook to ${path}: its X-Twilio-Signature is missing or wrong (403).`))
    return { _tag: "Answer", answer: text(403, "Forbidden: the X-Twilio-Signature header is missing or does not match.") }
  }
  const search = request.pathAndQuery.indexOf("?")
  return { _tag: "Form", form, query: search < 0 ? {} : Object.fromEntries(new URLSearchParams(request.pathAndQuery.slice(search + 1))) }
}

/** Answers a verified form with `handle` (see {@link verified}); storage failures answer 500, which Twilio retries. */
const webhook = <E>(
  runtime: ServerRuntime,
  handle: (form: Record<string, string>, query: Record<string, string>) => Effect.Effect<WebhookAnswer, E, ServerServices>
) => {
  let config: Promise<Config> | undefined
  return async (request: WebhookRequest): Promise<WebhookAnswer> => {
    config ??= runtime.runPromise(ServerConfig.use(Effect.succeed))
    const checked = verified(runtime, await config, request)
    if (checked._tag === "Answer") return checked.answer
    const outcome = await runEffect(runtime, handle(checked.form, checked.query))
    if (outcome.ok) return outcome.value
    // A failure's answer is the API's JSON error; it gets these routes' headers.
    const failure = outcome.response
    return { status: failure.status, headers: { ...webhookHeaders, "content-type": failure.headers.get("content-type") ?? "text/plain" }, body: await failure.text() }
  }
}

export type TwilioWebhooks = ReturnType<typeof twilioWebhooks>

/**
 * The answers to `POST /webhooks/twilio/messages` (inbound texts) and `POST /webhooks/twilio/status`
 * (delivery callbacks). Every answer but a bad signature (403), a malformed form (400), a body too
 * large (413) or a storage failure (500, which Twilio retries) is 200 with empty TwiML: a duplicate, a
 * text to a number no line has, a callback for an unknown message — Twilio must not retry those forever.
 */
export const twilioWebhooks = (runtime: ServerRuntime) => ({
  // A pipeline, not Effect.gen: this runs for every webhook of a flood, and a generator costs a few µs each time.
  messages: webhook(runtime, (form) => {
    const sms = parseInbound(form)
    if (Result.isFailure(sms)) return Effect.succeed(text(400, sms.failure.message))
    // Answered once the text is durable; what it sets in motion happens off the request path.
    return InboundProcessor.use((processor) => processor.accept(sms.success)).pipe(
      Effect.catchTag("NotFound", (missing) =>
        Effect.logWarning(`Inbound text not stored: ${missing.message} (no line has the number texted); answered 200 so Twilio does not retry.`)),
      Effect.as(twiml)
    )
  }),
  status: webhook(runtime, (form, query) =>
    Effect.gen(function* () {
      const update = parseStatus(form, query)
      if (Result.isFailure(update)) return text(400, update.failure.message)
      yield* applyStatusUpdate(update.success).pipe(
        Effect.catchTag("NotFound", () =>
          Effect.logWarning(`Status callback for ${update.success.providerMessageId}, a message Careline does not know; answered 200.`))
      )
      return twiml
    }))
})

/** The body, unless it is (or says it is) larger than a webhook can be. */
const boundedBody = async (c: Context): Promise<string | undefined> => {
  if (Number(c.req.header("content-length") ?? "0") > MAX_WEBHOOK_BYTES) return undefined
  const body = await c.req.text().catch(() => "")
  return body.length > MAX_WEBHOOK_BYTES ? undefined : body
}

const viaHono = (answer: (request: WebhookRequest) => Promise<WebhookAnswer>) => async (c: Context) => {
  const url = new URL(c.req.url)
  const { status, headers, body } = await answer({
    pathAndQuery: `${url.pathname}${url.search}`,
    signature: c.req.header("x-twilio-signature"),
    body: await boundedBody(c)
  })
  return new Response(body, { status, headers })
}

/**
 * The webhooks as Hono routes (for `app.request`, and any server that runs the app alone); `careline
 * serve` answers them from its `node:http` listener first (`Listener.ts`), with the same {@link twilioWebhooks}.
 */
export const twilioWebhookRoutes = (runtime: ServerRuntime) => {
  const webhooks = twilioWebhooks(runtime)
  return new Hono()
    .post("/messages", viaHono(webhooks.messages))
    .post("/status", viaHono(webhooks.status))
}
