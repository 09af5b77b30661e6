import { Effect, Option } from "effect"
import { applyChannelEvent, type Channel, type ChannelEvent, type ChannelPreference } from "../Channel.js"
import type { ChannelId, MessageId, StaffId } from "../Ids.js"
import { Conversations } from "../ports/Conversations.js"
import { Ids } from "../ports/Ids.js"
import { issueReplyToken, revokeReplyToken } from "../ReplyLink.js"
import type { Staff } from "../Staff.js"
import { audit } from "./Audit.js"
import { authorizeChannel, authorizeColleagueChannel } from "./Visibility.js"

export interface ChannelRef {
  readonly staffId: StaffId
  readonly channelId: ChannelId
}

const channelAudit = (staffId: StaffId, channel: Channel, action: Parameters<typeof audit>[0]["action"], detail?: string) =>
  audit({
    organisationId: channel.organisationId,
    actor: { _tag: "Staff", staffId },
    action,
    channelId: channel.id,
    ...(channel.clientId === undefined ? {} : { clientId: channel.clientId }),
    ...(detail === undefined ? {} : { detail })
  })

export interface ReadChannel extends ChannelRef {
  readonly limit?: number
  /** The oldest message already shown: the page holds the ones before it. */
  readonly before?: { readonly at: number; readonly id: MessageId }
  /** A supervisor or admin reading a colleague's channel (S3): read-only, leaves it unread. */
  readonly asStaffId?: StaffId
  /** The staff member `staffId` as this request has just read them, so they are not read again (see `authorizeChannel`). */
  readonly viewer?: Staff
}

/**
 * Opens a channel: returns a page of its messages (newest first) and marks it read. Every read is
 * audited, a colleague's view too.
 */
export const readChannel = (ref: ReadChannel) =>
  Effect.gen(function* () {
    const asColleague = ref.asStaffId !== undefined && ref.asStaffId !== ref.staffId
    const { channel } = asColleague
      ? yield* authorizeColleagueChannel(ref.staffId, ref.asStaffId!, ref.channelId)
      : yield* authorizeChannel(ref.staffId, ref.channelId, ref.viewer)
    const conversations = yield* Conversations
    const messages = yield* conversations.listMessages(channel.id, {
      limit: ref.limit ?? 50,
      ...(ref.before === undefined ? {} : { before: ref.before })
    })
    yield* channelAudit(ref.staffId, channel, "channel.read", asColleague ? `as=${ref.asStaffId}` : undefined)
    if (asColleague) return { channel, messages }
    const opened = yield* conversations.updateChannel(channel.id, (current) => applyChannelEvent(current, { _tag: "Opened" }))
    return { channel: Option.match(opened, { onNone: () => channel, onSome: ({ after }) => after }), messages }
  })

/** Applies a change to an authorized channel atomically, audits it, and returns the result. */
const updateAuthorized = (
  ref: ChannelRef,
  change: (channel: Channel) => Channel,
  action: Parameters<typeof audit>[0]["action"],
  detail: string
) =>
  Effect.gen(function* () {
    const { channel } = yield* authorizeChannel(ref.staffId, ref.channelId)
    const updated = yield* Conversations.use((c) => c.updateChannel(channel.id, change))
    yield* channelAudit(ref.staffId, channel, action, detail)
    return Option.match(updated, { onNone: () => change(channel), onSome: ({ after }) => after })
  })

const transition = (event: ChannelEvent, action: "channel.status" | "channel.archive", detail: string) => (ref: ChannelRef) =>
  updateAuthorized(ref, (channel) => applyChannelEvent(channel, event), action, detail)

/** From the inbox row, the channel panel or the notification centre ("mark as complete"). */
export const markOpen = transition({ _tag: "MarkedOpen" }, "channel.status", "status=open")
export const markDone = transition({ _tag: "MarkedDone" }, "channel.status", "status=done")
export const archive = transition({ _tag: "Archived" }, "channel.archive", "archived")
export const unarchive = transition({ _tag: "Unarchived" }, "channel.archive", "unarchived")

const preference = (change: (p: ChannelPreference) => ChannelPreference, action: "channel.mute" | "channel.hide", detail: string) =>
  (ref: ChannelRef) =>
    Effect.gen(function* () {
      const { channel } = yield* authorizeChannel(ref.staffId, ref.channelId)
      const conversations = yield* Conversations
      const next = change(yield* conversations.getPreference(channel.id, ref.staffId))
      yield* conversations.setPreference(channel.id, ref.staffId, next)
      yield* channelAudit(ref.staffId, channel, action, detail)
      return next
    })

/** Per staff member (S4): muting silences notifications; hiding ("delete conversation") removes it from their inbox only. */
export const mute = preference((p) => ({ ...p, muted: true }), "channel.mute", "muted")
export const unmute = preference((p) => ({ ...p, muted: false }), "channel.mute", "unmuted")
export const hide = preference((p) => ({ ...p, hidden: true }), "channel.hide", "hidden")

/** Turns client replies on or off (S3); a channel gets a reply link the first time replies are allowed. */
export const setRepliesAllowed = (ref: ChannelRef & { readonly allowed: boolean }) =>
  Effect.gen(function* () {
    const token = yield* Ids.use((ids) => ids.secret)
    return yield* updateAuthorized(
      ref,
      (channel) => ({
        ...(ref.allowed && channel.replyToken === undefined ? issueReplyToken(channel, token) : channel),
        repliesAllowed: ref.allowed
      }),
      "channel.replies",
      ref.allowed ? "replies=on" : "replies=off"
    )
  })

/** Issues a fresh reply link, revoking any earlier one. */
export const renewReplyLink = (ref: ChannelRef) =>
  Effect.gen(function* () {
    const token = yield* Ids.use((ids) => ids.secret)
    return yield* updateAuthorized(ref, (channel) => issueReplyToken(channel, token), "channel.replies", "link=renewed")
  })

export const revokeReplyLink = (ref: ChannelRef) => updateAuthorized(ref, revokeReplyToken, "channel.replies", "link=revoked")
