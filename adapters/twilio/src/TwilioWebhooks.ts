import { type InboundMedia, type InboundSms, OutboxId, PhoneNumber, ProviderMessageId, type StatusUpdate } from "@careline/core"
import { Result, Schema } from "effect"
import twilio from "twilio"
import { problemsOf } from "./SchemaProblems.js"
import { unsubscribedCodes } from "./TwilioErrors.js"

/** A webhook's form or query could not be read; `problems` names each field and what it needs. */
export class WebhookInvalid extends Schema.TaggedError<WebhookInvalid>()("WebhookInvalid", {
  problems: Schema.Array(Schema.String)
}) {
  override get message() {
    return `The Twilio webhook is not valid: ${this.problems.join("; ")}.`
  }
}

/**
 * Checks `X-Twilio-Signature` with the package's `validateRequest`. Either token may match, so
 * the auth token can be rotated without dropping webhooks. `url` is the full public URL Twilio
 * called (with its query); `params` the POSTed form fields.
 *
 * @example
 * verifySignature({ authToken, url: "https://careline.example.org/webhooks/twilio/inbound", params: form, signature: header })
 */
export const verifySignature = (input: {
  readonly authToken: string
  readonly secondaryAuthToken?: string | undefined
  readonly url: string
  readonly params: Readonly<Record<string, string>>
  readonly signature: string | undefined
}): boolean => {
  const { signature } = input
  if (signature === undefined || signature === "") return false
  return [input.authToken, input.secondaryAuthToken].some((token) => {
    if (token === undefined || token === "") return false
    try {
      return twilio.validateRequest(token, signature, input.url, input.params)
    } catch {
      return false // an unparseable URL
    }
  })
}

/** A text received over Twilio: the neutral `InboundSms` plus what only Twilio tells us. */
export interface TwilioInbound extends InboundSms {
  readonly messagingServiceSid?: string
  /** Set when Twilio's Advanced Opt-Out recognised the text as an opt-out, opt-in or help keyword. */
  readonly optOutType?: "STOP" | "START" | "HELP"
}

const MessageSid = Schema.String.check(
  Schema.isPattern(/^(SM|MM)[0-9a-fA-F]{32}$/, { message: "a Twilio message SID: SM or MM then 32 hex characters" })
)
const MediaUrl = Schema.String.check(Schema.isPattern(/^https?:\/\/\S+$/, { message: "an http(s) URL" }))
const ContentType = Schema.String.check(Schema.isPattern(/^[\w.+-]+\/[\w.+-]+/, { message: "a media type, like image/jpeg" }))

const InboundFields = Schema.Struct({
  MessageSid,
  From: PhoneNumber,
  To: PhoneNumber,
  // Twilio always sends Body, empty for a picture-only MMS; a missing one is read as empty.
  Body: Schema.optional(Schema.String),
  NumMedia: Schema.optional(Schema.String.check(Schema.isPattern(/^(10|\d)$/, { message: "a count of media from 0 to 10" }))),
  MessagingServiceSid: Schema.optional(
    Schema.String.check(Schema.isPattern(/^MG[0-9a-fA-F]{32}$/, { message: "a Messaging Service SID: MG then 32 hex characters" }))
  ),
  OptOutType: Schema.optional(Schema.Literals(["STOP", "START", "HELP"]))
})

/** Media items declared by `NumMedia`; an invalid count declares none (the count itself is reported). */
const mediaCount = (form: Readonly<Record<string, string>>): number => {
  const count = form["NumMedia"]
  return count !== undefined && /^(10|\d)$/.test(count) ? Number(count) : 0
}

/** `MediaUrl0`, `MediaContentType0`, … for the declared count, so each missing one is named. */
const MediaFields = (count: number) => {
  const fields: Record<string, typeof MediaUrl> = {}
  for (let i = 0; i < count; i++) {
    fields[`MediaUrl${i}`] = MediaUrl
    fields[`MediaContentType${i}`] = ContentType
  }
  return Schema.Struct(fields)
}

/** A decoder reporting every problem; made once per schema, as making one is most of a decode's cost. */
const decoderOf = <S extends Schema.ConstraintDecoder<unknown>>(schema: S) => Schema.decodeUnknownResult(schema, { errors: "all" })

const decodeInboundFields = decoderOf(InboundFields)
/** By declared count (0–10). */
const decodeMediaFields = Array.from({ length: 11 }, (_, count) => decoderOf(MediaFields(count)))

const problemsIn = (result: Result.Result<unknown, Schema.SchemaError>): Array<string> =>
  Result.isFailure(result) ? problemsOf(result.failure) : []

/**
 * Reads Twilio's inbound-message webhook form: `MessageSid`, `From`, `To`, `Body`, `NumMedia`
 * with `MediaUrl{N}`/`MediaContentType{N}`, `MessagingServiceSid`, `OptOutType`. Every problem is
 * reported at once. Verify the signature first.
 *
 * @example
 * const inbound = yield* Effect.fromResult(parseInbound(form)) // in Effect.gen; or match on the Result directly
 */
export const parseInbound = (form: Readonly<Record<string, string>>): Result.Result<TwilioInbound, WebhookInvalid> => {
  const count = mediaCount(form)
  const fields = decodeInboundFields(form)
  const mediaFields = decodeMediaFields[count]!(form)
  if (Result.isFailure(fields) || Result.isFailure(mediaFields)) {
    return Result.fail(new WebhookInvalid({ problems: [...problemsIn(fields), ...problemsIn(mediaFields)] }))
  }
  const { MessageSid, From, To, Body, MessagingServiceSid, OptOutType } = fields.success
  const media: Array<InboundMedia> = Array.from({ length: count }, (_, i) => ({
    url: mediaFields.success[`MediaUrl${i}`]!,
    contentType: mediaFields.success[`MediaContentType${i}`]!
  }))
  return Result.succeed({
    providerMessageId: ProviderMessageId.make(MessageSid),
    from: From,
    to: To,
    body: Body ?? "",
    ...(media.length === 0 ? {} : { media }),
    ...(MessagingServiceSid === undefined ? {} : { messagingServiceSid: MessagingServiceSid }),
    ...(OptOutType === undefined ? {} : { optOutType: OptOutType })
  })
}

/**
 * Twilio's message statuses and what each means for us:
 * `accepted`/`scheduled`/`queued`/`sending` → `sending` (Twilio holds the text; it has not reached
 * the carrier), `sent` → `sent`, `delivered`/`read` → `delivered` (read implies delivered),
 * `undelivered` → `undelivered`, `failed`/`canceled` → `failed` (a canceled text never leaves).
 * `receiving`/`received` belong to inbound texts and are refused here.
 */
export const twilioStatuses = {
  accepted: "sending",
  scheduled: "sending",
  queued: "sending",
  sending: "sending",
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  undelivered: "undelivered",
  failed: "failed",
  canceled: "failed"
} as const satisfies Record<string, StatusUpdate["status"]>

const statusNames = Object.keys(twilioStatuses) as Array<keyof typeof twilioStatuses>

const StatusFields = Schema.Struct({
  MessageSid,
  MessageStatus: Schema.Literals(statusNames).annotate({
    message: `an outbound message status (${statusNames.join(", ")})`
  }),
  // Empty when there is no error; Twilio's codes are numeric.
  ErrorCode: Schema.optional(Schema.String.check(Schema.isPattern(/^\d*$/, { message: "a numeric Twilio error code" }))),
  outboxId: Schema.optional(Schema.String.check(Schema.isNonEmpty({ message: "the outbox id from the callback URL; it is empty" })))
})
const decodeStatusFields = decoderOf(StatusFields)

const dropUndefined = (record: Readonly<Record<string, string | undefined>>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined))

/** A text failed because its recipient unsubscribed (21610): the core then opts the number out. */
const unsubscribedFailure = (status: StatusUpdate["status"], errorCode: string | undefined): boolean =>
  (status === "failed" || status === "undelivered") && errorCode !== undefined && unsubscribedCodes.has(Number(errorCode))

/**
 * Reads a status callback: `MessageSid`, `MessageStatus` (mapped by `twilioStatuses`) and
 * `ErrorCode` from the form, and the `outboxId` we put in the callback URL from its query. A
 * failed or undelivered text with an unsubscribed-recipient code (21610) carries
 * `reason: "RecipientUnsubscribed"`.
 *
 * @example
 * const update = yield* Effect.fromResult(parseStatus(form, { outboxId: "out_1" }))
 */
export const parseStatus = (
  form: Readonly<Record<string, string>>,
  query: Readonly<Record<string, string | undefined>>
): Result.Result<StatusUpdate, WebhookInvalid> => {
  // Only these form fields are read, so a form can never smuggle in an `outboxId` of its own.
  const { MessageSid, MessageStatus, ErrorCode } = form
  const { outboxId } = query
  const input = { MessageSid, MessageStatus, ErrorCode, outboxId }
  return decodeStatusFields(dropUndefined(input)).pipe(
    Result.mapError((error) => new WebhookInvalid({ problems: problemsOf(error) })),
    Result.map((fields): StatusUpdate => {
      const status = twilioStatuses[fields.MessageStatus]
      const errorCode = fields.ErrorCode === "" ? undefined : fields.ErrorCode
      return {
        providerMessageId: ProviderMessageId.make(fields.MessageSid),
        status,
        ...(fields.outboxId === undefined ? {} : { outboxId: OutboxId.make(fields.outboxId) }),
        ...(errorCode === undefined ? {} : { errorCode }),
        ...(unsubscribedFailure(status, errorCode) ? { reason: "RecipientUnsubscribed" as const } : {})
      }
    })
  )
}

/** The empty TwiML document to answer Twilio's webhooks with (HTTP 200, `text/xml`): no reply. */
export const emptyTwiml = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`
