import { MAX_ATTACHMENT_BYTES } from "@careline/core"
import { Effect } from "effect"
import { Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import { createMiddleware } from "hono/factory"
import { secureHeaders } from "hono/secure-headers"
import { bearerAuth, noStore } from "./http/Bearer.js"
import { json } from "./http/Respond.js"
import type { ServerRuntime } from "./Runtime.js"
import { assignmentRoutes } from "./routes/assignments.js"
import { channelRoutes } from "./routes/channels.js"
import { clientRoutes } from "./routes/clients.js"
import { fakeWebhookRoutes } from "./routes/fakeWebhooks.js"
import { healthRoutes } from "./routes/health.js"
import { lineRoutes } from "./routes/lines.js"
import { meRoutes } from "./routes/me.js"
import { messageRoutes } from "./routes/messages.js"
import { twilioWebhookRoutes } from "./routes/twilioWebhooks.js"
import { webApp } from "./web/WebApp.js"

const maxBodyBytes = 64 * 1024
/** A multipart upload: up to 10 attachments of `MAX_ATTACHMENT_BYTES` and their form (what `readUpload` accepts at most). */
const maxUploadBytes = 10 * (MAX_ATTACHMENT_BYTES + 1) + 2 * 1024 * 1024
/** The routes that take attachments (secure-message compose and reply, staff and portal), behind a session and streamed by `readUpload`. */
const uploadPath = /^\/(?:secure|portal\/messages)\/(?:new|threads\/[^/]+\/reply)$/

// Every other request is small (a webhook form, a text of at most 1600 characters, a client record) and read whole.
const limitBody = bodyLimit({
  maxSize: maxBodyBytes,
  onError: () => json({ error: { code: "invalid_request", message: `The request body is larger than ${maxBodyBytes / 1024} KB.` } }, 413)
})

/**
 * Bodies of at most 64 KB, read whole — except a multipart post to an upload route, which is never
 * buffered here: it streams on, cut off past the largest upload, to the session's CSRF check (which
 * reads its first part only, see `passesCsrf`) and `readUpload` (which bounds each file as it streams).
 */
const limitBodies = createMiddleware(async (c, next) => {
  const body = c.req.raw.body
  const upload = c.req.method === "POST" && uploadPath.test(c.req.path) && /^multipart\/form-data\s*;/i.test(c.req.header("content-type") ?? "")
  if (body === null || !upload) return limitBody(c, next)
  if (Number(c.req.header("content-length") ?? "0") > maxUploadBytes) {
    return json({ error: { code: "invalid_request", message: "The upload is larger than all the attachments allowed together." } }, 413)
  }
  let size = 0
  const counted = body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform: (chunk, controller) => {
      size += chunk.length
      if (size > maxUploadBytes) controller.error(new Error("The upload is larger than all the attachments allowed together."))
      else controller.enqueue(chunk)
    }
  }))
  const raw = c.req.raw
  c.req.raw = new Request(raw.url, { method: raw.method, headers: raw.headers, body: counted, signal: raw.signal, duplex: "half" } as RequestInit)
  return next()
})

/** The JSON API: every route behind a bearer token, no answer cached. */
const api = (runtime: ServerRuntime) =>
  new Hono()
    .use(noStore)
    .use(bearerAuth(runtime))
    .route("/", meRoutes(runtime))
    .route("/", lineRoutes(runtime))
    .route("/", clientRoutes(runtime))
    .route("/", assignmentRoutes(runtime))
    .route("/", channelRoutes(runtime))
    .route("/", messageRoutes(runtime))
    // An unknown API path ends here, as JSON, rather than falling through to the web pages.
    .all("*", () => json({ error: { code: "not_found", message: "Not found." } }, 404))

/**
 * The server's HTTP application over a runtime (see `makeRuntime`): health, the Twilio and fake-SMS
 * webhooks, the JSON API under `/api/v1` and the staff web app, with secure headers (and a CSP that
 * allows no inline script) on every answer. Test it with
 * `app.request(…)`; `careline serve` serves it through `serverListener` (`Listener.ts`), which answers
 * Twilio's webhooks itself.
 *
 * @example
 * const app = makeApp(makeRuntime(config))
 * const res = await app.request("/api/v1/me", { headers: { authorization: `Bearer ${token}` } })
 */
export const makeApp = (runtime: ServerRuntime) =>
  new Hono()
    // First, ahead of the middleware below: the hot path of a burst of texts bounds its body and sets its headers itself.
    .route("/webhooks/twilio", twilioWebhookRoutes(runtime))
    .use(secureHeaders({
      // Our own scripts and styles only: no inline script, so injected markup cannot run.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"]
      },
      xFrameOptions: "DENY"
    }))
    .use(limitBodies)
    .route("/", healthRoutes(runtime))
    .route("/webhooks/fake", fakeWebhookRoutes(runtime))
    .route("/api/v1", api(runtime))
    .route("/", webApp(runtime))
    .notFound(() => json({ error: { code: "not_found", message: "Not found." } }, 404))
    .onError((error) => {
      runtime.runFork(Effect.logError("An unexpected error reached the HTTP layer; answered 500.", error))
      return json({ error: { code: "internal", message: "Something went wrong on our side. It has been logged; please try again." } }, 500)
    })
