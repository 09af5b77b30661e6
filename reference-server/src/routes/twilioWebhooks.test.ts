import { LibsqlDatabase } from "@careline/adapter-libsql"
import { emptyTwiml, TwilioDouble } from "@careline/adapter-twilio"
import { phone } from "@careline/testkit"
import { Effect } from "effect"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../testing/TestServer.js"
import {
  channelMessages,
  consentState,
  dispatchOnce,
  postWebhook,
  publicBaseUrl,
  systemTexts,
  textIn,
  twilioEnv
} from "../testing/Twilio.js"

const double = await TwilioDouble.start()
afterAll(() => double.close())

const client1 = world.clients.c1.phones[0]!.number
const line1 = world.lines.spec1.number
const path = "/webhooks/twilio/messages"

let server: TestServer
const start = async (extra: Record<string, string> = {}) => {
  server = await startTestServer(twilioEnv(double.url, extra))
}
afterEach(() => server.close())

describe("Twilio webhook signatures", () => {
  it("answers a validly signed inbound text with 200 and empty TwiML, and stores it", async () => {
    await start()
    const res = await textIn(server, client1, line1, "Running late")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toContain("text/xml")
    expect(await res.text()).toBe(emptyTwiml)
    const { messages } = await channelMessages(server, "spec1", client1)
    expect(messages.filter((m) => m.direction === "inbound").map((m) => m.body)).toEqual(["Running late"])
  })

  it("refuses a missing signature with 403 and stores nothing", async () => {
    await start()
    const form = TwilioDouble.inboundForm({ from: client1, to: line1, body: "hello" })
    const res = await server.app.request(path, {
      method: "POST",
      body: new URLSearchParams(form).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" }
    })
    expect(res.status).toBe(403)
    expect((await channelMessages(server, "spec1", client1)).messages).toEqual([])
    expect(server.logs.some((l) => l.level === "Warn" && l.message.includes("X-Twilio-Signature"))).toBe(true)
  })

  it("refuses a signature made with another token, or over a changed form, with 403", async () => {
    await start()
    const form = TwilioDouble.inboundForm({ from: client1, to: line1, body: "hello" })
    expect((await postWebhook(server, path, form, { authToken: "not-the-auth-token" })).status).toBe(403)
    const signed = TwilioDouble.signedWebhook({ authToken: TwilioDouble.testAuthToken, url: `${publicBaseUrl}${path}`, params: form })
    const tampered = new URLSearchParams({ ...form, Body: "STOP" }).toString()
    expect((await server.app.request(path, { method: "POST", body: tampered, headers: signed.headers })).status).toBe(403)
    expect((await channelMessages(server, "spec1", client1)).messages).toEqual([])
  })

  it("checks the URL from PUBLIC_BASE_URL, never from Host or X-Forwarded-* headers", async () => {
    await start()
    const form = TwilioDouble.inboundForm({ from: client1, to: line1, body: "hello" })
    // Signed for the attacker's host, sent with headers claiming that host: still refused.
    const forged = await postWebhook(server, path, form, {
      signedUrl: `https://evil.example${path}`,
      headers: { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }
    })
    expect(forged.status).toBe(403)
    // Signed for our public URL, whatever the headers say: accepted.
    const genuine = await postWebhook(server, path, form, { headers: { host: "internal:3000", "x-forwarded-host": "evil.example" } })
    expect(genuine.status).toBe(200)
  })

  it("accepts the secondary auth token while the primary is being rotated", async () => {
    await start({ TWILIO_AUTH_TOKEN: "the-new-token", TWILIO_AUTH_TOKEN_SECONDARY: TwilioDouble.testAuthToken })
    const form = TwilioDouble.inboundForm({ from: client1, to: line1, body: "hello" })
    expect((await postWebhook(server, path, form)).status).toBe(200)
    expect((await postWebhook(server, path, { ...form, MessageSid: TwilioDouble.sid("SM", 77) }, { authToken: "the-new-token" })).status).toBe(200)
    expect((await postWebhook(server, path, form, { authToken: "neither" })).status).toBe(403)
  })

  it("answers a signed but malformed form with 400 naming each problem", async () => {
    await start()
    const { From: _from, ...form } = TwilioDouble.inboundForm({ from: client1, to: "+1", body: "hello" })
    const res = await postWebhook(server, path, form)
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text).toContain("From: is required but missing")
    expect(text).toContain("To: a phone number in international form")
  })

  it("refuses a signed body over 64 KB with 413 and stores nothing; every answer carries the security headers", async () => {
    await start()
    const form = TwilioDouble.inboundForm({ from: client1, to: line1, body: "x".repeat(70 * 1024) })
    const res = await postWebhook(server, path, form)
    expect(res.status).toBe(413)
    expect(await res.text()).toContain("64 KB")
    expect((await channelMessages(server, "spec1", client1)).messages).toEqual([])
    const ok = await textIn(server, client1, line1, "Running late")
    for (const answer of [res, ok]) {
      expect(answer.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'")
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff")
      expect(answer.headers.get("x-frame-options")).toBe("DENY")
    }
  })

  it("answers a storage failure with 500, which Twilio retries, and the same security headers", async () => {
    await start()
    await server.runtime.runPromise(LibsqlDatabase.use((db) => Effect.sync(() => db.client.close())))
    const res = await textIn(server, client1, line1, "Running late")
    expect(res.status).toBe(500)
    expect(await res.text()).not.toMatch(/storage|sql|closed/i)
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(res.headers.get("cache-control")).toBe("no-store")
  })

  it("is not there when the provider is fake (404)", async () => {
    server = await startTestServer()
    const form = TwilioDouble.inboundForm({ from: client1, to: line1, body: "hello" })
    expect((await postWebhook(server, path, form)).status).toBe(404)
  })
})

describe("Twilio inbound delivery", () => {
  it("stores a repeated MessageSid once, answering 200 both times", async () => {
    await start()
    const sid = TwilioDouble.sid("SM", 1)
    expect((await textIn(server, client1, line1, "Can we move it?", sid)).status).toBe(200)
    expect((await textIn(server, client1, line1, "Can we move it?", sid)).status).toBe(200)
    const { messages } = await channelMessages(server, "spec1", client1)
    expect(messages.filter((m) => m.direction === "inbound")).toHaveLength(1)
  })

  it("answers a text to a number no line has with 200, and logs it", async () => {
    await start()
    const res = await textIn(server, client1, phone(8_888_888), "hello?")
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(emptyTwiml)
    expect(server.logs.some((l) => l.level === "Warn" && l.message.includes(phone(8_888_888)))).toBe(true)
  })
})

describe("consent keywords over the webhook", () => {
  it("with TWILIO_HANDLES_OPT_OUT=false, Careline asks, welcomes, confirms STOP once and helps", async () => {
    await start({ TWILIO_HANDLES_OPT_OUT: "false" })
    await textIn(server, client1, line1, "hi, is this Sam?")
    expect(await consentState(server, client1)).toBe("pending")
    await textIn(server, client1, line1, "yes")
    expect(await consentState(server, client1)).toBe("opted_in")
    await textIn(server, client1, line1, "HELP")
    await textIn(server, client1, line1, " Stop ")
    expect(await consentState(server, client1)).toBe("opted_out")
    await textIn(server, client1, line1, "STOP")
    await textIn(server, client1, line1, "HELP")
    await textIn(server, client1, line1, "START")
    expect(await consentState(server, client1)).toBe("opted_in")
    const { messages } = await channelMessages(server, "spec1", client1)
    expect(systemTexts(messages)).toEqual(["opt_in_request", "welcome", "help", "opt_out_confirmation", "welcome"])
  })

  it("with Twilio's Advanced Opt-Out (the default), records every keyword but sends no keyword reply of its own", async () => {
    await start()
    await textIn(server, client1, line1, "hello")
    await textIn(server, client1, line1, "YES")
    await textIn(server, client1, line1, "HELP")
    await textIn(server, client1, line1, "STOP")
    expect(await consentState(server, client1)).toBe("opted_out")
    await textIn(server, client1, line1, "UNSTOP")
    expect(await consentState(server, client1)).toBe("opted_in")
    const { messages } = await channelMessages(server, "spec1", client1)
    // Twilio does not send the "reply YES" request: that one is still Careline's.
    expect(systemTexts(messages)).toEqual(["opt_in_request"])
  })

  it("a STOP that arrives twice (a retried webhook) is one opt-out and at most one confirmation", async () => {
    await start({ TWILIO_HANDLES_OPT_OUT: "false" })
    await textIn(server, client1, line1, "YES")
    const sid = TwilioDouble.sid("SM", 9)
    await Promise.all([textIn(server, client1, line1, "STOP", sid), textIn(server, client1, line1, "STOP", sid)])
    const { messages } = await channelMessages(server, "spec1", client1)
    expect(systemTexts(messages)).toEqual(["welcome", "opt_out_confirmation"])
    expect(messages.filter((m) => m.body === "STOP")).toHaveLength(1)
  })
})

describe("Twilio status callbacks", () => {
  /** Opts client 1 in, sends them a text as spec 1 and hands it to the double: the outbox id and Twilio's sid. */
  const sendOne = async () => {
    await textIn(server, client1, line1, "YES")
    const sent = await server.as("spec1", "/api/v1/messages", { body: { clientId: "client_1", body: "See you at 3" } })
    expect(sent.status).toBe(202)
    const before = double.requests.length
    await dispatchOnce(server)
    const request = double.requests.slice(before).find((r) => r.params["Body"] === "See you at 3")!
    const callback = new URL(request.params["StatusCallback"]!)
    const { messages } = await channelMessages(server, "spec1", client1)
    const message = messages.find((m) => m.body === "See you at 3")!
    return { callbackPath: `${callback.pathname}${callback.search}`, sid: message.providerMessageId!, messageId: message.id }
  }

  const statusOf = async (messageId: string) =>
    (await channelMessages(server, "spec1", client1)).messages.find((m) => m.id === messageId)

  it("asks Twilio to call back at PUBLIC_BASE_URL with the outbox id, and applies the signed callback", async () => {
    await start()
    const { callbackPath, sid, messageId } = await sendOne()
    expect(callbackPath).toMatch(/^\/webhooks\/twilio\/status\?outboxId=out_/)
    const res = await postWebhook(server, callbackPath, TwilioDouble.statusForm({ messageSid: sid, status: "delivered" }))
    expect(res.status).toBe(200)
    expect((await statusOf(messageId))?.status).toBe("delivered")
  })

  it("never moves a status backwards, whatever order or how often callbacks come", async () => {
    await start()
    const { callbackPath, sid, messageId } = await sendOne()
    for (const status of ["sent", "delivered", "sent", "queued", "delivered"]) {
      expect((await postWebhook(server, callbackPath, TwilioDouble.statusForm({ messageSid: sid, status }))).status).toBe(200)
    }
    expect((await statusOf(messageId))?.status).toBe("delivered")
  })

  it("records the error code of an undelivered text", async () => {
    await start()
    const { callbackPath, sid, messageId } = await sendOne()
    await postWebhook(server, callbackPath, TwilioDouble.statusForm({ messageSid: sid, status: "undelivered", errorCode: "30003" }))
    expect(await statusOf(messageId)).toMatchObject({ status: "undelivered", errorCode: "30003" })
  })

  it("finds the message by the outbox id in the query when the send's own answer was lost", async () => {
    await start()
    await textIn(server, client1, line1, "YES")
    await server.as("spec1", "/api/v1/messages", { body: { clientId: "client_1", body: "Answer lost" } })
    double.fail({ _tag: "CloseSocket" })
    const before = double.requests.length
    await dispatchOnce(server)
    const request = double.requests.slice(before).find((r) => r.params["Body"] === "Answer lost")!
    let message = (await channelMessages(server, "spec1", client1)).messages.find((m) => m.body === "Answer lost")!
    expect(message.status).toBe("unknown")
    const callback = new URL(request.params["StatusCallback"]!)
    const sid = TwilioDouble.sid("SM", 4242)
    const res = await postWebhook(server, `${callback.pathname}${callback.search}`, TwilioDouble.statusForm({ messageSid: sid, status: "sent" }))
    expect(res.status).toBe(200)
    message = (await channelMessages(server, "spec1", client1)).messages.find((m) => m.body === "Answer lost")!
    expect(message).toMatchObject({ status: "sent", providerMessageId: sid })
  })

  it("answers a callback for a message it does not know with 200, and logs it", async () => {
    await start()
    const sid = TwilioDouble.sid("SM", 31337)
    const res = await postWebhook(server, "/webhooks/twilio/status?outboxId=out_nope", TwilioDouble.statusForm({ messageSid: sid, status: "sent" }))
    expect(res.status).toBe(200)
    expect(server.logs.some((l) => l.message.includes(sid))).toBe(true)
  })

  it("refuses an unsigned callback (403) and a malformed one (400)", async () => {
    await start()
    const form = TwilioDouble.statusForm({ messageSid: TwilioDouble.sid("SM", 1), status: "delivered" })
    expect((await postWebhook(server, "/webhooks/twilio/status", form, { authToken: "forged" })).status).toBe(403)
    const bad = await postWebhook(server, "/webhooks/twilio/status", { ...form, MessageStatus: "teleported" })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain("MessageStatus")
  })
})
