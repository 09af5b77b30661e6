import type { IncomingMessage, ServerResponse } from "node:http"
import { getRequestListener } from "@hono/node-server"
import { Effect } from "effect"
import type { makeApp } from "./App.js"
import { MAX_WEBHOOK_BYTES, twilioWebhooks, type WebhookAnswer, type WebhookRequest, webhookTooLarge } from "./routes/twilioWebhooks.js"
import type { ServerRuntime } from "./Runtime.js"

/** The body as text, or `undefined` once it is (or says it will be) larger than a webhook can be. */
const boundedBody = (incoming: IncomingMessage): Promise<string | undefined> =>
  new Promise((resolve) => {
    if (Number(incoming.headers["content-length"] ?? "0") > MAX_WEBHOOK_BYTES) return resolve(undefined)
    const chunks: Array<Buffer> = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_WEBHOOK_BYTES) return void chunks.push(chunk)
      incoming.off("data", onData)
      resolve(undefined)
    }
    incoming.on("data", onData)
    incoming.on("end", () => resolve(Buffer.concat(chunks, size).toString("utf8")))
    // A body cut short can't be the one that was signed: it is refused as unsigned.
    incoming.on("error", () => resolve(""))
  })

const write = (outgoing: ServerResponse, answer: WebhookAnswer, close: boolean) => {
  outgoing.writeHead(answer.status, close ? { ...answer.headers, connection: "close" } : answer.headers)
  outgoing.end(answer.body)
}

const internalError: WebhookAnswer = {
  status: 500,
  headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
  body: "Something went wrong on our side. It has been logged; please try again."
}

/**
 * The server's `node:http` request listener: Twilio's webhooks are answered here, straight from
 * `node:http` (they are the hot path of a burst of texts: no `Request`/`Response` objects, no router,
 * no middleware), by the same {@link twilioWebhooks} as the app's Hono routes; everything else,
 * including a webhook path with any other method, goes to the app.
 */
export const serverListener = (runtime: ServerRuntime, app: ReturnType<typeof makeApp>) => {
  const webhooks = twilioWebhooks(runtime)
  const routes = new Map<string, (request: WebhookRequest) => Promise<WebhookAnswer>>([
    ["/webhooks/twilio/messages", webhooks.messages],
    ["/webhooks/twilio/status", webhooks.status]
  ])
  const toApp = getRequestListener(app.fetch)
  return (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const pathAndQuery = incoming.url ?? "/"
    const query = pathAndQuery.indexOf("?")
    const answer = incoming.method === "POST" ? routes.get(query < 0 ? pathAndQuery : pathAndQuery.slice(0, query)) : undefined
    if (answer === undefined) return toApp(incoming, outgoing)
    const signature = incoming.headers["x-twilio-signature"]
    return boundedBody(incoming)
      .then(async (body) => {
        // Too large: answered at once, and the connection closed rather than the rest of the body read.
        if (body === undefined) return write(outgoing, webhookTooLarge, true)
        write(outgoing, await answer({ pathAndQuery, signature: typeof signature === "string" ? signature : undefined, body }), false)
      })
      .catch((error: unknown) => {
        runtime.runFork(Effect.logError("A webhook failed unexpectedly; answered 500.", error))
        if (!outgoing.headersSent) write(outgoing, internalError, false)
      })
  }
}
