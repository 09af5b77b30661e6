import { Schema } from "effect"
import { AuditEventId, ChannelId, ClientId, Millis, OrganisationId, StaffId } from "./Ids.js"

export const AuditAction = Schema.Literals([
  "channel.read",
  "channel.status",
  "channel.archive",
  "channel.mute",
  "channel.hide",
  "channel.replies",
  "channel.chart",
  "inbox.view_colleague",
  "message.send",
  "message.receive",
  "message.delete",
  "consent.change",
  "assignment.change",
  "client.create",
  "client.block",
  "staff.role",
  "queue.members",
  "organisation.settings",
  "queue.settings",
  "queue.create",
  "staff.create",
  "staff.active",
  "staff.password",
  "token.issue",
  "token.revoke",
  "client.active",
  "line.add",
  "audit.export",
  "client.phones",
  "client.portal_invite",
  "client.portal_join",
  "client.portal_remove",
  "portal.sms_read",
  "chat.start",
  "chat.send",
  "chat.read",
  "client_list.create",
  "client_list.update",
  "client_list.delete",
  "thread.send",
  "thread.read",
  "thread.mark_read",
  "thread.archive",
  "thread.delete_message",
  "thread.delete",
  "thread.quick_note",
  "thread.draft_save",
  "thread.draft_delete"
])
export type AuditAction = typeof AuditAction.Type

export const AuditActor = Schema.Union([
  Schema.TaggedStruct("Staff", { staffId: StaffId }),
  Schema.TaggedStruct("Client", {}),
  Schema.TaggedStruct("System", {})
])
export type AuditActor = typeof AuditActor.Type

/** Who did what, when, to which client. Never the content of a message. */
export const AuditEvent = Schema.Struct({
  id: AuditEventId,
  organisationId: OrganisationId,
  at: Millis,
  actor: AuditActor,
  action: AuditAction,
  clientId: Schema.optional(ClientId),
  channelId: Schema.optional(ChannelId),
  /** Ids and states only, e.g. "status=done" or "staff=s_2 assigned". */
  detail: Schema.optional(Schema.String)
})
export type AuditEvent = typeof AuditEvent.Type
