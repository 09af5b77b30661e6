import { type OutboundSms, OutboxId, SmsProvider, SmsSendFailed } from "@careline/core"
import { phone, runWith, smsProviderSuite } from "@careline/testkit"
import { Effect, Exit, Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { TwilioConfigInvalid, TwilioDouble, TwilioSms } from "./index.js"

const double = await TwilioDouble.start()
afterAll(() => double.close())

const config = (overrides: Partial<TwilioSms.TwilioConfig> = {}): TwilioSms.TwilioConfig => ({
  accountSid: double.accountSid,
  authToken: double.authToken,
  apiBaseUrl: double.url,
  timeoutMs: 300,
  ...overrides
})

smsProviderSuite("twilio (double)", TwilioSms.layer(config()).pipe(Layer.orDie))

const sms = (n: number, to = phone(2)): OutboundSms => ({ outboxId: OutboxId.make(`out_${n}`), from: phone(1), to, body: `hello ${n}` })
const send = (message: OutboundSms, overrides: Partial<TwilioSms.TwilioConfig> = {}) =>
  runWith(TwilioSms.layer(config(overrides)))(Effect.exit(SmsProvider.use((p) => p.send(message))))

/** Sends once with the next answer faulted, and returns the failure and the requests it made. */
const sendFaulted = async (fault: TwilioDouble.Fault) => {
  double.fail(fault)
  const before = double.requests.length
  const exit = await send(sms(1))
  return { exit, requests: double.requests.length - before }
}

describe("TwilioSms sends", () => {
  it("posts From, To and Body with the account's Basic auth, and returns Twilio's sid", async () => {
    const before = double.requests.length
    const exit = await send(sms(7))
    expect(Exit.isSuccess(exit) && exit.value).toMatch(/^SM[0-9a-f]{32}$/)
    const [request] = double.requests.slice(before)
    expect(request).toMatchObject({
      method: "POST",
      path: `/2010-04-01/Accounts/${double.accountSid}/Messages.json`,
      authorized: true,
      params: { From: phone(1), To: phone(2), Body: "hello 7" }
    })
    expect(request!.params).not.toHaveProperty("StatusCallback")
  })

  it("asks for status callbacks at our URL, carrying the outbox id", async () => {
    const before = double.requests.length
    await send({ ...sms(1), outboxId: OutboxId.make("out 1/&?") }, { statusCallbackBaseUrl: "https://careline.example.org/" })
    const callback = double.requests[before]!.params["StatusCallback"]
    expect(callback).toBe("https://careline.example.org/webhooks/twilio/status?outboxId=out%201%2F%26%3F")
    expect(new URL(callback!).searchParams.get("outboxId")).toBe("out 1/&?")
  })

  it("still sends to apiBaseUrl when TWILIO_EDGE / TWILIO_REGION would rename Twilio's host", async () => {
    const saved = { edge: process.env["TWILIO_EDGE"], region: process.env["TWILIO_REGION"] }
    process.env["TWILIO_EDGE"] = "sydney"
    process.env["TWILIO_REGION"] = "au1"
    try {
      expect(Exit.isSuccess(await send(sms(1)))).toBe(true)
    } finally {
      for (const [key, value] of [["TWILIO_EDGE", saved.edge], ["TWILIO_REGION", saved.region]] as const) {
        if (value === undefined) delete process.env[key]
        else process.env[key] = value
      }
    }
  })
})

describe("TwilioSms maps Twilio's answers", () => {
  const failed = (reason: SmsSendFailed["reason"], code: string, retryAfterMs?: number) =>
    Exit.fail(new SmsSendFailed({ reason, code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }))

  it("21610 (recipient unsubscribed) → RecipientUnsubscribed", async () => {
    const { exit } = await sendFaulted({ _tag: "Error", status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" })
    expect(exit).toEqual(failed("RecipientUnsubscribed", "21610"))
  })

  it("21211 (invalid 'To') → InvalidNumber, also when Twilio itself finds the number bad", async () => {
    expect((await sendFaulted({ _tag: "Error", status: 400, code: 21211 })).exit).toEqual(failed("InvalidNumber", "21211"))
    // The double validates 'To' like Twilio; `+1` passes our type only through a cast, as a bad import might.
    expect(await send(sms(1, "+1" as OutboundSms["to"]))).toEqual(failed("InvalidNumber", "21211"))
  })

  it("21614 (not a mobile number) → InvalidNumber", async () => {
    expect((await sendFaulted({ _tag: "Error", status: 400, code: 21614 })).exit).toEqual(failed("InvalidNumber", "21614"))
  })

  it("429 → Transient, waiting as long as Retry-After says", async () => {
    const { exit } = await sendFaulted({ _tag: "Error", status: 429, code: 20429, retryAfter: "7" })
    expect(exit).toEqual(failed("Transient", "20429", 7000))
  })

  it("429 without Retry-After → Transient with no wait given", async () => {
    expect((await sendFaulted({ _tag: "Error", status: 429, code: 20429 })).exit).toEqual(failed("Transient", "20429"))
  })

  it("500 → Indeterminate, and the SDK does not re-send it", async () => {
    const { exit, requests } = await sendFaulted({ _tag: "Error", status: 500, code: 20500 })
    expect(exit).toEqual(failed("Indeterminate", "20500"))
    expect(requests).toBe(1)
    expect((await sendFaulted({ _tag: "Error", status: 503 })).exit).toEqual(failed("Indeterminate", "http_503"))
  })

  it("no answer within timeoutMs → Indeterminate (the request reached Twilio)", async () => {
    const started = performance.now()
    const { exit, requests } = await sendFaulted({ _tag: "Hang" })
    expect(exit).toEqual(failed("Indeterminate", "timeout"))
    expect(requests).toBe(1)
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it("connection dropped after the request was sent → Indeterminate", async () => {
    const { exit, requests } = await sendFaulted({ _tag: "CloseSocket" })
    expect(exit).toEqual(failed("Indeterminate", "ECONNRESET"))
    expect(requests).toBe(1)
  })

  it("connection refused (nothing listening) → Transient: it never left", async () => {
    const gone = await TwilioDouble.start()
    await gone.close()
    expect(await send(sms(1), { apiBaseUrl: gone.url })).toEqual(failed("Transient", "ECONNREFUSED"))
  })

  it("a wrong auth token → Rejected with Twilio's code", async () => {
    expect(await send(sms(1), { authToken: "not-the-token" })).toEqual(failed("Rejected", "20003"))
  })

  it("any other 4xx → Rejected with Twilio's code", async () => {
    expect((await sendFaulted({ _tag: "Error", status: 400, code: 21606 })).exit).toEqual(failed("Rejected", "21606"))
  })
})

describe("TwilioSms config", () => {
  it("fails the layer with every problem, named by field, without echoing secrets", async () => {
    const failure = await Effect.runPromise(Effect.flip(Effect.scoped(Layer.build(TwilioSms.layer({
      accountSid: "SK123",
      authToken: "",
      apiBaseUrl: "ftp://x",
      statusCallbackBaseUrl: "careline.org",
      timeoutMs: 0
    })))))
    expect(failure).toBeInstanceOf(TwilioConfigInvalid)
    expect(failure.problems).toEqual([
      "accountSid: a Twilio Account SID: \"AC\" then 32 hex characters, as shown in the Twilio Console",
      "authToken: the account's Auth Token from the Twilio Console; it is empty",
      "apiBaseUrl: an http(s) URL without query or fragment, like https://careline.example.org",
      "statusCallbackBaseUrl: an http(s) URL without query or fragment, like https://careline.example.org",
      "timeoutMs: a whole number of milliseconds from 1 to 120000"
    ])
    expect(failure.message).toMatch(/^The Twilio settings are invalid: accountSid: /)
    expect(failure.message).not.toContain("SK123")
  })

  it("accepts a minimal config: Twilio's own API and the default timeout", async () => {
    const built = await Effect.runPromiseExit(Effect.scoped(Layer.build(TwilioSms.layer({ accountSid: double.accountSid, authToken: "token" }))))
    expect(Exit.isSuccess(built)).toBe(true)
  })
})
