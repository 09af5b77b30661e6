import { Context, type Effect } from "effect"
import type { ChannelId, ChatRoomId, OrganisationId, StaffId, ThreadId } from "../Ids.js"
import type { ParticipantRef } from "../Thread.js"

/** A nudge to staff that a channel changed. It names the channel only: never content or a client's name. */
export interface ChannelNotification {
  readonly _tag: "ChannelActivity"
  readonly organisationId: OrganisationId
  readonly channelId: ChannelId
  readonly kind: "inbound" | "outbound" | "status"
  readonly staffIds: ReadonlyArray<StaffId>
  /** Crisis words or similar: the UI should interrupt. */
  readonly urgent: boolean
}

/**
 * A nudge that a portal thread has a new message, for every participant but its author (staff pages
 * refresh, e-mail says "you have a new secure message"). Ids only: never a subject, body or name.
 */
export interface PortalNotification {
  readonly _tag: "PortalActivity"
  readonly organisationId: OrganisationId
  readonly threadId: ThreadId
  readonly recipients: ReadonlyArray<ParticipantRef>
}

/** A nudge to a staff chat room's members that a message was posted. Ids only: never the text or a name. */
export interface StaffChatNotification {
  readonly _tag: "StaffChatActivity"
  readonly organisationId: OrganisationId
  readonly roomId: ChatRoomId
  /** The room's members (the author included: their other windows follow too). */
  readonly staffIds: ReadonlyArray<StaffId>
  readonly authorId: StaffId
}

export type Notification = ChannelNotification | StaffChatNotification | PortalNotification

export class Notifier extends Context.Service<Notifier, {
  readonly publish: (notification: Notification) => Effect.Effect<void>
}>()("@careline/core/Notifier") {}
