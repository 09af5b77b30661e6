import { Clock, Effect, Option, Schema } from "effect"
import { applyChannelEvent, type Channel } from "../Channel.js"
import { ClientBlocked } from "../Blocking.js"
import { type ChannelId, ClientId, MessageId, type StaffId } from "../Ids.js"
import type { Message } from "../Message.js"
import { NotFound } from "../NotFound.js"
import type { Organisation } from "../Organisation.js"
import { Conversations } from "../ports/Conversations.js"
import { Ids } from "../ports/Ids.js"
import { type Email, Mailer } from "../ports/Mailer.js"
import { issueReplyToken } from "../ReplyLink.js"
import { InvalidMessage } from "../SendRefusals.js"
import { hasNul } from "../Text.js"
import { audit } from "./Audit.js"
import { requireOrganisation } from "./Lookup.js"
import { authorizeChannel } from "./Visibility.js"

/** The channel's client has no email address (or the channel has no client): nothing to send to. */
export class NoClientEmail extends Schema.TaggedError<NoClientEmail>()("NoClientEmail", {
  clientId: Schema.optional(ClientId)
}) {
  override get message() {
    return "This client has no email address: add one to their profile, or send a text."
  }
}

/** The longest channel email body accepted. */
export const MAX_CHANNEL_EMAIL_LENGTH = 10_000

export interface SendChannelEmail {
  readonly staffId: StaffId
  readonly channelId: ChannelId
  readonly body: string
  /** The public address of a reply link (`https://…/r/<token>`): the server knows where it is reached. */
  readonly replyUrl: (token: string) => string
}

/**
 * The channel email (S3). By default it only says a message is waiting, with the reply link where the
 * client reads it and answers: the content stays on the server. With the organisation's
 * `emailCarriesContent` the text is in the email too.
 */
export const channelEmail = (input: { readonly to: string; readonly organisation: Organisation; readonly body: string; readonly link: string }): Email =>
  input.organisation.emailCarriesContent === true
    ? {
      to: input.to,
      subject: `New message from ${input.organisation.name}`,
      text: [`${input.organisation.name} sent you a message:`, "", input.body, "", "Reply here:", input.link].join("\n")
    }
    : {
      to: input.to,
      subject: `New message from ${input.organisation.name}`,
      text: [
        `You have a new message from ${input.organisation.name}.`,
        "",
        "Read it and reply here:",
        input.link,
        "",
        "For your privacy, this email does not contain the message."
      ].join("\n")
    }

const validBody = (body: string) =>
  body.trim().length === 0
    ? Effect.fail(new InvalidMessage({ reason: "A message cannot be empty." }))
    : hasNul(body)
    ? Effect.fail(new InvalidMessage({ reason: "A message cannot contain a NUL character." }))
    : body.length > MAX_CHANNEL_EMAIL_LENGTH
    ? Effect.fail(new InvalidMessage({ reason: `An email message can have at most ${MAX_CHANNEL_EMAIL_LENGTH} characters.` }))
    : Effect.void

/** The channel's reply link, issued (and audited like a renewal) when it has none. */
const replyTokenOf = (staffId: StaffId, channel: Channel) =>
  Effect.gen(function* () {
    if (channel.replyToken !== undefined) return channel.replyToken
    const token = yield* Ids.use((ids) => ids.secret)
    const updated = yield* Conversations.use((c) =>
      c.updateChannel(channel.id, (current) => (current.replyToken === undefined ? issueReplyToken(current, token) : current)))
    if (Option.isNone(updated)) return yield* new NotFound({ entity: "channel", id: channel.id })
    if (updated.value.before.replyToken === undefined) {
      yield* audit({
        organisationId: channel.organisationId,
        actor: { _tag: "Staff", staffId },
        action: "channel.replies",
        channelId: channel.id,
        ...(channel.clientId === undefined ? {} : { clientId: channel.clientId }),
        detail: "link=renewed"
      })
    }
    return updated.value.after.replyToken ?? token
  })

/**
 * Sends a channel message by email (S3) to the channel's client, under the access policy (who may
 * not see the channel: `AccessDenied`/`NotFound` as for texts). Refused when the client has no email
 * (`NoClientEmail`) or is blocked; a mail server's refusal is `MailFailed` and stores nothing. The
 * message is stored in the channel as sent, `medium: "email"`, and audited `message.send` (ids and
 * the medium, never the text).
 *
 * @example
 * yield* sendChannelEmail({ staffId, channelId, body: "See you Tuesday", replyUrl: (token) => `https://careline.example.org/r/${token}` })
 */
export const sendChannelEmail = (input: SendChannelEmail) =>
  Effect.gen(function* () {
    const { staff, channel, context } = yield* authorizeChannel(input.staffId, input.channelId)
    const client = context.client
    if (client === undefined || client.email === undefined || client.email.trim() === "") {
      return yield* new NoClientEmail(client === undefined ? {} : { clientId: client.id })
    }
    if (client.blocked === true) return yield* new ClientBlocked({ clientId: client.id })
    yield* validBody(input.body)
    const organisation = yield* requireOrganisation(channel.organisationId)
    const token = yield* replyTokenOf(staff.id, channel)
    yield* Mailer.use((mailer) => mailer.send(channelEmail({ to: client.email!, organisation, body: input.body, link: input.replyUrl(token) })))
    const now = yield* Clock.currentTimeMillis
    const message: Message = {
      id: MessageId.make(yield* Ids.use((ids) => ids.next("msg"))),
      organisationId: channel.organisationId,
      channelId: channel.id,
      direction: "outbound",
      author: { _tag: "Staff", staffId: staff.id },
      body: input.body,
      at: now,
      status: "sent",
      medium: "email"
    }
    yield* Conversations.use((c) => c.saveMessage(message))
    yield* Conversations.use((c) => c.updateChannel(channel.id, (current) => applyChannelEvent(current, { _tag: "OutboundSent", at: now })))
    yield* audit({
      organisationId: staff.organisationId,
      actor: { _tag: "Staff", staffId: staff.id },
      action: "message.send",
      clientId: client.id,
      channelId: channel.id,
      detail: `message=${message.id} medium=email${organisation.emailCarriesContent === true ? " content=included" : ""}`
    })
    return message
  })
