import { PhoneNumber } from "@careline/core"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { TwilioDouble } from "./index.js"
import { emptyTwiml, parseInbound, parseStatus, verifySignature, WebhookInvalid } from "./TwilioWebhooks.js"

const { inboundForm, sid, signWebhook, statusForm } = TwilioDouble

describe("verifySignature", () => {
  // Twilio's published example ("Validating Requests"); checked against the package before use.
  const vector = {
    authToken: "12345",
    url: "https://mycompany.com/myapp.php?foo=1&bar=2",
    params: { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" },
    signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
  }

  it("accepts Twilio's published test vector, which the package computes too", () => {
    expect(signWebhook(vector.authToken, vector.url, vector.params)).toBe(vector.signature)
    expect(verifySignature(vector)).toBe(true)
  })

  it("rejects any changed or added param, a changed URL, or a wrong token", () => {
    for (const key of Object.keys(vector.params) as Array<keyof typeof vector.params>) {
      expect(verifySignature({ ...vector, params: { ...vector.params, [key]: `${vector.params[key]}0` } })).toBe(false)
    }
    expect(verifySignature({ ...vector, params: { ...vector.params, Body: "STOP" } })).toBe(false)
    const { Digits: _dropped, ...fewer } = vector.params
    expect(verifySignature({ ...vector, params: fewer })).toBe(false)
    expect(verifySignature({ ...vector, url: "https://mycompany.com/myapp.php?foo=1&bar=3" })).toBe(false)
    expect(verifySignature({ ...vector, url: "https://evil.example/myapp.php?foo=1&bar=2" })).toBe(false)
    expect(verifySignature({ ...vector, authToken: "54321" })).toBe(false)
  })

  it("rejects a missing, empty or malformed signature, an empty token, and an unparseable URL", () => {
    expect(verifySignature({ ...vector, signature: undefined })).toBe(false)
    expect(verifySignature({ ...vector, signature: "" })).toBe(false)
    expect(verifySignature({ ...vector, signature: "not base64 at all" })).toBe(false)
    expect(verifySignature({ ...vector, authToken: "", signature: signWebhook("", vector.url, vector.params) })).toBe(false)
    expect(verifySignature({ ...vector, url: "not a url" })).toBe(false)
  })

  it("accepts the secondary token during rotation, and still the primary", () => {
    const url = "https://careline.example.org/webhooks/twilio/inbound"
    const params = inboundForm({ from: "+15550000002", to: "+15550000001", body: "hi" })
    const rotated = { authToken: "old-token", secondaryAuthToken: "new-token", url, params }
    expect(verifySignature({ ...rotated, signature: signWebhook("new-token", url, params) })).toBe(true)
    expect(verifySignature({ ...rotated, signature: signWebhook("old-token", url, params) })).toBe(true)
    expect(verifySignature({ ...rotated, signature: signWebhook("other-token", url, params) })).toBe(false)
    expect(verifySignature({ ...rotated, secondaryAuthToken: "", signature: signWebhook("", url, params) })).toBe(false)
  })

  it("verifies what signedWebhook builds, after a round trip through the form body", () => {
    const url = "https://careline.example.org/webhooks/twilio/status?outboxId=out_1"
    const request = TwilioDouble.signedWebhook({ authToken: "t", url, params: statusForm({ messageSid: sid("SM", 1), status: "sent" }) })
    const params = Object.fromEntries(new URLSearchParams(request.body))
    expect(verifySignature({ authToken: "t", url, params, signature: request.headers["x-twilio-signature"] })).toBe(true)
  })
})

const problems = (result: Result.Result<unknown, WebhookInvalid>) => (Result.isFailure(result) ? result.failure.problems : [])

describe("parseInbound", () => {
  const clinic = "+15550000001"
  const client = "+15550000002"

  it("reads a text into InboundSms", () => {
    const form = inboundForm({ from: client, to: clinic, body: "Running late", messageSid: sid("SM", 9) })
    expect(parseInbound(form)).toEqual(Result.succeed({
      providerMessageId: sid("SM", 9),
      from: PhoneNumber.make(client),
      to: PhoneNumber.make(clinic),
      body: "Running late"
    }))
  })

  it("reads MMS media in order, and an empty body", () => {
    const media = [
      { url: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", contentType: "image/jpeg" },
      { url: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2", contentType: "application/pdf" }
    ]
    const result = parseInbound(inboundForm({ from: client, to: clinic, body: "", media }))
    expect(Result.isSuccess(result) && result.success).toMatchObject({ body: "", media })
  })

  it("names each missing or broken media field", () => {
    const form = { ...inboundForm({ from: client, to: clinic, body: "" }), NumMedia: "2", MediaUrl0: "https://x/1", MediaContentType0: "jpeg" }
    expect(problems(parseInbound(form))).toEqual([
      "MediaContentType0: a media type, like image/jpeg",
      "MediaUrl1: is required but missing",
      "MediaContentType1: is required but missing"
    ])
    expect(problems(parseInbound({ ...form, NumMedia: "99" }))).toEqual(["NumMedia: a count of media from 0 to 10"])
  })

  it("keeps Twilio's Messaging Service and Advanced Opt-Out fields", () => {
    const messagingServiceSid = sid("MG", 3)
    const result = parseInbound(inboundForm({ from: client, to: clinic, body: "stop", messagingServiceSid, optOutType: "STOP" }))
    expect(Result.isSuccess(result) && result.success).toMatchObject({ messagingServiceSid, optOutType: "STOP" })
    expect(problems(parseInbound({ ...inboundForm({ from: client, to: clinic, body: "x" }), OptOutType: "MAYBE" }))).toEqual([
      "OptOutType: Expected \"STOP\" | \"START\" | \"HELP\""
    ])
  })

  it("reports every problem at once, readably, without echoing the values", () => {
    const { MessageSid: _missing, ...form } = inboundForm({ from: "555-1234", to: clinic, body: "hi" })
    const result = parseInbound(form)
    expect(problems(result)).toEqual([
      "MessageSid: is required but missing",
      "From: a phone number in international form, like +15551234567"
    ])
    const message = Result.isFailure(result) ? result.failure.message : ""
    expect(message).toBe("The Twilio webhook is not valid: MessageSid: is required but missing; From: a phone number in international form, like +15551234567.")
    expect(message).not.toContain("555-1234")
  })

  it("refuses a SID that is not a message SID", () => {
    expect(problems(parseInbound(inboundForm({ from: client, to: clinic, body: "x", messageSid: "CA123" })))).toEqual([
      "MessageSid: a Twilio message SID: SM or MM then 32 hex characters"
    ])
  })

  it("fails as a tagged error inside an Effect", async () => {
    const error = await Effect.runPromise(Effect.flip(Effect.fromResult(parseInbound({}))))
    expect(error).toBeInstanceOf(WebhookInvalid)
    expect(error._tag).toBe("WebhookInvalid")
    expect(error.problems).toContain("MessageSid: is required but missing")
  })
})

describe("parseStatus", () => {
  const messageSid = sid("SM", 1)

  it.each([
    ["accepted", "sending"],
    ["scheduled", "sending"],
    ["queued", "sending"],
    ["sending", "sending"],
    ["sent", "sent"],
    ["delivered", "delivered"],
    ["read", "delivered"],
    ["undelivered", "undelivered"],
    ["failed", "failed"],
    ["canceled", "failed"]
  ])("maps %s to %s", (twilio, ours) => {
    expect(parseStatus(statusForm({ messageSid, status: twilio }), {})).toEqual(Result.succeed({ providerMessageId: messageSid, status: ours }))
  })

  it("takes the outbox id from the callback URL and the error code from the form", () => {
    expect(parseStatus(statusForm({ messageSid, status: "undelivered", errorCode: "30003" }), { outboxId: "out_1" })).toEqual(
      Result.succeed({ providerMessageId: messageSid, status: "undelivered", outboxId: "out_1", errorCode: "30003" })
    )
  })

  it.each(["failed", "undelivered"])("marks %s with 21610 as the recipient having unsubscribed", (status) => {
    expect(parseStatus(statusForm({ messageSid, status, errorCode: "21610" }), { outboxId: "out_1" })).toEqual(
      Result.succeed({ providerMessageId: messageSid, status, outboxId: "out_1", errorCode: "21610", reason: "RecipientUnsubscribed" })
    )
  })

  it("gives no reason for other codes, or for 21610 on a status that is not a failure", () => {
    expect(parseStatus(statusForm({ messageSid, status: "failed", errorCode: "30007" }), {})).toEqual(
      Result.succeed({ providerMessageId: messageSid, status: "failed", errorCode: "30007" })
    )
    expect(parseStatus(statusForm({ messageSid, status: "sent", errorCode: "21610" }), {})).toEqual(
      Result.succeed({ providerMessageId: messageSid, status: "sent", errorCode: "21610" })
    )
  })

  it("treats an empty ErrorCode as none", () => {
    expect(parseStatus(statusForm({ messageSid, status: "sent", errorCode: "" }), {})).toEqual(
      Result.succeed({ providerMessageId: messageSid, status: "sent" })
    )
  })

  it("never takes an outbox id from the form", () => {
    const form = { ...statusForm({ messageSid, status: "sent" }), outboxId: "out_forged" }
    expect(parseStatus(form, {})).toEqual(Result.succeed({ providerMessageId: messageSid, status: "sent" }))
  })

  it("refuses inbound statuses and unknown ones, listing what it takes", () => {
    for (const status of ["received", "receiving", "partially_delivered", "DELIVERED"]) {
      expect(problems(parseStatus(statusForm({ messageSid, status }), {}))).toEqual([
        "MessageStatus: an outbound message status (accepted, scheduled, queued, sending, sent, delivered, read, undelivered, failed, canceled)"
      ])
    }
  })

  it("reports every problem in the form and the query", () => {
    expect(problems(parseStatus({ MessageStatus: "sent", ErrorCode: "abc" }, { outboxId: "" }))).toEqual([
      "MessageSid: is required but missing",
      "ErrorCode: a numeric Twilio error code",
      "outboxId: the outbox id from the callback URL; it is empty"
    ])
  })
})

describe("emptyTwiml", () => {
  it("is an empty TwiML response", () => {
    expect(emptyTwiml).toBe("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>")
  })
})
