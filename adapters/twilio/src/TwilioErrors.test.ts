import { SmsSendFailed } from "@careline/core"
import { describe, expect, it } from "vitest"
import { failureOf, retryAfterMs, toSendFailed, type TwilioFailure, TwilioHttpError } from "./TwilioErrors.js"

const now = Date.UTC(2026, 0, 1, 12, 0, 0)
const answered = (status: number, code?: number, retryAfter?: string): TwilioFailure => ({
  _tag: "Answered",
  status,
  ...(code === undefined ? {} : { code }),
  ...(retryAfter === undefined ? {} : { retryAfter })
})

describe("toSendFailed", () => {
  const cases: ReadonlyArray<[string, TwilioFailure, SmsSendFailed]> = [
    ["21610 unsubscribed", answered(400, 21610), new SmsSendFailed({ reason: "RecipientUnsubscribed", code: "21610" })],
    ["21211 invalid To", answered(400, 21211), new SmsSendFailed({ reason: "InvalidNumber", code: "21211" })],
    ["21614 not mobile", answered(400, 21614), new SmsSendFailed({ reason: "InvalidNumber", code: "21614" })],
    ["21612 unreachable", answered(400, 21612), new SmsSendFailed({ reason: "InvalidNumber", code: "21612" })],
    ["21212 invalid From is ours", answered(400, 21212), new SmsSendFailed({ reason: "Rejected", code: "21212" })],
    ["429 with seconds", answered(429, 20429, "2"), new SmsSendFailed({ reason: "Transient", code: "20429", retryAfterMs: 2000 })],
    ["429 without header", answered(429), new SmsSendFailed({ reason: "Transient", code: "http_429" })],
    ["500", answered(500, 20500), new SmsSendFailed({ reason: "Indeterminate", code: "20500" })],
    ["502 from a proxy", answered(502), new SmsSendFailed({ reason: "Indeterminate", code: "http_502" })],
    ["3xx", answered(302), new SmsSendFailed({ reason: "Indeterminate", code: "http_302" })],
    ["401", answered(401, 20003), new SmsSendFailed({ reason: "Rejected", code: "20003" })],
    ["refused", { _tag: "NotSent", cause: "ECONNREFUSED" }, new SmsSendFailed({ reason: "Transient", code: "ECONNREFUSED" })],
    ["timeout", { _tag: "NoAnswer", cause: "timeout" }, new SmsSendFailed({ reason: "Indeterminate", code: "timeout" })]
  ]
  for (const [name, failure, expected] of cases) {
    it(name, () => expect(toSendFailed(failure, now)).toEqual(expected))
  }
})

describe("failureOf", () => {
  const systemError = (code: string) => Object.assign(new Error(code), { code })

  it("reads status, Twilio code and Retry-After from a thrown answer, whether the body is parsed or not", () => {
    expect(failureOf(new TwilioHttpError(429, { code: 20429, message: "Too Many Requests" }, { "retry-after": "5" }))).toEqual(answered(429, 20429, "5"))
    expect(failureOf(new TwilioHttpError(400, "{\"code\":21610}", {}))).toEqual(answered(400, 21610))
    expect(failureOf(new TwilioHttpError(502, "<html>Bad Gateway</html>", {}))).toEqual(answered(502))
  })

  it("reads the SDK's own RestException shape", () => {
    expect(failureOf(Object.assign(new Error("x"), { status: 400, code: 21211 }))).toEqual(answered(400, 21211))
  })

  it("tells errors before connecting from errors after", () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]) {
      expect(failureOf(systemError(code))).toEqual({ _tag: "NotSent", cause: code })
    }
    expect(failureOf(systemError("ECONNABORTED"))).toEqual({ _tag: "NoAnswer", cause: "timeout" })
    expect(failureOf(systemError("ETIMEDOUT"))).toEqual({ _tag: "NoAnswer", cause: "timeout" })
    expect(failureOf(systemError("ECONNRESET"))).toEqual({ _tag: "NoAnswer", cause: "ECONNRESET" })
    expect(failureOf(systemError("EPIPE"))).toEqual({ _tag: "NoAnswer", cause: "EPIPE" })
  })

  it("looks through wrappers: a cause, or an AggregateError of connection attempts", () => {
    expect(failureOf(new Error("wrapped", { cause: systemError("ENOTFOUND") }))).toEqual({ _tag: "NotSent", cause: "ENOTFOUND" })
    expect(failureOf(new AggregateError([systemError("ECONNREFUSED")]))).toEqual({ _tag: "NotSent", cause: "ECONNREFUSED" })
  })

  it("treats anything unrecognised as possibly sent", () => {
    expect(failureOf(new TypeError("boom"))).toEqual({ _tag: "NoAnswer", cause: "unknown" })
    expect(failureOf("a string")).toEqual({ _tag: "NoAnswer", cause: "unknown" })
  })
})

describe("retryAfterMs", () => {
  it("reads delay-seconds and HTTP dates, and ignores nonsense", () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined()
    expect(retryAfterMs("0", now)).toBe(0)
    expect(retryAfterMs(" 30 ", now)).toBe(30_000)
    expect(retryAfterMs(new Date(now + 90_000).toUTCString(), now)).toBe(90_000)
    expect(retryAfterMs(new Date(now - 90_000).toUTCString(), now)).toBe(0)
    expect(retryAfterMs("soon", now)).toBeUndefined()
    expect(retryAfterMs("-5", now)).toBeUndefined()
  })
})
