import {
  byNewestActivity,
  type Channel,
  type ClientId,
  Conversations,
  defaultPreference,
  type InboundDelivery,
  inboundMessage,
  type LoggedInbound,
  matchesFilter,
  type Message,
  type MessagePage,
  type RoutedInbound
} from "@careline/core"
import { HashMap, Option, Ref } from "effect"
import { byId, compareStrings, listAt, type MemoryRef, type MemoryState, preferenceKey, read } from "./MemoryState.js"

const findChannel = (s: MemoryState, lineId: Channel["lineId"], phone: Channel["phone"]): Option.Option<Channel> =>
  HashMap.findFirst(s.channels, (c) => c.lineId === lineId && c.phone === phone).pipe(Option.map(([, c]) => c))

/** Upserts a message and keeps the provider-id index pointing at it. */
const putMessage = (s: MemoryState, message: Message): MemoryState => {
  const previous = HashMap.get(s.messages, message.id)
  let index = s.messageByProviderId
  const oldProviderId = Option.isSome(previous) ? previous.value.providerMessageId : undefined
  if (oldProviderId !== undefined && oldProviderId !== message.providerMessageId) {
    const owner = HashMap.get(index, oldProviderId)
    if (Option.isSome(owner) && owner.value === message.id) index = HashMap.remove(index, oldProviderId)
  }
  if (message.providerMessageId !== undefined) index = HashMap.set(index, message.providerMessageId, message.id)
  return { ...s, messages: HashMap.set(s.messages, message.id, message), messageByProviderId: index }
}

/** `recordRoutedInbound` as a step of the state: stores the delivery in its channel once per provider id. */
const routeInbound = (s: MemoryState, delivery: InboundDelivery): [RoutedInbound, MemoryState] => {
  if (HashMap.has(s.messageByProviderId, delivery.providerMessageId)) return [{ _tag: "Duplicate" }, s]
  // The line `Directory.findLineByNumber` finds: the first by id with that number.
  const line = HashMap.toValues(s.lines).sort(byId).find((l) => l.number === delivery.to)
  const channel = line === undefined ? Option.none() : findChannel(s, line.id, delivery.from)
  if (Option.isNone(channel)) return [{ _tag: "Unrouted" }, s]
  const message = inboundMessage(delivery, channel.value)
  return [{ _tag: "Stored", message }, putMessage(s, message)]
}

/** Routes the oldest `limit` logged texts, oldest first; the `Unrouted` ones stay at the head of the log, in order. */
const routeLogHead = (s: MemoryState, limit: number): [ReadonlyArray<LoggedInbound>, MemoryState] => {
  const taken = s.inboundLog.slice(0, Math.max(0, limit))
  const answers: Array<LoggedInbound> = []
  let state = s
  for (const delivery of taken) {
    const [routed, next] = routeInbound(state, delivery)
    answers.push({ delivery, routed })
    state = next
  }
  const unrouted = answers.filter((a) => a.routed._tag === "Unrouted").map((a) => a.delivery)
  return [answers, { ...state, inboundLog: [...unrouted, ...s.inboundLog.slice(taken.length)] }]
}

/** (at, id) descending: newest first, with a total order for messages of the same millisecond. */
const newestFirst = (a: Message, b: Message): number => b.at - a.at || compareStrings(b.id, a.id)

const isBefore = (message: Message, before: NonNullable<MessagePage["before"]>): boolean =>
  message.at < before.at || (message.at === before.at && message.id < before.id)

/** An inbound message nobody has processed and nobody holds a live claim on. */
const isClaimable = (message: Message, now: number): boolean =>
  message.direction === "inbound" && message.processedAt === undefined && (message.claimedUntil === undefined || message.claimedUntil <= now)

/** `Conversations` over the shared in-memory state; `recordOutbound` writes the outbox entry in the same step. */
export const makeConversations = (ref: MemoryRef) =>
  Conversations.of({
    getChannel: (id) => read(ref, (s) => HashMap.get(s.channels, id)),
    findChannel: (lineId, phone) => read(ref, (s) => findChannel(s, lineId, phone)),
    findChannelByReplyToken: (token) =>
      read(ref, (s) => HashMap.findFirst(s.channels, (c) => c.replyToken === token).pipe(Option.map(([, c]) => c))),
    createChannel: (channel) =>
      Ref.modify(ref, (s) => {
        const existing = findChannel(s, channel.lineId, channel.phone)
        return Option.isSome(existing)
          ? [existing.value, s]
          : [channel, { ...s, channels: HashMap.set(s.channels, channel.id, channel) }]
      }),
    saveChannel: (channel) => Ref.update(ref, (s) => ({ ...s, channels: HashMap.set(s.channels, channel.id, channel) })),
    updateChannel: (id, change) =>
      Ref.modify(ref, (s) => {
        const before = HashMap.get(s.channels, id)
        if (Option.isNone(before)) return [Option.none(), s]
        const after = change(before.value)
        return [Option.some({ before: before.value, after }), { ...s, channels: HashMap.set(s.channels, id, after) }]
      }),
    channelsOfLines: (lineIds) =>
      read(ref, (s) => HashMap.toValues(HashMap.filter(s.channels, (c) => lineIds.includes(c.lineId))).sort(byId)),
    inbox: (query) =>
      read(ref, (s) => {
        const currentlyAssigned = (clientId: ClientId) =>
          listAt(s.assignments, clientId).some((a) => a.staffId === query.assignedTo && a.until === undefined)
        const after = query.after
        return HashMap.toValues(s.channels)
          .filter((c) => query.lineIds.includes(c.lineId) && matchesFilter(c, query.filter))
          .filter((c) => query.assignedTo === undefined || c.clientId === undefined || currentlyAssigned(c.clientId))
          .filter((c) => after === undefined || c.lastActivityAt < after.lastActivityAt || (c.lastActivityAt === after.lastActivityAt && c.id > after.id))
          .map((channel) => ({
            channel,
            preference: Option.getOrElse(HashMap.get(s.preferences, preferenceKey(channel.id, query.viewer)), () => defaultPreference)
          }))
          .filter(({ preference }) => !preference.hidden)
          .sort((a, b) => byNewestActivity(a.channel, b.channel))
          .slice(0, Math.max(0, query.limit))
          .map(({ channel, preference }) => ({ channel, muted: preference.muted }))
      }),
    channelsOfClient: (clientId) =>
      read(ref, (s) => HashMap.toValues(HashMap.filter(s.channels, (c) => c.clientId === clientId)).sort(byId)),
    recordInbound: (message) =>
      Ref.modify(ref, (s) =>
        message.providerMessageId !== undefined && HashMap.has(s.messageByProviderId, message.providerMessageId)
          ? ["duplicate" as const, s]
          : ["inserted" as const, putMessage(s, message)]
      ),
    recordRoutedInbound: (delivery) => Ref.modify(ref, (s) => routeInbound(s, delivery)),
    logInbound: (delivery) => Ref.update(ref, (s) => ({ ...s, inboundLog: [...s.inboundLog, delivery] })),
    routeLogged: (limit) => Ref.modify(ref, (s) => routeLogHead(s, limit)),
    dropLogged: (id) => Ref.update(ref, (s) => ({ ...s, inboundLog: s.inboundLog.filter((d) => d.id !== id) })),
    claimInbound: (id, now, until) =>
      Ref.modify(ref, (s) => {
        const message = HashMap.get(s.messages, id)
        if (Option.isNone(message) || !isClaimable(message.value, now)) return [false, s]
        return [true, putMessage(s, { ...message.value, claimedUntil: until })]
      }),
    completeInbound: (id, at) =>
      Ref.update(ref, (s) =>
        Option.match(HashMap.get(s.messages, id), {
          onNone: () => s,
          onSome: (message) => putMessage(s, { ...message, processedAt: at })
        })),
    unprocessedInbound: (now, limit) =>
      read(ref, (s) =>
        HashMap.toValues(HashMap.filter(s.messages, (m) => isClaimable(m, now)))
          .sort((a, b) => a.at - b.at || compareStrings(a.id, b.id))
          .slice(0, Math.max(0, limit))),
    recordOutbound: (message, outbox) =>
      Ref.update(ref, (s) => {
        const withMessage = putMessage(s, message)
        return { ...withMessage, outbox: HashMap.set(withMessage.outbox, outbox.id, outbox) }
      }),
    getMessage: (id) => read(ref, (s) => HashMap.get(s.messages, id)),
    findMessageByProviderId: (id) =>
      read(ref, (s) => HashMap.get(s.messageByProviderId, id).pipe(Option.flatMap((mid) => HashMap.get(s.messages, mid)))),
    saveMessage: (message) => Ref.update(ref, (s) => putMessage(s, message)),
    markCharted: (ids, at) =>
      Ref.update(ref, (s) =>
        ids.reduce((state, id) => Option.match(HashMap.get(state.messages, id), { onNone: () => state, onSome: (m) => putMessage(state, { ...m, chartedAt: at }) }), s)),
    listMessages: (channelId, page) =>
      read(ref, (s) => {
        const before = page.before
        return HashMap.toValues(
          HashMap.filter(s.messages, (m) => m.channelId === channelId && (before === undefined || isBefore(m, before)))
        )
          .sort(newestFirst)
          .slice(0, Math.max(0, page.limit))
      }),
    getPreference: (channelId, staffId) =>
      read(ref, (s) => Option.getOrElse(HashMap.get(s.preferences, preferenceKey(channelId, staffId)), () => defaultPreference)),
    setPreference: (channelId, staffId, preference) =>
      Ref.update(ref, (s) => ({ ...s, preferences: HashMap.set(s.preferences, preferenceKey(channelId, staffId), preference) }))
  })
