import { Clock, Context, Effect, Option } from "effect"
import { closedPeriodStart } from "../BusinessHours.js"
import { applyChannelEvent, type Channel, newChannel } from "../Channel.js"
import type { Client } from "../Client.js"
import { reactToInbound } from "../Consent.js"
import { mentionsCrisis } from "../Crisis.js"
import { ChannelId, MessageId } from "../Ids.js"
import type { Line } from "../Line.js"
import { withoutNul } from "../Text.js"
import type { Message } from "../Message.js"
import type { Organisation } from "../Organisation.js"
import { Conversations, type InboundDelivery, inboundMessage, type LoggedInbound } from "../ports/Conversations.js"
import { Directory } from "../ports/Directory.js"
import { Ids } from "../ports/Ids.js"
import { Notifier } from "../ports/Notifier.js"
import type { InboundSms } from "../ports/SmsProvider.js"
import type { Queue } from "../Queue.js"
import { isManagerRole, type Staff } from "../Staff.js"
import { audit } from "./Audit.js"
import { consentOf, transitionConsent } from "./ConsentRecords.js"
import { requireChannel, requireLine, requireLineByNumber, requireOrganisation } from "./Lookup.js"
import { enqueueOutbound } from "./Outbound.js"
import { channelAudience, queueOfLine } from "./Visibility.js"

/**
 * Whether the SMS provider itself answers STOP / START / HELP (Twilio's Advanced Opt-Out does).
 * Consent is recorded either way; only Careline's own confirmation, welcome and help texts are
 * left out, so a client never gets two.
 */
export const ProviderAnswersKeywords = Context.Reference<boolean>("@careline/core/ProviderAnswersKeywords", {
  defaultValue: () => false
})

/** How long a processor may hold an inbound message before another may take it over. */
export const INBOUND_CLAIM_MS = 60_000

export type InboundOutcome =
  | { readonly _tag: "Duplicate" }
  | { readonly _tag: "Stored"; readonly message: Message; readonly channel: Channel }

/** The sender's client is looked up only for a new channel: an existing one is linked when processed. */
const findOrCreateChannel = (line: Line, from: InboundSms["from"], now: number) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const existing = yield* conversations.findChannel(line.id, from)
    if (Option.isSome(existing)) return existing.value
    const client: Client | undefined = (yield* Directory.use((d) => d.findClientsByPhone(line.organisationId, from)))[0]
    const id = ChannelId.make(yield* Ids.use((ids) => ids.next("chn")))
    return yield* conversations.createChannel(newChannel({
      id,
      organisationId: line.organisationId,
      lineId: line.id,
      phone: from,
      clientId: client?.id,
      now
    }))
  })

/**
 * After-hours auto-reply (S2): once per channel per closed period, to opted-in, unblocked senders
 * only. The channel records the period atomically, so two texts arriving together get one reply.
 */
const afterHoursReply = (organisation: Organisation, queue: Queue | undefined, channel: Channel, line: Line, now: number) =>
  Effect.gen(function* () {
    const text = queue?.afterHoursReply ?? organisation.templates.afterHours
    const closedSince = closedPeriodStart(queue?.businessHours ?? organisation.businessHours, now)
    if (text === undefined || Option.isNone(closedSince)) return channel
    const period = closedSince.value
    const marked = yield* Conversations.use((c) => c.updateChannel(channel.id, (current) => ({ ...current, afterHoursRepliedFor: period })))
    if (Option.isNone(marked)) return channel
    if (marked.value.before.afterHoursRepliedFor !== period) {
      yield* enqueueOutbound(channel, line, { _tag: "System", purpose: "after_hours" }, text)
    }
    return marked.value.after
  })

/**
 * The delivery a received text becomes: its message id and the time it arrived are given here, once.
 * A pipeline, not `Effect.gen`: it runs for every webhook, where a generator's cost shows.
 */
export const inboundDelivery = (sms: InboundSms) =>
  Effect.zipWith(Ids.use((ids) => ids.next("msg")), Clock.currentTimeMillis, (id, at): InboundDelivery => ({
    id: MessageId.make(id),
    to: sms.to,
    from: sms.from,
    body: withoutNul(sms.body),
    at,
    providerMessageId: sms.providerMessageId,
    ...(sms.media === undefined ? {} : { media: sms.media })
  }))

/**
 * Accepts a client's text the fast way: appends it to the inbound log (`Conversations.logInbound`),
 * one small append shared with the texts around it, and answers. Once this succeeds the text is
 * durable; {@link routeInbound} later stores it in its channel (once per provider message id) and
 * {@link processInbound} sets it in motion. A crash in between loses nothing: the log and the
 * unprocessed messages are what {@link recoverInbound} picks up.
 */
export const acceptInbound = (delivery: InboundDelivery) => Conversations.use((c) => c.logInbound(delivery))

/**
 * Stores a client's text in its channel at once, once per provider message id (a repeat gives the
 * message stored first), without the inbound log: for a text that must not wait behind a backlog,
 * and for {@link receiveInbound}. Like {@link acceptInbound}, it leaves processing to
 * {@link processInbound}.
 *
 * A text from someone who already has a channel on the line is stored in one statement that finds
 * the line and channel itself (`recordRoutedInbound`: no read before it, and it shares its group
 * commit with the texts around it); only a first text looks the line up and creates the channel.
 */
export const storeInbound = (delivery: InboundDelivery) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const routed = yield* conversations.recordRoutedInbound(delivery)
    if (routed._tag === "Stored") return routed.message
    if (routed._tag === "Duplicate") {
      const stored = yield* conversations.findMessageByProviderId(delivery.providerMessageId)
      if (Option.isSome(stored)) return stored.value
    }
    const line = yield* requireLineByNumber(delivery.to)
    const channel = yield* findOrCreateChannel(line, delivery.from, delivery.at)
    const message = inboundMessage(delivery, channel)
    if ((yield* conversations.recordInbound(message)) === "inserted") return message
    return Option.getOrElse(yield* conversations.findMessageByProviderId(delivery.providerMessageId), () => message)
  })

/** What one {@link routeInbound} did: the messages it stored, and the logged texts it settled without storing them. */
export interface RoutedBatch {
  readonly stored: ReadonlyArray<Message>
  /** Repeats of a stored text, and texts to a number no line has: gone from the log, nothing to process. */
  readonly settled: ReadonlyArray<MessageId>
}

const routedOf = (taken: ReadonlyArray<LoggedInbound>): RoutedBatch => ({
  stored: taken.flatMap(({ routed }) => (routed._tag === "Stored" ? [routed.message] : [])),
  settled: taken.flatMap(({ delivery, routed }) => (routed._tag === "Duplicate" ? [delivery.id] : []))
})

/**
 * Stores up to `limit` logged texts (see {@link acceptInbound}) in their channels, oldest first, in
 * one step of the store: the messages to process come back. A first text from a number gets its
 * channel created, then is stored with the texts logged after it; a text to a number no line has is
 * dropped from the log with a warning (Twilio was answered 200, so it does not retry).
 */
export const routeInbound = (limit: number) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const taken = yield* conversations.routeLogged(limit)
    const first = routedOf(taken)
    const dropped: Array<MessageId> = []
    let created = 0
    for (const { delivery, routed } of taken) {
      if (routed._tag !== "Unrouted") continue
      const line = yield* Directory.use((d) => d.findLineByNumber(delivery.to))
      if (Option.isSome(line)) {
        yield* findOrCreateChannel(line.value, delivery.from, delivery.at)
        created++
        continue
      }
      yield* conversations.dropLogged(delivery.id)
      yield* Effect.logWarning(`Inbound text ${delivery.providerMessageId} not stored: no line has the number ${delivery.to}.`)
      dropped.push(delivery.id)
    }
    if (created === 0) return { stored: first.stored, settled: [...first.settled, ...dropped] }
    const again = routedOf(yield* conversations.routeLogged(limit))
    return { stored: [...first.stored, ...again.stored], settled: [...first.settled, ...dropped, ...again.settled] }
  })

/**
 * What a stored text sets in motion, exactly once per message (a claim guards against two
 * processors): the channel turns unread, consent keywords apply, the consent texts and after-hours
 * reply are queued, crisis words mark the channel urgent, and whoever may see it is notified. A
 * blocked client's text changes the ledger and nothing else. Everything is derived from what was
 * stored, so a crashed run can be redone from the database alone.
 */
export const processInbound = (message: Message) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const now = yield* Clock.currentTimeMillis
    if (message.processedAt !== undefined || !(yield* conversations.claimInbound(message.id, now, now + INBOUND_CLAIM_MS))) {
      return { _tag: "Duplicate" } as InboundOutcome
    }
    const stored = yield* requireChannel(message.channelId)
    const line = yield* requireLine(stored.lineId)
    const organisation = yield* requireOrganisation(line.organisationId)
    const client: Client | undefined = (yield* Directory.use((d) => d.findClientsByPhone(organisation.id, stored.phone)))[0]
    const crisis = mentionsCrisis(message.body, organisation.crisisWords ?? [])
    const received = yield* conversations.updateChannel(stored.id, (current) => {
      const known = current.clientId === undefined && client !== undefined ? { ...current, clientId: client.id } : current
      const urgent = crisis && known.urgentSince === undefined ? { ...known, urgentSince: message.at } : known
      return applyChannelEvent(urgent, { _tag: "InboundReceived", at: message.at })
    })
    let channel = Option.match(received, { onNone: () => stored, onSome: ({ after }) => after })
    const clientRef = client === undefined ? {} : { clientId: client.id }
    yield* audit({ organisationId: organisation.id, actor: { _tag: "Client" }, action: "message.receive", channelId: channel.id, ...clientRef })

    const blocked = client?.blocked === true
    const reaction = yield* transitionConsent(
      { organisationId: organisation.id, phone: channel.phone, evidence: message.id, actor: { _tag: "Client" }, clientId: client?.id },
      (status) => reactToInbound(status, message.body, now)
    )
    const providerAnswers = (yield* ProviderAnswersKeywords) && Option.isSome(reaction.keyword)
    if (!blocked && !providerAnswers && Option.isSome(reaction.reply)) {
      const purpose = reaction.reply.value
      const template = {
        opt_out_confirmation: organisation.templates.optOutConfirmation,
        welcome: organisation.templates.welcome,
        help: organisation.templates.help,
        opt_in_request: organisation.templates.optInRequest
      }[purpose]
      yield* enqueueOutbound(channel, line, { _tag: "System", purpose }, template)
    }
    const consentNow = yield* consentOf(organisation.id, channel.phone)
    if (!blocked && Option.isNone(reaction.keyword) && consentNow.state === "opted_in") {
      channel = yield* afterHoursReply(organisation, yield* queueOfLine(line), channel, line, now)
    }
    if (!blocked) yield* notifyAudience(channel, crisis)
    yield* conversations.completeInbound(message.id, now)
    return { _tag: "Stored", message: { ...message, processedAt: now }, channel } as InboundOutcome
  })

/**
 * Receives a client's text: stores it once per provider message id (a repeated webhook changes
 * nothing), routes it by the number texted, and processes it. A repeat of a text whose processing
 * was cut short by a crash processes it now.
 */
export const receiveInbound = (sms: InboundSms) =>
  inboundDelivery(sms).pipe(Effect.flatMap(storeInbound), Effect.flatMap(processInbound))

/** Logged texts stored in their channels at a time when the log is worked through. */
export const ROUTE_BATCH = 256

/**
 * Picks up what a crash or a full queue left behind, at start-up and now and then: first every text
 * still in the inbound log is stored in its channel, then up to `limit` stored texts that were never
 * processed are processed, `concurrency` at a time (their writes then share group commits). Says how
 * many it processed.
 */
export const recoverInbound = (limit = 1_000, concurrency = 1) =>
  Effect.gen(function* () {
    for (;;) {
      const batch = yield* routeInbound(ROUTE_BATCH)
      if (batch.stored.length + batch.settled.length === 0) break
    }
    const now = yield* Clock.currentTimeMillis
    const leftovers = yield* Conversations.use((c) => c.unprocessedInbound(now, limit))
    const outcomes = yield* Effect.forEach(leftovers, processInbound, { concurrency: Math.max(1, concurrency) })
    return outcomes.filter((o) => o._tag === "Stored").length
  })

/**
 * Brings a hidden channel back for everyone who may see it and tells those who have not muted it.
 * A crisis word also alerts every supervisor and admin, muted or not; the alert names the channel only.
 */
export const notifyAudience = (channel: Channel, urgent: boolean) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const audience = yield* channelAudience(channel)
    const toNotify = new Set<Staff["id"]>()
    for (const staff of audience) {
      const preference = yield* conversations.getPreference(channel.id, staff.id)
      if (preference.hidden) yield* conversations.setPreference(channel.id, staff.id, { ...preference, hidden: false })
      if (!preference.muted || urgent) toNotify.add(staff.id)
    }
    if (urgent) {
      const everyone = yield* Directory.use((d) => d.listStaff(channel.organisationId))
      for (const staff of everyone) if (staff.active && isManagerRole(staff.role)) toNotify.add(staff.id)
    }
    yield* Notifier.use((n) => n.publish({
      _tag: "ChannelActivity",
      organisationId: channel.organisationId,
      channelId: channel.id,
      kind: "inbound",
      staffIds: [...toNotify],
      urgent
    }))
  })
