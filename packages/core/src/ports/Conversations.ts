import { Context, type Effect, type Option } from "effect"
import type { Channel, ChannelPreference, InboxFilter } from "../Channel.js"
import type { ChannelId, ClientId, LineId, MessageId, ProviderMessageId, StaffId } from "../Ids.js"
import type { Message, MessageMedia } from "../Message.js"
import type { OutboxEntry } from "../Outbox.js"
import type { PhoneNumber } from "../PhoneNumber.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/** A page of a channel's messages, newest first; pass the oldest one seen as `before` for the next. */
export interface MessagePage {
  readonly limit: number
  readonly before?: { readonly at: number; readonly id: MessageId }
}

/**
 * One page of a staff member's inbox, as the access policy scopes it: the lines they may use, and —
 * for a specialist — only channels of clients currently assigned to them (or of unknown numbers).
 * Newest activity first, ties by id; `after` is the last row of the previous page.
 */
export interface InboxQuery {
  /** Whose hidden/muted preferences apply. */
  readonly viewer: StaffId
  readonly lineIds: ReadonlyArray<LineId>
  readonly assignedTo?: StaffId
  readonly filter: InboxFilter
  readonly limit: number
  readonly after?: { readonly lastActivityAt: number; readonly id: ChannelId }
}

export interface InboxEntry {
  readonly channel: Channel
  readonly muted: boolean
}

/** A client's text as it arrived, addressed by numbers: the line it was sent to and the sender. */
export interface InboundDelivery {
  readonly id: MessageId
  readonly to: PhoneNumber
  readonly from: PhoneNumber
  readonly body: string
  readonly at: number
  readonly providerMessageId: ProviderMessageId
  readonly media?: ReadonlyArray<MessageMedia>
}

/**
 * What `recordRoutedInbound` did: stored the text (`message` as stored), found its provider id
 * already stored, or found no channel to put it in (no line has the number, or the line has no
 * channel with the sender yet) and stored nothing.
 */
export type RoutedInbound =
  | { readonly _tag: "Stored"; readonly message: Message }
  | { readonly _tag: "Duplicate" }
  | { readonly _tag: "Unrouted" }

/** A text taken from the inbound log by `routeLogged`, and what became of it. */
export interface LoggedInbound {
  readonly delivery: InboundDelivery
  readonly routed: RoutedInbound
}

/** The message a delivery becomes in `channel`: how both the accept path and every adapter build it. */
export const inboundMessage = (
  delivery: InboundDelivery,
  channel: Pick<Channel, "id" | "organisationId" | "repliesAllowed">
): Message => ({
  id: delivery.id,
  organisationId: channel.organisationId,
  channelId: channel.id,
  direction: "inbound",
  author: { _tag: "Client" },
  body: delivery.body,
  at: delivery.at,
  status: "received",
  providerMessageId: delivery.providerMessageId,
  ...(delivery.media === undefined || delivery.media.length === 0 ? {} : { media: delivery.media }),
  ...(channel.repliesAllowed ? {} : { receivedWhileRepliesOff: true })
})

/** Channels, their messages and per-staff preferences. */
export class Conversations extends Context.Service<Conversations, {
  readonly getChannel: (id: ChannelId) => Io<Option.Option<Channel>>
  readonly findChannel: (lineId: LineId, phone: PhoneNumber) => Io<Option.Option<Channel>>
  /** The channel whose current reply link carries this secret (S3); a revoked or renewed one finds nothing. */
  readonly findChannelByReplyToken: (token: string) => Io<Option.Option<Channel>>
  /** Inserts unless (line, phone) already has a channel, and returns the one that is stored. */
  readonly createChannel: (channel: Channel) => Io<Channel>
  readonly saveChannel: (channel: Channel) => Io<void>
  /**
   * Applies `change` to the stored channel atomically — concurrent updates never lose one another —
   * and returns the channel before and after; `None` when there is no such channel.
   */
  readonly updateChannel: (
    id: ChannelId,
    change: (channel: Channel) => Channel
  ) => Io<Option.Option<{ readonly before: Channel; readonly after: Channel }>>
  readonly channelsOfLines: (lineIds: ReadonlyArray<LineId>) => Io<ReadonlyArray<Channel>>
  /** A page of an inbox, without the channels the viewer hid; see {@link InboxQuery}. */
  readonly inbox: (query: InboxQuery) => Io<ReadonlyArray<InboxEntry>>
  readonly channelsOfClient: (clientId: ClientId) => Io<ReadonlyArray<Channel>>
  /** Stores an inbound message once per provider message id: a repeated delivery is `duplicate`. */
  readonly recordInbound: (message: Message) => Io<"inserted" | "duplicate">
  /**
   * Stores a received text in the existing channel of (the line numbered `to`, the sender `from`) in
   * one atomic step, once per provider message id — the accept path of a webhook, with no read
   * before it. The stored message is inbound, from the client, `received`, in the line's organisation
   * and that channel, and `receivedWhileRepliesOff` when the channel's replies are off at that moment.
   * `Unrouted` stores nothing: the caller finds or creates the channel and uses `recordInbound`.
   */
  readonly recordRoutedInbound: (delivery: InboundDelivery) => Io<RoutedInbound>
  /**
   * Appends a received text to the inbound log, whole and durable: a webhook's entire write, one small
   * append that shares its commit with the texts around it (no index of messages or channels is
   * touched). Nothing is checked or deduplicated here; `routeLogged` does that later, off the request path.
   */
  readonly logInbound: (delivery: InboundDelivery) => Io<void>
  /**
   * Takes the oldest `limit` texts of the inbound log (in the order they were logged) and stores each
   * one as `recordRoutedInbound` would, oldest first, all in one atomic step: `Stored` and `Duplicate`
   * (its provider id was already stored, or is stored by an older text of this batch) leave the log;
   * `Unrouted` (no line has the number, or the line has no channel with the sender yet) stays logged,
   * ahead of newer texts: the caller creates its channel or drops it (`dropLogged`) before the next call,
   * or the next call takes it again. The channel, and whether replies are off, are as they are when the
   * text is routed. Returns every text taken with what became of it, oldest first; an empty log gives none.
   */
  readonly routeLogged: (limit: number) => Io<ReadonlyArray<LoggedInbound>>
  /** Removes a text from the inbound log without storing it (one sent to a number no line has); an unknown id changes nothing. */
  readonly dropLogged: (id: MessageId) => Io<void>
  /**
   * Claims an inbound message for processing until `until`: true only for one caller, and only while
   * the message is unprocessed and not claimed by someone else (an expired claim may be taken over).
   */
  readonly claimInbound: (id: MessageId, now: number, until: number) => Io<boolean>
  /** Marks an inbound message's reactions done; it will never be processed again. */
  readonly completeInbound: (id: MessageId, at: number) => Io<void>
  /** Inbound messages stored but not processed and not under a live claim, oldest first: crash leftovers. */
  readonly unprocessedInbound: (now: number, limit: number) => Io<ReadonlyArray<Message>>
  /** Stores an outbound message and its outbox entry together, or neither. */
  readonly recordOutbound: (message: Message, outbox: OutboxEntry) => Io<void>
  readonly getMessage: (id: MessageId) => Io<Option.Option<Message>>
  readonly findMessageByProviderId: (id: ProviderMessageId) => Io<Option.Option<Message>>
  /** Upsert by id; the provider-id index follows the message's current `providerMessageId`. */
  readonly saveMessage: (message: Message) => Io<void>
  /** Marks these messages as sent to the clinical record at `at` (S3), changing nothing else; unknown ids are skipped. */
  readonly markCharted: (ids: ReadonlyArray<MessageId>, at: number) => Io<void>
  /** Newest first, ordered by (at, id) descending. */
  readonly listMessages: (channelId: ChannelId, page: MessagePage) => Io<ReadonlyArray<Message>>
  readonly getPreference: (channelId: ChannelId, staffId: StaffId) => Io<ChannelPreference>
  readonly setPreference: (channelId: ChannelId, staffId: StaffId, preference: ChannelPreference) => Io<void>
}>()("@careline/core/Conversations") {}
