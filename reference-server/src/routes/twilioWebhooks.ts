import { emptyTwiml, parseInbound, parseStatus, verifySignature } from "@careline/adapter-twilio"
import { acceptInbound, applyStatusUpdate, InboundProcessor } from "@careline/core"
import { Effect, Redacted, Result } from "effect"
import { type Context, Hono } from "hono"
import { type Config, ServerConfig } from "../Config.js"
import { runEffect } from "../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../Runtime.js"

/** A webhook form is a few hundred bytes; Twilio's largest (ten media URLs) stays far below this. */
const MAX_WEBHOOK_BYTES = 64 * 1024

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

const twiml = () => new Response(emptyTwiml, { status: 200, headers: { ...webhookHeaders, "content-type": "text/xml; charset=utf-8" } })
const text = (status: number, body: string) =>
  new Response(body, { status, headers: { ...webhookHeaders, "content-type": "text/plain; charset=utf-8" } })

/**
 * The URL Twilio signed: our configured public base URL, then the path and query as received. Never
 * the Host or X-Forwarded-* headers, which whoever sends the request controls.
 */
export const signedUrl = (publicBaseUrl: string, requestUrl: string): string => {
  const { pathname, search } = new URL(requestUrl)
  return `${publicBaseUrl}${pathname}${search}`
}

/** The body, unless it is (or says it is) larger than a webhook can be. */
const boundedBody = async (c: Context): Promise<string | undefined> => {
  if (Number(c.req.header("content-length") ?? "0") > MAX_WEBHOOK_BYTES) return undefined
  const body = await c.req.text().catch(() => "")
  return body.length > MAX_WEBHOOK_BYTES ? undefined : body
}

type Verified =
  | { readonly _tag: "Form"; readonly form: Record<string, string>; readonly query: Record<string, string> }
  | { readonly _tag: "Answer"; readonly response: Response }

/**
 * The form, when Twilio is the provider and the signature over it is Twilio's (either auth token);
 * otherwise the answer: 404 (Twilio is not the provider), 413 (too large), 403 (not signed).
 * Plain code, not an Effect: it runs for every webhook of a burst before anything is stored.
 */
const verified = async (runtime: ServerRuntime, config: Config, c: Context): Promise<Verified> => {
  const sms = config.sms
  if (sms.provider !== "twilio") return { _tag: "Answer", response: text(404, "Not found.") }
  const raw = await boundedBody(c)
  if (raw === undefined) return { _tag: "Answer", response: text(413, `A webhook body is at most ${MAX_WEBHOOK_BYTES / 1024} KB.`) }
  const form = Object.fromEntries(new URLSearchParams(raw))
  const valid = config.publicBaseUrl !== undefined && verifySignature({
    authToken: Redacted.value(sms.authToken),
    secondaryAuthToken: sms.secondaryAuthToken === undefined ? undefined : Redacted.value(sms.secondaryAuthToken),
    url: signedUrl(config.publicBaseUrl, c.req.url),
    params: form,
    signature: c.req.header("x-twilio-signature")
  })
  if (!valid) {
    runtime.runFork(Effect.logWarning(`Refused a webhook to ${c.req.path}: its X-Twilio-Signature is missing or wrong (403).`))
    return { _tag: "Answer", response: text(403, "Forbidden: the X-Twilio-Signature header is missing or does not match.") }
  }
  return { _tag: "Form", form, query: c.req.query() }
}

/** Runs `handle` on a verified form (see {@link verified}); storage failures answer 500, which Twilio retries. */
const webhook = <E>(
  runtime: ServerRuntime,
  handle: (form: Record<string, string>, query: Record<string, string>) => Effect.Effect<Response, E, ServerServices>
) => {
  let config: Promise<Config> | undefined
  return async (c: Context) => {
    config ??= runtime.runPromise(ServerConfig.use(Effect.succeed))
    const request = await verified(runtime, await config, c)
    if (request._tag === "Answer") return request.response
    const outcome = await runEffect(runtime, handle(request.form, request.query))
    if (outcome.ok) return outcome.value
    // A failure's answer is the API's JSON error, built without these routes' headers.
    for (const [name, value] of Object.entries(webhookHeaders)) outcome.response.headers.set(name, value)
    return outcome.response
  }
}

/**
 * `POST /webhooks/twilio/messages` (inbound texts) and `POST /webhooks/twilio/status` (delivery
 * callbacks). Every answer but a bad signature (403), a malformed form (400), a body too large (413) or a storage failure
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
