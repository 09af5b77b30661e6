import { SmsSendFailed } from "@careline/core"

/**
 * What went wrong talking to Twilio, as far as the adapter can tell:
 * - `Answered`: Twilio (or something in front of it) answered with a non-2xx status;
 * - `NotSent`: no connection was ever made, so the request cannot have left;
 * - `NoAnswer`: the connection was made but no answer came (timeout, reset), so it may have left.
 */
export type TwilioFailure =
  | {
    readonly _tag: "Answered"
    readonly status: number
    readonly code?: number
    /** The raw `Retry-After` header, when present. */
    readonly retryAfter?: string
  }
  | { readonly _tag: "NotSent"; readonly cause: string }
  | { readonly _tag: "NoAnswer"; readonly cause: string }

/**
 * A non-2xx answer, thrown by the adapter's HTTP client instead of letting the SDK build a
 * `RestException`, which drops the headers (and with them `Retry-After`).
 */
export class TwilioHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, unknown>>
  ) {
    super(`Twilio answered HTTP ${status}`)
  }
}

/** Twilio error codes meaning the recipient opted out of texts from this sender. */
export const unsubscribedCodes: ReadonlySet<number> = new Set([21610])

/**
 * Twilio error codes meaning the *recipient's* number cannot take a text: invalid 'To' (21211),
 * not a valid phone number (21217), number type without SMS (21407), invalid number (21421),
 * not reachable by SMS (21612), not a mobile number (21614). Errors about our 'From' number are
 * our configuration, so they stay `Rejected`.
 */
export const invalidNumberCodes: ReadonlySet<number> = new Set([21211, 21217, 21407, 21421, 21612, 21614])

/**
 * System error codes raised before a connection exists (refused, DNS, no route, TLS
 * certificate): nothing can have reached Twilio, so a retry cannot send twice.
 */
const notSentCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID"
])

const timeoutCodes: ReadonlySet<string> = new Set(["ECONNABORTED", "ETIMEDOUT"])

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined

const parsedBody = (body: unknown): unknown => {
  if (typeof body !== "string") return body
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

const twilioCode = (body: unknown): number | undefined => {
  const code = Number(field(parsedBody(body), "code"))
  return Number.isInteger(code) && code > 0 ? code : undefined
}

/** The system error code of a thrown network error, looking through axios and `AggregateError` wrappers. */
const systemCode = (thrown: unknown): string | undefined => {
  for (const candidate of [thrown, field(thrown, "cause"), (field(thrown, "errors") as Array<unknown> | undefined)?.[0]]) {
    const code = field(candidate, "code")
    if (typeof code === "string") return code
  }
  return undefined
}

/**
 * Classifies whatever `messages.create` threw. Anything unrecognised counts as `NoAnswer`: when in
 * doubt, assume the text may have left rather than risk sending it twice.
 */
export const failureOf = (thrown: unknown): TwilioFailure => {
  if (thrown instanceof TwilioHttpError) {
    const code = twilioCode(thrown.body)
    const retryAfter = thrown.headers["retry-after"]
    return {
      _tag: "Answered",
      status: thrown.status,
      ...(code === undefined ? {} : { code }),
      ...(typeof retryAfter === "string" ? { retryAfter } : {})
    }
  }
  const status = field(thrown, "status")
  if (typeof status === "number") {
    // The SDK's own RestException / TwilioServiceException, should one ever get through.
    const code = twilioCode(thrown)
    return { _tag: "Answered", status, ...(code === undefined ? {} : { code }) }
  }
  const code = systemCode(thrown)
  if (code !== undefined && notSentCodes.has(code)) return { _tag: "NotSent", cause: code }
  if (code !== undefined && timeoutCodes.has(code)) return { _tag: "NoAnswer", cause: "timeout" }
  return { _tag: "NoAnswer", cause: code ?? "unknown" }
}

/** An IMF-fixdate, the HTTP date form: `Wed, 21 Oct 2015 07:28:00 GMT`. */
const httpDate = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/

/**
 * `Retry-After` in milliseconds: either delay-seconds or an HTTP date (measured from `now`).
 *
 * @example
 * retryAfterMs("3", now) // 3000
 */
export const retryAfterMs = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  if (!httpDate.test(trimmed)) return undefined
  return Math.max(0, Date.parse(trimmed) - now)
}

/**
 * Maps a failure to the port's error, keeping Twilio's code as `code` (or `http_<status>`, or the
 * system error, when Twilio gave none):
 * 21610 → `RecipientUnsubscribed`; invalid or non-mobile recipient → `InvalidNumber`;
 * 429 → `Transient` with `retryAfterMs`; no connection → `Transient`;
 * 5xx, timeout or reset after connecting → `Indeterminate`; any other 4xx → `Rejected`.
 *
 * @example
 * toSendFailed({ _tag: "Answered", status: 400, code: 21610 }, now) // SmsSendFailed{ reason: "RecipientUnsubscribed", code: "21610" }
 */
export const toSendFailed = (failure: TwilioFailure, now: number): SmsSendFailed => {
  switch (failure._tag) {
    case "NotSent":
      return new SmsSendFailed({ reason: "Transient", code: failure.cause })
    case "NoAnswer":
      return new SmsSendFailed({ reason: "Indeterminate", code: failure.cause })
    case "Answered": {
      const code = failure.code === undefined ? `http_${failure.status}` : String(failure.code)
      if (failure.code !== undefined && unsubscribedCodes.has(failure.code)) return new SmsSendFailed({ reason: "RecipientUnsubscribed", code })
      if (failure.code !== undefined && invalidNumberCodes.has(failure.code)) return new SmsSendFailed({ reason: "InvalidNumber", code })
      if (failure.status === 429) {
        const wait = retryAfterMs(failure.retryAfter, now)
        return new SmsSendFailed({ reason: "Transient", code, ...(wait === undefined ? {} : { retryAfterMs: wait }) })
      }
      // A 4xx says Twilio refused the request as it stood; anything else (5xx, 3xx) may have sent it.
      if (failure.status >= 400 && failure.status < 500) return new SmsSendFailed({ reason: "Rejected", code })
      return new SmsSendFailed({ reason: "Indeterminate", code })
    }
  }
}
