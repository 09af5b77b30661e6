import { Clock, Effect, Option } from "effect"
import { closedPeriodStart } from "../BusinessHours.js"
import { applyChannelEvent, type Channel, newChannel } from "../Channel.js"
import type { Client } from "../Client.js"
import { reactToInbound } from "../Consent.js"
import { ChannelId, MessageId } from "../Ids.js"
import type { Line } from "../Line.js"
import type { Message } from "../Message.js"
import { NotFound } from "../NotFound.js"
import type { Organisation } from "../Organisation.js"
import { Conversations } from "../ports/Conversations.js"
import { Directory } from "../ports/Directory.js"
import { Ids } from "../ports/Ids.js"
import { Notifier } from "../ports/Notifier.js"
import type { InboundSms } from "../ports/SmsProvider.js"
import type { Queue } from "../Queue.js"
import type { Staff } from "../Staff.js"
import { audit } from "./Audit.js"
import { consentOf, transitionConsent } from "./ConsentRecords.js"
import { requireOrganisation } from "./Lookup.js"
import { enqueueOutbound } from "./Outbound.js"
import { channelAudience, queueOfLine } from "./Visibility.js"

export type InboundOutcome =
  | { readonly _tag: "Duplicate" }
  | { readonly _tag: "Stored"; readonly message: Message; readonly channel: Channel }

const findOrCreateChannel = (line: Line, sms: InboundSms, client: Client | undefined, now: number) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const existing = yield* conversations.findChannel(line.id, sms.from)
    if (Option.isSome(existing)) return existing.value
    const id = ChannelId.make(yield* Ids.use((ids) => ids.next("chn")))
    return yield* conversations.createChannel(newChannel({
      id,
      organisationId: line.organisationId,
      lineId: line.id,
      phone: sms.from,
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
 * Receives a client's text: stores it once per provider message id (a repeated webhook changes
 * nothing), routes it by the number texted, applies the consent keywords, and notifies whoever may
 * see the channel. A blocked client's text is stored and nothing else happens but the ledger.
 */
export const receiveInbound = (sms: InboundSms) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const conversations = yield* Conversations
    const line = yield* Effect.flatMap(directory.findLineByNumber(sms.to), Option.match({
      onNone: () => Effect.fail(new NotFound({ entity: "line", id: sms.to })),
      onSome: Effect.succeed
    }))
    const organisation = yield* requireOrganisation(line.organisationId)
    const now = yield* Clock.currentTimeMillis
    const client: Client | undefined = (yield* directory.findClientsByPhone(organisation.id, sms.from))[0]
    const found = yield* findOrCreateChannel(line, sms, client, now)
    const message: Message = {
      id: MessageId.make(yield* Ids.use((ids) => ids.next("msg"))),
      organisationId: organisation.id,
      channelId: found.id,
      direction: "inbound",
      author: { _tag: "Client" },
      body: sms.body,
      at: now,
      status: "received",
      providerMessageId: sms.providerMessageId,
      ...(found.repliesAllowed ? {} : { receivedWhileRepliesOff: true })
    }
    if ((yield* conversations.recordInbound(message)) === "duplicate") return { _tag: "Duplicate" } as InboundOutcome
    const clientRef = client === undefined ? {} : { clientId: client.id }
    const received = yield* conversations.updateChannel(found.id, (current) =>
      applyChannelEvent(
        current.clientId === undefined && client !== undefined ? { ...current, clientId: client.id } : current,
        { _tag: "InboundReceived", at: now }
      ))
    let channel = Option.match(received, { onNone: () => found, onSome: ({ after }) => after })
    yield* audit({ organisationId: organisation.id, actor: { _tag: "Client" }, action: "message.receive", channelId: channel.id, ...clientRef })

    const blocked = client?.blocked === true
    const reaction = yield* transitionConsent(
      { organisationId: organisation.id, phone: sms.from, evidence: message.id, actor: { _tag: "Client" }, clientId: client?.id },
      (status) => reactToInbound(status, sms.body, now)
    )
    if (!blocked && Option.isSome(reaction.reply)) {
      const purpose = reaction.reply.value
      const template = {
        opt_out_confirmation: organisation.templates.optOutConfirmation,
        welcome: organisation.templates.welcome,
        help: organisation.templates.help,
        opt_in_request: organisation.templates.optInRequest
      }[purpose]
      yield* enqueueOutbound(channel, line, { _tag: "System", purpose }, template)
    }
    const consentNow = yield* consentOf(organisation.id, sms.from)
    if (!blocked && Option.isNone(reaction.keyword) && consentNow.state === "opted_in") {
      channel = yield* afterHoursReply(organisation, yield* queueOfLine(line), channel, line, now)
    }
    if (!blocked) yield* notifyAudience(channel)
    return { _tag: "Stored", message, channel } as InboundOutcome
  })

/** Brings a hidden channel back for everyone who may see it, and tells those who have not muted it. */
const notifyAudience = (channel: Channel) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const audience = yield* channelAudience(channel)
    const toNotify: Array<Staff["id"]> = []
    for (const staff of audience) {
      const preference = yield* conversations.getPreference(channel.id, staff.id)
      if (preference.hidden) yield* conversations.setPreference(channel.id, staff.id, { ...preference, hidden: false })
      if (!preference.muted) toNotify.push(staff.id)
    }
    yield* Notifier.use((n) => n.publish({
      _tag: "ChannelActivity",
      organisationId: channel.organisationId,
      channelId: channel.id,
      kind: "inbound",
      staffIds: toNotify,
      urgent: false
    }))
  })
