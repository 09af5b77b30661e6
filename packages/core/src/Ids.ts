import { Schema } from "effect"

/** Identifiers are opaque branded strings; a ChannelId can never be passed where a ClientId is due. */
export const OrganisationId = Schema.String.pipe(Schema.brand("OrganisationId"))
export type OrganisationId = typeof OrganisationId.Type
export const StaffId = Schema.String.pipe(Schema.brand("StaffId"))
export type StaffId = typeof StaffId.Type
export const ClientId = Schema.String.pipe(Schema.brand("ClientId"))
export type ClientId = typeof ClientId.Type
export const LineId = Schema.String.pipe(Schema.brand("LineId"))
export type LineId = typeof LineId.Type
export const QueueId = Schema.String.pipe(Schema.brand("QueueId"))
export type QueueId = typeof QueueId.Type
export const ChannelId = Schema.String.pipe(Schema.brand("ChannelId"))
export type ChannelId = typeof ChannelId.Type
export const MessageId = Schema.String.pipe(Schema.brand("MessageId"))
export type MessageId = typeof MessageId.Type
export const OutboxId = Schema.String.pipe(Schema.brand("OutboxId"))
export type OutboxId = typeof OutboxId.Type
export const ThreadId = Schema.String.pipe(Schema.brand("ThreadId"))
export type ThreadId = typeof ThreadId.Type
export const AuditEventId = Schema.String.pipe(Schema.brand("AuditEventId"))
export type AuditEventId = typeof AuditEventId.Type
/** The id the SMS provider gave a message (Twilio's `MessageSid`); unique per provider. */
export const ProviderMessageId = Schema.String.pipe(Schema.check(Schema.isMinLength(1)), Schema.brand("ProviderMessageId"))
export type ProviderMessageId = typeof ProviderMessageId.Type

/** Epoch milliseconds, the one time representation the core uses (from Effect's `Clock`). */
export const Millis = Schema.Number.check(Schema.isInt())
export type Millis = typeof Millis.Type
