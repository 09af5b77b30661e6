import * as http from "node:http"
import { type OutboundSms, ProviderMessageId, SmsProvider, type SmsSendFailed } from "@careline/core"
import { Clock, Effect, Layer, Result, Schema } from "effect"
import twilio from "twilio"
import type RequestClient from "twilio/lib/base/RequestClient.js"
import type * as TwilioResponse from "twilio/lib/http/response.js"
import { problemsOf } from "./SchemaProblems.js"
import { failureOf, toSendFailed, TwilioHttpError } from "./TwilioErrors.js"

const HttpUrl = Schema.String.check(
  Schema.makeFilter((s: string) => {
    try {
      const url = new URL(s)
      return (url.protocol === "https:" || url.protocol === "http:") && url.search === "" && url.hash === ""
    } catch {
      return false
    }
  }, { message: "an http(s) URL without query or fragment, like https://careline.example.org" })
)

/**
 * The adapter's settings. `apiBaseUrl` points the SDK somewhere other than Twilio (a test double,
 * a proxy); `statusCallbackBaseUrl` is our public base URL, so each send asks Twilio to post its
 * status callbacks to `${statusCallbackBaseUrl}/webhooks/twilio/status?outboxId=…`.
 *
 * @example
 * TwilioSms.layer({ accountSid: "AC…", authToken: process.env.TWILIO_AUTH_TOKEN!, statusCallbackBaseUrl: "https://careline.example.org" })
 */
export const TwilioConfig = Schema.Struct({
  accountSid: Schema.String.check(
    Schema.isPattern(/^AC[0-9a-fA-F]{32}$/, { message: "a Twilio Account SID: \"AC\" then 32 hex characters, as shown in the Twilio Console" })
  ),
  authToken: Schema.String.check(Schema.isNonEmpty({ message: "the account's Auth Token from the Twilio Console; it is empty" })),
  apiBaseUrl: Schema.optional(HttpUrl),
  statusCallbackBaseUrl: Schema.optional(HttpUrl),
  timeoutMs: Schema.optional(
    Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 120_000 }, { message: "a whole number of milliseconds from 1 to 120000" }))
  )
})
export type TwilioConfig = typeof TwilioConfig.Encoded

/** The default time to wait for Twilio's answer before calling a send `Indeterminate`. */
export const defaultTimeoutMs = 10_000

/** The layer was given settings it cannot work with; `problems` names each field and what it needs. */
export class TwilioConfigInvalid extends Schema.TaggedError<TwilioConfigInvalid>()("TwilioConfigInvalid", {
  problems: Schema.Array(Schema.String)
}) {
  override get message() {
    return `The Twilio settings are invalid: ${this.problems.join("; ")}.`
  }
}

/**
 * The status callback URL for one send; the outbox id lets the callback find its message even
 * when the answer to the send itself was lost.
 *
 * @example
 * statusCallbackUrl("https://careline.example.org/", "out_1") // "https://careline.example.org/webhooks/twilio/status?outboxId=out_1"
 */
export const statusCallbackUrl = (base: string, outboxId: string): string =>
  `${base.replace(/\/+$/, "")}/webhooks/twilio/status?outboxId=${encodeURIComponent(outboxId)}`

/**
 * `https://api.twilio.com/2010-04-01/…` → `${base}/2010-04-01/…`, keeping any path the base has.
 * Any host is replaced, not only `api.twilio.com`: `TWILIO_EDGE`/`TWILIO_REGION` in the environment
 * rename it, and a configured base must still win.
 */
const rebase = (uri: string, base: string): string => {
  const { pathname, search } = new URL(uri)
  return base.replace(/\/+$/, "") + pathname + search
}

/**
 * The SDK's own HTTP client, changed in two ways: it sends to `apiBaseUrl` (the SDK's `edge` and
 * `region` only rename the host), and a non-2xx answer is thrown with its headers, which the SDK's
 * `RestException` would drop. SDK auto-retry stays off: retrying is the outbox's decision.
 */
class TwilioHttpClient extends twilio.RequestClient {
  constructor(readonly baseUrl: string | undefined, timeoutMs: number) {
    super({ timeout: timeoutMs, autoRetry: false })
    // The SDK only builds an https agent; a plain-http base (a local double) gets its own, closed with the layer.
    this.axios.defaults.httpAgent = new http.Agent({ keepAlive: true })
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioResponse.default<TData>> {
    const uri = this.baseUrl === undefined ? opts.uri : rebase(opts.uri, this.baseUrl)
    const response = await super.request<TData>({ ...opts, uri })
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new TwilioHttpError(response.statusCode, response.body, response.headers ?? {})
    }
    return response
  }

  destroy(): void {
    this.axios.defaults.httpAgent?.destroy()
    this.axios.defaults.httpsAgent?.destroy()
  }
}

const decodeConfig = (config: TwilioConfig) =>
  Result.mapError(Schema.decodeUnknownResult(TwilioConfig, { errors: "all" })(config), (error) =>
    new TwilioConfigInvalid({ problems: problemsOf(error) }))

/**
 * Provides `SmsProvider` over Twilio's Messages API, using the official `twilio` client. Every
 * Twilio failure is mapped to `SmsSendFailed` (see `toSendFailed`); a bad config fails the layer
 * with `TwilioConfigInvalid`. Sockets are released when the layer's scope closes.
 *
 * @example
 * const Live = TwilioSms.layer({ accountSid, authToken, statusCallbackBaseUrl: "https://careline.example.org" })
 * const id = await Effect.runPromise(SmsProvider.use((p) => p.send(sms)).pipe(Effect.provide(Live)))
 */
export const layer = (config: TwilioConfig): Layer.Layer<SmsProvider, TwilioConfigInvalid> =>
  Layer.effect(
    SmsProvider,
    Effect.gen(function* () {
      const settings = yield* Effect.fromResult(decodeConfig(config))
      const httpClient = yield* Effect.acquireRelease(
        Effect.sync(() => new TwilioHttpClient(settings.apiBaseUrl, settings.timeoutMs ?? defaultTimeoutMs)),
        (client) => Effect.sync(() => client.destroy())
      )
      const client = twilio(settings.accountSid, settings.authToken, { httpClient })
      const callbackBase = settings.statusCallbackBaseUrl

      const send = (sms: OutboundSms): Effect.Effect<ProviderMessageId, SmsSendFailed> =>
        Effect.tryPromise({
          try: () =>
            client.messages.create({
              from: sms.from,
              to: sms.to,
              body: sms.body,
              ...(callbackBase === undefined ? {} : { statusCallback: statusCallbackUrl(callbackBase, sms.outboxId) })
            }),
          catch: failureOf
        }).pipe(
          Effect.flatMap((message) =>
            // Twilio took the text but its answer has no id: it was sent, and we cannot tell which it is.
            typeof message.sid === "string" && message.sid.length > 0
              ? Effect.succeed(ProviderMessageId.make(message.sid))
              : Effect.fail({ _tag: "NoAnswer", cause: "missing_sid" } as const)
          ),
          Effect.catch((failure) => Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(toSendFailed(failure, now))))
        )

      return SmsProvider.of({ send })
    })
  )
