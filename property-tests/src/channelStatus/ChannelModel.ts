import type { InboxFilter } from "@careline/core"

export type ModelStatus = "unread" | "open" | "done"

/** What the rules say one channel on the coordinator's line looks like, as the coordinator sees it. */
export interface ModelChannel {
  status: ModelStatus
  archived: boolean
  /** Client texts since the channel was last opened, replied in or marked. */
  unreadCount: number
  /** The coordinator's own preferences: hidden ("deleted" from their inbox) and muted. */
  hidden: boolean
  muted: boolean
  messages: number
}

/** One channel per client (by index into the scenario's clients), created by the first message either way. */
export interface ChannelStatusModel {
  readonly channels: Map<number, ModelChannel>
}

export const initialModel = (): ChannelStatusModel => ({ channels: new Map() })

export const filters: ReadonlyArray<InboxFilter> = ["all", "unread", "open", "done", "archived"]

/** A new channel starts `done`, unarchived, with nothing unread. */
const channelOf = (model: ChannelStatusModel, client: number): ModelChannel => {
  const existing = model.channels.get(client)
  if (existing !== undefined) return existing
  const created: ModelChannel = { status: "done", archived: false, unreadCount: 0, hidden: false, muted: false, messages: 0 }
  model.channels.set(client, created)
  return created
}

/** A client's text: unread, un-archived, shown again to whoever hid it. */
export const modelInbound = (model: ChannelStatusModel, client: number): void => {
  const channel = channelOf(model, client)
  channel.status = "unread"
  channel.archived = false
  channel.hidden = false
  channel.unreadCount += 1
  channel.messages += 1
}

/** Opening the channel or replying in it reads it: `unread` becomes `open`; `open` and `done` stay. */
const read = (channel: ModelChannel): void => {
  if (channel.status === "unread") channel.status = "open"
  channel.unreadCount = 0
}

export const modelOpened = (model: ChannelStatusModel, client: number): void => read(channelOf(model, client))

export const modelReply = (model: ChannelStatusModel, client: number): void => {
  const channel = channelOf(model, client)
  read(channel)
  channel.messages += 1
}

/** Mark open / mark done work from any status, and the channel counts as read. */
export const modelMark = (model: ChannelStatusModel, client: number, status: "open" | "done"): void => {
  const channel = channelOf(model, client)
  channel.status = status
  channel.unreadCount = 0
}

/** The inbox filters: "archived" lists only archived channels, the others only unarchived ones. */
export const listedUnder = (channel: ModelChannel, filter: InboxFilter): boolean => {
  if (channel.hidden) return false
  if (filter === "archived") return channel.archived
  return !channel.archived && (filter === "all" || channel.status === filter)
}
