import {
  archive,
  authorizeChannel,
  blockClient,
  type ChannelRef,
  ChannelId,
  hide,
  InvalidMessage,
  LineId,
  markDone,
  type Message,
  markOpen,
  mayBlock,
  mute,
  renewReplyLink,
  replyInChannel,
  revokeReplyLink,
  sendChannelEmail,
  sendSms,
  setRepliesAllowed,
  type StaffId,
  unarchive,
  unblockClient,
  unmute,
  usableLines
} from "@careline/core"
import { Effect } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { type ErrorAnswer, Forbidden, InvalidRequest } from "../../../http/ApiError.js"
import { pathId } from "../../../http/Input.js"
import type { ServerRuntime, ServerServices } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { ActionsPane, replyUrl } from "./ActionsPane.js"
import { composerProps } from "./ChannelPanes.js"
import { Composer } from "./ConversationPane.js"
import {
  decodeArchiveForm,
  decodeBlockForm,
  decodeMuteForm,
  decodeReplyLinkForm,
  decodeRepliesForm,
  decodeSendForm,
  decodeStatusForm
} from "./Forms.js"
import { loadActions } from "./Messenger.js"
import { messengerPage, originOf } from "./messengerRoutes.js"
import { answerText, errorAnswer, errorHtml, isHtmx, runPage } from "./WebAnswers.js"

/** Everything on the page that lists channels reloads on this (the inbox, the notification centre, the actions pane). */
const changed = { "hx-trigger": JSON.stringify({ "inbox-changed": { target: "body" } }) }

type Form = Record<string, string | File>

/** Refusals a person can act on stay on the page with the reason; "not found" and failures do not. */
const refusal = (error: unknown): ErrorAnswer | undefined => {
  const answer = errorAnswer(error)
  return answer.status === 400 || answer.status === 403 || answer.status === 422 ? answer : undefined
}

const formOf = (c: Context<WebEnv>) => Effect.promise(async () => (await c.req.parseBody()) as Form)

/**
 * One channel action: `run` makes the change through the core (which checks access and audits).
 * htmx gets the actions pane back, fresh, with `inbox-changed` for the rest of the page, or with the
 * reason the change was refused; a plain form goes back to the page it came from.
 */
const channelAction = <E,>(
  runtime: ServerRuntime,
  run: (ref: ChannelRef, form: Form) => Effect.Effect<unknown, E, ServerServices>,
  /** Where to go once done (for "delete for me": the channel is gone from this inbox). */
  after: { readonly goTo?: string } = {}
) =>
  (c: Context<WebEnv>) =>
    runPage(c, runtime, Effect.gen(function* () {
      const { staff, csrfToken } = c.get("signedIn")
      const channelId = yield* pathId(c.req.param("id"), "channel", ChannelId.make)
      const form = yield* formOf(c)
      const ref = { staffId: staff.id, channelId }
      const refused = yield* run(ref, form).pipe(
        Effect.as(undefined),
        Effect.catch((error) => {
          const answer = refusal(error)
          return answer === undefined ? Effect.fail(error) : Effect.succeed(answer)
        })
      )
      // Where a plain form goes back to: a messages page on this site only (anything else is ignored).
      const back = typeof form["back"] === "string" && /^\/messages(?:[/?][^\\]*)?$/.test(form["back"]) ? form["back"] : `/messages/${channelId}`
      if (!isHtmx(c)) {
        if (refused !== undefined) return yield* Effect.promise(() => errorHtml(c, refused))
        return c.redirect(after.goTo ?? back, 303)
      }
      if (refused === undefined && after.goTo !== undefined) return c.body(null, 200, { "hx-redirect": after.goTo })
      const view = yield* loadActions(staff.id, channelId)
      const pane = <ActionsPane view={view} csrfToken={csrfToken} origin={originOf(c)} {...(refused === undefined ? {} : { error: answerText(refused) })} />
      if (refused !== undefined) return yield* Effect.promise(async () => c.html(pane, refused.status as 400 | 403 | 422))
      return yield* Effect.promise(async () => c.html(pane, 200, changed))
    }))

const flag = (value: "true" | "false") => value === "true"

/**
 * `POST /messages/:id/send`: replies in the channel from its own line, or — when the staff member
 * picks another of their lines — texts the client from that line (its own channel). A refusal (no
 * consent, opted out, blocked, no primary phone…) is 422 with the core's reason in the composer.
 */
const send = (runtime: ServerRuntime) => (c: Context<WebEnv>) =>
  runPage(c, runtime, Effect.gen(function* () {
    const { staff, csrfToken } = c.get("signedIn")
    const channelId = yield* pathId(c.req.param("id"), "channel", ChannelId.make)
    const { channel, context } = yield* authorizeChannel(staff.id, channelId)
    const form = yield* decodeSendForm(yield* formOf(c))
    const picked = form.lineId === undefined || form.lineId === "" || form.lineId === channel.lineId ? undefined : LineId.make(form.lineId)
    if (picked !== undefined && !(yield* usableLines(staff)).some((line) => line.id === picked)) {
      return yield* new InvalidRequest({ problems: ["lineId: pick one of your own lines"] })
    }
    const byEmail = form.medium === "email"
    const attempt: Effect.Effect<Message, unknown, ServerServices> = byEmail
      ? emailInChannel(staff.id, channelId, form.body, originOf(c))
      : picked === undefined || channel.clientId === undefined
      ? replyInChannel({ staffId: staff.id, channelId, body: form.body })
      : sendSms({ staffId: staff.id, clientId: channel.clientId, lineId: picked, body: form.body })
    const sent = yield* attempt.pipe(
      Effect.map((message) => ({ _tag: "Sent", message }) as const),
      Effect.catch((error) => {
        const answer = refusal(error)
        return answer === undefined ? Effect.fail(error) : Effect.succeed({ _tag: "Refused", answer } as const)
      })
    )
    if (sent._tag === "Refused") {
      const state = { body: form.body, error: answerText(sent.answer), ...(picked === undefined ? {} : { lineId: picked }), ...(byEmail ? { medium: "email" as const } : {}) }
      if (!isHtmx(c)) return yield* messengerPage(c, channelId, state, 422)
      const props = yield* composerProps(staff, channel, context.client, csrfToken, state)
      return yield* Effect.promise(async () => c.html(<Composer {...props} />, 422))
    }
    if (sent.message.channelId !== channelId) {
      // Sent from another line: that line's own channel with the client.
      const target = `/messages/${sent.message.channelId}`
      return isHtmx(c) ? c.body(null, 200, { "hx-redirect": target }) : c.redirect(target, 303)
    }
    if (!isHtmx(c)) return c.redirect(`/messages/${channelId}`, 303)
    // The choice of medium is kept for the next message.
    const props = yield* composerProps(staff, channel, context.client, csrfToken, byEmail ? { medium: "email" } : {})
    const trigger = { "hx-trigger": JSON.stringify({ "message-sent": { target: "body" }, "inbox-changed": { target: "body" } }) }
    return yield* Effect.promise(async () => c.html(<Composer {...props} sent={true} />, 200, trigger))
  }))

/**
 * A channel message by email (S3) with the channel's reply link. No email address, or a mail server
 * that refuses, stays in the composer with the reason (422) like any refused send.
 */
const emailInChannel = (staffId: StaffId, channelId: ChannelId, body: string, origin: string) =>
  sendChannelEmail({ staffId, channelId, body, replyUrl: (token) => replyUrl(origin, token) }).pipe(
    Effect.catchTags({
      NoClientEmail: (error) => Effect.fail(new InvalidMessage({ reason: error.message })),
      MailFailed: () => Effect.fail(new InvalidMessage({ reason: "The email could not be sent: the mail server did not accept it. Try again later, or send a text." }))
    })
  )

/** Block or unblock the channel's client: supervisors and admins only (S2), 403 for anyone else. */
const block = (ref: ChannelRef, form: Form) =>
  Effect.gen(function* () {
    const { blocked } = yield* decodeBlockForm(form)
    const { staff, channel } = yield* authorizeChannel(ref.staffId, ref.channelId)
    if (!mayBlock(staff)) return yield* new Forbidden({ reason: "Only supervisors and admins can block or unblock a client." })
    if (channel.clientId === undefined) return yield* new InvalidRequest({ problems: ["this number is not a client yet, so it cannot be blocked"] })
    const input = { staffId: staff.id, clientId: channel.clientId }
    return yield* (flag(blocked) ? blockClient(input) : unblockClient(input))
  })

/** The messenger's changes: send, status, archive, mute, delete for me, replies, reply link, block. */
export const channelActionRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .post("/messages/:id/send", send(runtime))
    .post("/messages/:id/status", channelAction(runtime, (ref, form) =>
      Effect.flatMap(decodeStatusForm(form), ({ status }) => (status === "open" ? markOpen(ref) : markDone(ref)))))
    .post("/messages/:id/archive", channelAction(runtime, (ref, form) =>
      Effect.flatMap(decodeArchiveForm(form), ({ archived }) => (flag(archived) ? archive(ref) : unarchive(ref)))))
    .post("/messages/:id/mute", channelAction(runtime, (ref, form) =>
      Effect.flatMap(decodeMuteForm(form), ({ muted }) => (flag(muted) ? mute(ref) : unmute(ref)))))
    .post("/messages/:id/hide", channelAction(runtime, (ref) => hide(ref), { goTo: "/messages" }))
    .post("/messages/:id/replies", channelAction(runtime, (ref, form) =>
      Effect.flatMap(decodeRepliesForm(form), ({ allowed }) => setRepliesAllowed({ ...ref, allowed: flag(allowed) }))))
    .post("/messages/:id/reply-link", channelAction(runtime, (ref, form) =>
      Effect.flatMap(decodeReplyLinkForm(form), (input) => (input.do === "renew" ? renewReplyLink(ref) : revokeReplyLink(ref)))))
    .post("/messages/:id/block", channelAction(runtime, block))
