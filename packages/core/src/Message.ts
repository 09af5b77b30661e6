import { Schema } from "effect"
import type { ConsentReply } from "./Consent.js"
import { DeliveryStatus } from "./DeliveryStatus.js"
import { ChannelId, MessageId, Millis, OrganisationId, ProviderMessageId, StaffId } from "./Ids.js"

/** Who wrote a message: a staff member, the client, or Careline itself (consent texts, auto-replies). */
export const MessageAuthor = Schema.Union([
  Schema.TaggedStruct("Staff", { staffId: StaffId }),
  Schema.TaggedStruct("Client", {}),
  Schema.TaggedStruct("System", {
    purpose: Schema.Literals(["opt_out_confirmation", "welcome", "help", "opt_in_request", "after_hours"])
  })
])
export type MessageAuthor = typeof MessageAuthor.Type
export type SystemPurpose = ConsentReply | "after_hours"

/**
 * A picture or file that came with an MMS: the provider's URL (fetched with the provider's
 * credentials, never shown to staff or written to the audit log) and its content type.
 */
export const MessageMedia = Schema.Struct({
  url: Schema.String,
  contentType: Schema.String
})
export type MessageMedia = typeof MessageMedia.Type

export const Message = Schema.Struct({
  id: MessageId,
  organisationId: OrganisationId,
  channelId: ChannelId,
  direction: Schema.Literals(["inbound", "outbound"]),
  author: MessageAuthor,
  body: Schema.String,
  at: Millis,
  status: DeliveryStatus,
  errorCode: Schema.optional(Schema.String),
  providerMessageId: Schema.optional(ProviderMessageId),
  /** Inbound MMS: its pictures or files, in the order the provider listed them; absent for a plain text. */
  media: Schema.optional(Schema.Array(MessageMedia)),
  /** How it went: by SMS (also when absent) or by email (S3, staff messages only). */
  medium: Schema.optional(Schema.Literals(["sms", "email"])),
  /** When it was sent to the client's clinical record (S3); absent until then. */
  chartedAt: Schema.optional(Millis),
  /** Inbound that arrived while the channel's replies were off: stored, never lost, but marked (S3). */
  receivedWhileRepliesOff: Schema.optional(Schema.Boolean),
  /** Inbound: when its reactions (consent, replies, notifications) were done; absent until then. */
  processedAt: Schema.optional(Millis),
  /** Inbound: a processor's claim on it until this time; an expired claim is taken over after a crash. */
  claimedUntil: Schema.optional(Millis)
})
export type Message = typeof Message.Type

/** Automatic texts are addressed by the consent rules themselves, not by the staff consent check. */
export const isConsentText = (author: MessageAuthor): boolean =>
  author._tag === "System" && author.purpose !== "after_hours"

/** The message with a new delivery status and error code (or none): the one way its delivery state is set. */
export const withDelivery = (message: Message, status: Message["status"], errorCode?: string): Message => {
  const { errorCode: _previous, ...rest } = message
  return { ...rest, status, ...(errorCode === undefined ? {} : { errorCode }) }
}
