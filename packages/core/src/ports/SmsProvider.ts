import { Context, type Effect, Schema } from "effect"
import { OutboxId, ProviderMessageId } from "../Ids.js"
import { MessageMedia } from "../Message.js"
import { PhoneNumber } from "../PhoneNumber.js"

/** A text to hand to the provider. `outboxId` travels with it so a status callback can find it. */
export const OutboundSms = Schema.Struct({
  outboxId: OutboxId,
  from: PhoneNumber,
  to: PhoneNumber,
  body: Schema.String
})
export type OutboundSms = typeof OutboundSms.Type

/** A picture or file sent with an MMS; the URL is the provider's, fetched with its credentials. */
export const InboundMedia = MessageMedia
export type InboundMedia = MessageMedia

/** A text a client sent to one of our numbers, in provider-neutral form. */
export const InboundSms = Schema.Struct({
  providerMessageId: ProviderMessageId,
  from: PhoneNumber,
  to: PhoneNumber,
  body: Schema.String,
  media: Schema.optional(Schema.Array(InboundMedia))
})
export type InboundSms = typeof InboundSms.Type

/**
 * A delivery-status callback, in provider-neutral form. `outboxId` comes back from the callback URL
 * we gave the provider, so a callback is matched even when the send's own answer was lost.
 * `reason` is the provider's error code read by the adapter, when the core acts on it: a failed or
 * undelivered text to a recipient who unsubscribed (Twilio 21610) opts the number out.
 */
export const StatusUpdate = Schema.Struct({
  providerMessageId: ProviderMessageId,
  outboxId: Schema.optional(OutboxId),
  status: Schema.Literals(["sending", "sent", "delivered", "undelivered", "failed"]),
  errorCode: Schema.optional(Schema.String),
  reason: Schema.optional(Schema.Literal("RecipientUnsubscribed"))
})
export type StatusUpdate = typeof StatusUpdate.Type

/**
 * Why a send failed. `Transient` never left (safe to retry); `Indeterminate` may have left
 * (never re-sent blindly); the rest are final.
 */
export class SmsSendFailed extends Schema.TaggedError<SmsSendFailed>()("SmsSendFailed", {
  reason: Schema.Literals(["Transient", "Indeterminate", "RecipientUnsubscribed", "InvalidNumber", "Rejected"]),
  code: Schema.optional(Schema.String),
  retryAfterMs: Schema.optional(Schema.Number)
}) {
  override get message() {
    return `The SMS provider did not send the message (${this.reason}${this.code === undefined ? "" : `, code ${this.code}`}).`
  }
}

export class SmsProvider extends Context.Service<SmsProvider, {
  readonly send: (sms: OutboundSms) => Effect.Effect<ProviderMessageId, SmsSendFailed>
}>()("@careline/core/SmsProvider") {}
