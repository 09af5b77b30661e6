import { Context, type Effect } from "effect"
import type { ChannelId, OrganisationId, StaffId } from "../Ids.js"

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

export type Notification = ChannelNotification

export class Notifier extends Context.Service<Notifier, {
  readonly publish: (notification: Notification) => Effect.Effect<void>
}>()("@careline/core/Notifier") {}
