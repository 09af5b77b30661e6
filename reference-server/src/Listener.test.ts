import { request as httpRequest } from "node:http"
import { LibsqlDatabase } from "@careline/adapter-libsql"
import { InboundProcessor } from "@careline/core"
import { emptyTwiml, TwilioDouble } from "@careline/adapter-twilio"
import { Effect } from "effect"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { type Listening, listenOverHttp } from "./testing/Listening.js"
import { startTestServer, type TestServer, world } from "./testing/TestServer.js"
import { channelMessages, publicBaseUrl, twilioEnv } from "./testing/Twilio.js"

const double = await TwilioDouble.start()
afterAll(() => double.close())

const client1 = world.clients.c1.phones[0]!.number
const line1 = world.lines.spec1.number
const messagesPath = "/webhooks/twilio/messages"

let server: TestServer
let http: Listening
const start = async (env: Record<string, string> = twilioEnv(double.url)) => {
  server = await startTestServer(env)
  http = await listenOverHttp(server)
}
afterEach(async () => {
  await http.close()
  await server.close()
})

const signed = (params: Record<string, string>, pathAndQuery = messagesPath) =>
  TwilioDouble.signedWebhook({ authToken: TwilioDouble.testAuthToken, url: `${publicBaseUrl}${pathAndQuery}`, params })

const post = (pathAndQuery: string, body: string, headers: Record<string, string>) =>
  fetch(`${http.baseUrl}${pathAndQuery}`, { method: "POST", body, headers, redirect: "manual" })

/** The client's texts in their channel, once the server has processed what it accepted (after the answer). */
const inboundTexts = async () => {
  await server.runtime.runPromise(InboundProcessor.use((processor) => processor.settled))
  return (await channelMessages(server, "spec1", client1)).messages.filter((m) => m.direction === "inbound").map((m) => m.body)
}

/** Posts `chunks` with chunked transfer encoding (no content-length), as a client that does not say how large its body is. */
const postChunked = (pathAndQuery: string, chunks: ReadonlyArray<string>, headers: Record<string, string>) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(`${http.baseUrl}${pathAndQuery}`, { method: "POST", headers }, (res) => {
      let body = ""
      res.on("data", (chunk) => (body += chunk))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
    })
    // The server may answer and close before every chunk is written.
    req.on("error", (error) => (error.message.includes("EPIPE") || error.message.includes("ECONNRESET") ? undefined : reject(error)))
    for (const chunk of chunks) req.write(chunk)
    req.end()
  })

describe("careline serve's node:http listener", () => {
  it("answers a signed inbound text itself: 200, empty TwiML, the webhook headers, and the text stored", async () => {
    await start()
    const webhook = signed(TwilioDouble.inboundForm({ from: client1, to: line1, body: "Running late" }))
    const res = await post(messagesPath, webhook.body, webhook.headers)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(emptyTwiml)
    expect(res.headers.get("content-type")).toBe("text/xml; charset=utf-8")
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(res.headers.get("x-content-type-options")).toBe("nosniff")
    expect(res.headers.get("cache-control")).toBe("no-store")
    expect(await inboundTexts()).toEqual(["Running late"])
  })

  it("refuses a forged signature with 403 and a signed but malformed form with 400", async () => {
    await start()
    const webhook = signed(TwilioDouble.inboundForm({ from: client1, to: line1, body: "hello" }))
    const forged = await post(messagesPath, webhook.body, { ...webhook.headers, "x-twilio-signature": "bm90IGEgc2lnbmF0dXJl" })
    expect(forged.status).toBe(403)
    expect(await forged.text()).toContain("X-Twilio-Signature")
    const { From: _from, ...form } = TwilioDouble.inboundForm({ from: client1, to: line1, body: "hello" })
    const malformed = signed(form)
    const res = await post(messagesPath, malformed.body, malformed.headers)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain("From: is required but missing")
    expect(await inboundTexts()).toEqual([])
  })

  it("refuses a body over 64 KB with 413, whether its length is declared or only streamed", async () => {
    await start()
    const webhook = signed(TwilioDouble.inboundForm({ from: client1, to: line1, body: "x".repeat(70 * 1024) }))
    const declared = await post(messagesPath, webhook.body, webhook.headers)
    expect(declared.status).toBe(413)
    expect(await declared.text()).toContain("64 KB")
    const streamed = await postChunked(messagesPath, Array.from({ length: 20 }, () => "x".repeat(8 * 1024)), webhook.headers)
    expect(streamed.status).toBe(413)
    expect(await inboundTexts()).toEqual([])
  })

  it("answers a storage failure with 500 and the webhook headers, and says nothing of the cause", async () => {
    await start()
    await server.runtime.runPromise(LibsqlDatabase.use((db) => Effect.sync(() => db.client.close())))
    const webhook = signed(TwilioDouble.inboundForm({ from: client1, to: line1, body: "Running late" }))
    const res = await post(messagesPath, webhook.body, webhook.headers)
    expect(res.status).toBe(500)
    expect(await res.text()).not.toMatch(/storage|sql|closed/i)
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'")
  })

  it("answers a status callback (its query is part of what is signed)", async () => {
    await start()
    const path = "/webhooks/twilio/status?outbox=out_unknown"
    const callback = signed(TwilioDouble.statusForm({ messageSid: TwilioDouble.sid("SM", 9), status: "delivered" }), path)
    expect((await post(path, callback.body, callback.headers)).status).toBe(200)
    expect((await post("/webhooks/twilio/status?outbox=out_other", callback.body, callback.headers)).status).toBe(403)
  })

  it("leaves everything else to the app: other methods and paths, the fake provider's 404", async () => {
    await start()
    const health = await fetch(`${http.baseUrl}/healthz`)
    expect(health.status).toBe(200)
    // The app's own headers, not the webhooks'.
    expect(health.headers.get("content-security-policy")).toContain("default-src 'self'")
    // A GET of a webhook's path is the app's too: a stranger is sent to sign in.
    const get = await fetch(`${http.baseUrl}${messagesPath}`, { redirect: "manual" })
    expect(get.status).toBe(303)
    expect(get.headers.get("location")).toBe((await server.app.request(messagesPath)).headers.get("location"))
    for (const path of ["/constructor", "/__proto__", `${messagesPath}/`]) {
      expect((await post(path, "a=1", { "content-type": "application/x-www-form-urlencoded" })).status).not.toBe(500)
    }
    await http.close()
    await server.close()
    await start(twilioEnv(double.url, { SMS_PROVIDER: "fake" }))
    const webhook = signed(TwilioDouble.inboundForm({ from: client1, to: line1, body: "hello" }))
    expect((await post(messagesPath, webhook.body, webhook.headers)).status).toBe(404)
  })
})
