import { Clock, Effect, Option } from "effect"
import { applyChannelEvent, type Channel } from "../Channel.js"
import type { Client } from "../Client.js"
import { mentionsCrisis } from "../Crisis.js"
import { MessageId } from "../Ids.js"
import type { Message } from "../Message.js"
import { Conversations } from "../ports/Conversations.js"
import { Directory } from "../ports/Directory.js"
import { Ids } from "../ports/Ids.js"
import { mayReadViaLink, RepliesNotAllowed, replyViaLinkRefusal } from "../ReplyLink.js"
import { InvalidMessage } from "../SendRefusals.js"
import { hasNul } from "../Text.js"
import { audit } from "./Audit.js"
import { notifyAudience } from "./Inbound.js"
import { requireOrganisation } from "./Lookup.js"

/** A reply link as the client holds it: its secret, which names the channel. */
export interface ReplyLinkRef {
  readonly token: string
}

/** The longest reply a client may post through the page (ten SMS segments' worth). */
export const MAX_LINK_REPLY_LENGTH = 1_600

/** The channel a link opens; an unknown link and a revoked or renewed one are refused alike. */
const channelOfLink = (ref: ReplyLinkRef) =>
  Effect.gen(function* () {
    const channel = yield* Conversations.use((c) => c.findChannelByReplyToken(ref.token))
    if (Option.isNone(channel) || !mayReadViaLink(channel.value, ref.token)) return yield* new RepliesNotAllowed({ reason: "LinkRevoked" })
    const client: Client | undefined = channel.value.clientId === undefined
      ? undefined
      : Option.getOrUndefined(yield* Directory.use((d) => d.getClient(channel.value.clientId!)))
    return { channel: channel.value, client }
  })

const clientAudit = (channel: Channel, action: "channel.read" | "message.receive") =>
  audit({
    organisationId: channel.organisationId,
    actor: { _tag: "Client" },
    action,
    channelId: channel.id,
    ...(channel.clientId === undefined ? {} : { clientId: channel.clientId }),
    detail: "via=reply_link"
  })

/**
 * What the holder of a reply link sees (S3): this channel's latest messages, newest first, and why a
 * reply would be refused, if it would. Reading survives "replies off"; a revoked or renewed link
 * fails with `RepliesNotAllowed{LinkRevoked}`. Every read is audited with the client as actor.
 */
export const readViaLink = (ref: ReplyLinkRef & { readonly limit?: number }) =>
  Effect.gen(function* () {
    const { channel, client } = yield* channelOfLink(ref)
    const messages = yield* Conversations.use((c) => c.listMessages(channel.id, { limit: ref.limit ?? 50 }))
    yield* clientAudit(channel, "channel.read")
    const organisation = yield* requireOrganisation(channel.organisationId)
    return { channel, messages, organisationName: organisation.name, timeZone: organisation.businessHours.timeZone, refusal: replyViaLinkRefusal(channel, ref.token, client?.blocked === true) }
  })

/**
 * A client's reply through the channel's reply link (S3): stored as an inbound message of the
 * channel, which turns unread, and whoever may see the channel is told — as for a text. Refused while
 * replies are off, for a blocked client, or when the link was revoked or renewed. It is not an SMS,
 * so consent keywords and automatic texts do not apply; crisis words do.
 */
export const replyViaLink = (ref: ReplyLinkRef & { readonly body: string }) =>
  Effect.gen(function* () {
    const { channel, client } = yield* channelOfLink(ref)
    const refusal = replyViaLinkRefusal(channel, ref.token, client?.blocked === true)
    if (refusal !== undefined) return yield* refusal
    const body = ref.body.trim()
    if (body.length === 0) return yield* new InvalidMessage({ reason: "A message cannot be empty." })
    if (hasNul(body)) return yield* new InvalidMessage({ reason: "A message cannot contain a NUL character." })
    if (body.length > MAX_LINK_REPLY_LENGTH) {
      return yield* new InvalidMessage({ reason: `A reply can be at most ${MAX_LINK_REPLY_LENGTH} characters.` })
    }
    const now = yield* Clock.currentTimeMillis
    const message: Message = {
      id: MessageId.make(yield* Ids.use((ids) => ids.next("msg"))),
      organisationId: channel.organisationId,
      channelId: channel.id,
      direction: "inbound",
      author: { _tag: "Client" },
      body,
      at: now,
      status: "received",
      processedAt: now
    }
    yield* Conversations.use((c) => c.saveMessage(message))
    const organisation = yield* requireOrganisation(channel.organisationId)
    const crisis = mentionsCrisis(body, organisation.crisisWords ?? [])
    const updated = yield* Conversations.use((c) =>
      c.updateChannel(channel.id, (current) =>
        applyChannelEvent(crisis && current.urgentSince === undefined ? { ...current, urgentSince: now } : current, { _tag: "InboundReceived", at: now })))
    const after = Option.match(updated, { onNone: () => channel, onSome: ({ after }) => after })
    yield* clientAudit(after, "message.receive")
    yield* notifyAudience(after, crisis)
    return message
  })
