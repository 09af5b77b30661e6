import { Schema } from "effect"
import { ChannelId, ClientId, LineId, Millis, OrganisationId } from "./Ids.js"
import { PhoneNumber } from "./PhoneNumber.js"

/** unread: client replies not yet opened; open: read, action pending; done: read, nothing pending (S3). */
export const ChannelStatus = Schema.Literals(["unread", "open", "done"])
export type ChannelStatus = typeof ChannelStatus.Type

/** One private conversation per (line, client phone). Never shared between personal lines (S0). */
export const Channel = Schema.Struct({
  id: ChannelId,
  organisationId: OrganisationId,
  lineId: LineId,
  phone: PhoneNumber,
  /** Absent while the number is an unknown contact (S4). */
  clientId: Schema.optional(ClientId),
  status: ChannelStatus,
  archived: Schema.Boolean,
  repliesAllowed: Schema.Boolean,
  /** Secret token of the channel's reply link; absent when revoked or never issued. */
  replyToken: Schema.optional(Schema.String),
  unreadCount: Schema.Number,
  createdAt: Millis,
  lastActivityAt: Millis,
  /** Start of the closed period whose after-hours auto-reply this channel already got. */
  afterHoursRepliedFor: Schema.optional(Millis),
  /** When a message with a crisis word arrived; the channel stays urgent until staff mark it done. */
  urgentSince: Schema.optional(Millis)
})
export type Channel = typeof Channel.Type

/** What happens to a channel; the status machine below is the single place that maps them to states. */
export type ChannelEvent =
  | { readonly _tag: "InboundReceived"; readonly at: number }
  | { readonly _tag: "OutboundSent"; readonly at: number }
  | { readonly _tag: "Opened" }
  | { readonly _tag: "MarkedOpen" }
  | { readonly _tag: "MarkedDone" }
  | { readonly _tag: "Archived" }
  | { readonly _tag: "Unarchived" }

export const nextStatus = (status: ChannelStatus, event: ChannelEvent): ChannelStatus => {
  switch (event._tag) {
    case "InboundReceived":
      return "unread"
    case "OutboundSent":
    case "Opened":
      return status === "unread" ? "open" : status
    case "MarkedOpen":
      return "open"
    case "MarkedDone":
      return "done"
    case "Archived":
    case "Unarchived":
      return status
  }
}

/** Applies an event: status, unread count, archive flag and activity time move together. */
export const applyChannelEvent = (channel: Channel, event: ChannelEvent): Channel => {
  const status = nextStatus(channel.status, event)
  switch (event._tag) {
    case "InboundReceived":
      return { ...channel, status, archived: false, unreadCount: channel.unreadCount + 1, lastActivityAt: Math.max(channel.lastActivityAt, event.at) }
    case "OutboundSent":
      return { ...channel, status, unreadCount: status === "unread" ? channel.unreadCount : 0, lastActivityAt: Math.max(channel.lastActivityAt, event.at) }
    case "Archived":
      return { ...channel, archived: true }
    case "Unarchived":
      return { ...channel, archived: false }
    case "MarkedDone": {
      const { urgentSince: _handled, ...rest } = channel
      return { ...rest, status, unreadCount: 0 }
    }
    case "Opened":
    case "MarkedOpen":
      return { ...channel, status, unreadCount: 0 }
  }
}

export interface NewChannel {
  readonly id: ChannelId
  readonly organisationId: OrganisationId
  readonly lineId: LineId
  readonly phone: PhoneNumber
  readonly clientId: ClientId | undefined
  readonly now: number
}

/** A channel is created by its first message, either way; replies are allowed until staff turn them off. */
export const newChannel = (input: NewChannel): Channel => ({
  id: input.id,
  organisationId: input.organisationId,
  lineId: input.lineId,
  phone: input.phone,
  ...(input.clientId === undefined ? {} : { clientId: input.clientId }),
  status: "done",
  archived: false,
  repliesAllowed: true,
  unreadCount: 0,
  createdAt: input.now,
  lastActivityAt: input.now
})

/** Per staff member: muted notifications and "deleted" (hidden from their inbox only; history stays). */
export const ChannelPreference = Schema.Struct({
  muted: Schema.Boolean,
  hidden: Schema.Boolean
})
export type ChannelPreference = typeof ChannelPreference.Type
export const defaultPreference: ChannelPreference = { muted: false, hidden: false }

export const InboxFilter = Schema.Literals(["all", "unread", "open", "done", "archived"])
export type InboxFilter = typeof InboxFilter.Type

/** "all" and the status filters show unarchived channels; "archived" shows only archived ones (S2). */
export const matchesFilter = (channel: Channel, filter: InboxFilter): boolean => {
  if (filter === "archived") return channel.archived
  if (channel.archived) return false
  return filter === "all" || channel.status === filter
}

/** Newest activity first; ties broken by id so the order is total and stable. */
export const byNewestActivity = (a: Channel, b: Channel): number =>
  b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
