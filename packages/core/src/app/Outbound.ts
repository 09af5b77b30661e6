import { Clock, Effect, Option } from "effect"
import { AccessDenied, canAccessClient, canUseLine } from "../AccessPolicy.js"
import { ClientBlocked } from "../Blocking.js"
import { defaultQuietHours, nextSendableAt } from "../BusinessHours.js"
import { applyChannelEvent, type Channel, newChannel } from "../Channel.js"
import { type Client, primaryPhone } from "../Client.js"
import { ConsentRequired, mayText } from "../Consent.js"
import { ChannelId, type ClientId, type LineId, MessageId, type OrganisationId, OutboxId, type StaffId } from "../Ids.js"
import type { Line } from "../Line.js"
import type { PhoneNumber } from "../PhoneNumber.js"
import type { Message, MessageAuthor } from "../Message.js"
import { Conversations } from "../ports/Conversations.js"
import { Directory } from "../ports/Directory.js"
import { Ids } from "../ports/Ids.js"
import { InvalidMessage, NoLineToSendFrom, NoPrimaryPhone } from "../SendRefusals.js"
import type { Staff } from "../Staff.js"
import { hasNul } from "../Text.js"
import { audit } from "./Audit.js"
import { consentOf } from "./ConsentRecords.js"
import { requireClient, requireLine, requireOrganisation, requireStaff } from "./Lookup.js"
import { authorizeChannel, loadChannelContext, queueOfLine, usableLines } from "./Visibility.js"

/** Writes an outbound message and its outbox entry together; the dispatcher hands it over later. */
export const enqueueOutbound = (channel: Channel, line: Line, author: MessageAuthor, body: string, notBefore?: number) =>
  Effect.gen(function* () {
    const ids = yield* Ids
    const now = yield* Clock.currentTimeMillis
    const message: Message = {
      id: MessageId.make(yield* ids.next("msg")),
      organisationId: channel.organisationId,
      channelId: channel.id,
      direction: "outbound",
      author,
      body,
      at: now,
      status: "queued"
    }
    const outboxId = OutboxId.make(yield* ids.next("out"))
    yield* Conversations.use((c) => c.recordOutbound(message, {
      id: outboxId,
      organisationId: channel.organisationId,
      messageId: message.id,
      lineId: line.id,
      from: line.number,
      to: channel.phone,
      body,
      state: "pending",
      attempts: 0,
      notBefore: Math.max(now, notBefore ?? now),
      createdAt: now
    }))
    return message
  })

const validBody = (body: string) =>
  body.trim().length === 0
    ? Effect.fail(new InvalidMessage({ reason: "A message cannot be empty." }))
    : hasNul(body)
    ? Effect.fail(new InvalidMessage({ reason: "A message cannot contain a NUL character." }))
    : Effect.void

/** Staff texts need an opted-in number and an unblocked client; the error says which rule refused. */
const ensureTextable = (client: Client | undefined, organisationId: OrganisationId, phone: PhoneNumber) =>
  Effect.gen(function* () {
    if (client?.blocked === true) return yield* new ClientBlocked({ clientId: client.id })
    const consent = yield* consentOf(organisationId, phone)
    if (!mayText(consent.state)) return yield* new ConsentRequired({ phone, state: consent.state })
  })

const sendAsStaff = (staff: Staff, channel: Channel, line: Line, client: Client | undefined, body: string, notBefore?: number) =>
  Effect.gen(function* () {
    yield* validBody(body)
    yield* ensureTextable(client, channel.organisationId, channel.phone)
    const message = yield* enqueueOutbound(channel, line, { _tag: "Staff", staffId: staff.id }, body, notBefore)
    yield* Conversations.use((c) => c.updateChannel(channel.id, (current) => applyChannelEvent(current, { _tag: "OutboundSent", at: message.at })))
    yield* audit({
      organisationId: staff.organisationId,
      actor: { _tag: "Staff", staffId: staff.id },
      action: "message.send",
      ...(client === undefined ? {} : { clientId: client.id }),
      channelId: channel.id
    })
    return message
  })

const pickLine = (staff: Staff, lineId: LineId | undefined) =>
  Effect.gen(function* () {
    if (lineId === undefined) {
      const own = (yield* usableLines(staff)).filter((l) => l.owner._tag === "Staff")
      if (own[0] === undefined) return yield* new NoLineToSendFrom()
      return own[0]
    }
    const line = yield* requireLine(lineId)
    const decision = canUseLine(staff, line, yield* queueOfLine(line))
    if (decision._tag === "Denied") return yield* new AccessDenied({ reason: decision.reason })
    return line
  })

export interface SendSms {
  readonly staffId: StaffId
  readonly clientId: ClientId
  /** Which of the staff member's lines to send from; their own personal line by default (S4). */
  readonly lineId?: LineId
  readonly body: string
  /** Bulk sends wait for the end of quiet hours (21:00–08:00 in the client's time zone, else the organisation's). */
  readonly holdForQuietHours?: boolean
}

/** Texts a client's primary number from one of the staff member's lines, creating the channel if needed. */
export const sendSms = (input: SendSms) =>
  Effect.gen(function* () {
    const staff = yield* requireStaff(input.staffId)
    const client = yield* requireClient(input.clientId)
    const assignments = yield* Directory.use((d) => d.assignmentsOfClient(client.id))
    const access = canAccessClient(staff, client, assignments)
    if (access._tag === "Denied") return yield* new AccessDenied({ reason: access.reason })
    const line = yield* pickLine(staff, input.lineId)
    const phone = primaryPhone(client)
    if (Option.isNone(phone)) return yield* new NoPrimaryPhone({ clientId: client.id })
    // Refused before a channel exists, so a refused first text leaves no empty conversation behind.
    yield* validBody(input.body)
    yield* ensureTextable(client, client.organisationId, phone.value.number)
    const now = yield* Clock.currentTimeMillis
    const channel = yield* Conversations.use((c) =>
      Effect.flatMap(c.findChannel(line.id, phone.value.number), Option.match({
        onSome: Effect.succeed,
        onNone: () =>
          Effect.flatMap(Ids.use((ids) => ids.next("chn")), (id) =>
            c.createChannel(newChannel({
              id: ChannelId.make(id),
              organisationId: client.organisationId,
              lineId: line.id,
              phone: phone.value.number,
              clientId: client.id,
              now
            })))
      })))
    const notBefore = input.holdForQuietHours === true
      ? nextSendableAt(defaultQuietHours, client.timeZone ?? (yield* requireOrganisation(client.organisationId)).businessHours.timeZone, now)
      : undefined
    return yield* sendAsStaff(staff, channel, line, client, input.body, notBefore)
  })

export interface ReplyInChannel {
  readonly staffId: StaffId
  readonly channelId: ChannelId
  readonly body: string
}

/** Replies in an existing channel, from the channel's own line. */
export const replyInChannel = (input: ReplyInChannel) =>
  Effect.gen(function* () {
    const { staff, channel } = yield* authorizeChannel(input.staffId, input.channelId)
    const context = yield* loadChannelContext(channel)
    return yield* sendAsStaff(staff, channel, context.line, context.client, input.body)
  })
