import {
  ChatRoomId,
  chatColleagues,
  type ChatView,
  listMyChats,
  olderChatMessages,
  openChat,
  postChatMessage,
  requireOrganisation,
  type Staff,
  StaffId,
  startChat,
  unreadChatCount
} from "@careline/core"
import { Effect, Schema } from "effect"
import { type Context, Hono } from "hono"
import type { HtmlEscapedString } from "hono/utils/html"
import { errorAnswer } from "../../../http/ApiError.js"
import { runEffect } from "../../../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { ChatList, ChatMessages, ChatRoomPanel, chatTitle, GroupChatForm } from "./ChatView.js"
import { DockProblem } from "./DockView.js"

type Html = HtmlEscapedString | Promise<HtmlEscapedString>

const hiddenText = "This chat does not exist, or you are not in it."
const failedText = "Something went wrong on our side; please try again."

/** The form fields the chat routes read: ids and text, bounded so nothing huge is looked at. */
const StartForm = Schema.Struct({
  with: Schema.Union([Schema.String, Schema.Array(Schema.String)]).pipe(Schema.optional)
})
const MessageForm = Schema.Struct({ body: Schema.optional(Schema.String) })

const chosenIds = (value: string | ReadonlyArray<string> | undefined): ReadonlyArray<string> =>
  (value === undefined ? [] : typeof value === "string" ? [value] : value).filter((id) => id.length > 0 && id.length <= 100).slice(0, 50)

const formOf = async <A,>(c: Context<WebEnv>, schema: Schema.Decoder<A>): Promise<A | undefined> => {
  const parsed = Schema.decodeUnknownResult(schema)(await c.req.parseBody({ all: true }))
  return parsed._tag === "Success" ? parsed.success : undefined
}

/** A room as its member sees it in the dock. */
const roomPanel = (staff: Staff, view: ChatView, shown: { readonly error?: string; readonly draft?: string } = {}) =>
  Effect.map(requireOrganisation(staff.organisationId), (organisation) => (
    <ChatRoomPanel
      roomId={view.room.id}
      title={chatTitle(view.members.filter((m) => m.staffId !== staff.id))}
      messages={view.messages}
      members={view.members}
      me={staff.id}
      timeZone={organisation.businessHours.timeZone}
      {...shown}
    />
  ))

const openRoom = (staff: Staff, roomId: string, shown: { readonly error?: string; readonly draft?: string } = {}) =>
  Effect.flatMap(openChat({ staffId: staff.id, roomId: ChatRoomId.make(roomId) }), (view) => roomPanel(staff, view, shown))

/**
 * Staff chat in the dock (S4: colleagues "show Chat only", never SMS). `GET /dock/chats` lists one's
 * chats (live: the `chat` event), `GET /dock/chats/new` picks colleagues for a group, `POST /dock/chats`
 * starts a chat (a 1:1 is reused), `GET /dock/chats/:id` opens one and `…/messages` reads (live:
 * `chat-<id>`) or posts. Everything goes through the core's chat services: only a room's members
 * see it, anyone else gets the same 404 as for a room that does not exist.
 */
export const chatRoutes = (runtime: ServerRuntime) => {
  /** A dock answer; a failure becomes a message inside the dock (404 for anything hidden, 422 for a refusal). */
  const answer = async (c: Context<WebEnv>, effect: Effect.Effect<Html, unknown, ServerServices>, status: 200 | 201 = 200) => {
    const outcome = await runEffect(runtime, effect)
    if (outcome.ok) return c.html(outcome.value, status)
    const code = outcome.response.status as 400 | 404 | 422 | 500
    const said = code === 404 || code === 500 ? undefined : ((await outcome.response.json()) as { readonly error: { readonly message: string } }).error.message
    return c.html(<DockProblem text={code === 404 ? hiddenText : said ?? failedText} />, code)
  }

  return new Hono<WebEnv>()
    .get("/dock/unread", async (c) => {
      const outcome = await runEffect(runtime, unreadChatCount({ staffId: c.get("signedIn").staff.id }))
      const unread = outcome.ok ? outcome.value : 0
      return c.html(unread === 0 ? "" : <span class="dock-unread">{unread}<span class="visually-hidden"> unread chat messages</span></span>)
    })
    .get("/dock/chats", async (c) => {
      const outcome = await runEffect(runtime, listMyChats({ staffId: c.get("signedIn").staff.id }))
      if (!outcome.ok) return c.html(<li class="error small" role="alert">Could not load your chats.</li>, 500)
      return c.html(<ChatList chats={outcome.value} />)
    })
    .get("/dock/chats/new", (c) =>
      answer(c, Effect.map(chatColleagues({ staffId: c.get("signedIn").staff.id }), (colleagues) => <GroupChatForm colleagues={colleagues} />)))
    .post("/dock/chats", async (c) => {
      const staff = c.get("signedIn").staff
      const form = await formOf(c, StartForm)
      const chosen = chosenIds(form?.with)
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const started = yield* Effect.result(startChat({ staffId: staff.id, with: chosen.map((id) => StaffId.make(id)) }))
        if (started._tag === "Success") return { status: 200 as const, page: yield* openRoom(staff, started.success.id) }
        const refusal = errorAnswer(started.failure)
        if (refusal.status !== 422) return yield* Effect.fail(started.failure)
        const colleagues = yield* chatColleagues({ staffId: staff.id })
        return { status: 422 as const, page: <GroupChatForm colleagues={colleagues} chosen={chosen} error={refusal.message} /> }
      }))
      if (outcome.ok) return c.html(outcome.value.page, outcome.value.status)
      return c.html(<DockProblem text={failedText} />, 500)
    })
    .get("/dock/chats/:roomId", (c) => answer(c, openRoom(c.get("signedIn").staff, c.req.param("roomId"))))
    .get("/dock/chats/:roomId/messages", async (c) => {
      const staff = c.get("signedIn").staff
      const before = c.req.query("before")
      const beforeSeq = before === undefined ? undefined : /^[1-9]\d{0,8}$/.test(before) ? Number(before) : undefined
      if (before !== undefined && beforeSeq === undefined) return c.html(<li class="error small" role="alert">That is not a place in this chat.</li>, 400)
      const roomId = ChatRoomId.make(c.req.param("roomId"))
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const view = beforeSeq === undefined
          ? yield* openChat({ staffId: staff.id, roomId })
          : yield* olderChatMessages({ staffId: staff.id, roomId, beforeSeq })
        const organisation = yield* requireOrganisation(staff.organisationId)
        return <ChatMessages messages={view.messages} members={view.members} me={staff.id} timeZone={organisation.businessHours.timeZone} older={beforeSeq !== undefined} />
      }))
      if (outcome.ok) return c.html(outcome.value)
      const status = outcome.response.status as 404 | 500
      return c.html(<li class="error small" role="alert">{status === 404 ? hiddenText : "Could not load the messages."}</li>, status)
    })
    .post("/dock/chats/:roomId/messages", async (c) => {
      const staff = c.get("signedIn").staff
      const roomId = ChatRoomId.make(c.req.param("roomId"))
      const body = ((await formOf(c, MessageForm))?.body ?? "").slice(0, 10_000)
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const posted = yield* Effect.result(postChatMessage({ staffId: staff.id, roomId, body }))
        if (posted._tag === "Success") return { status: 200 as const, page: yield* openRoom(staff, roomId) }
        const refusal = errorAnswer(posted.failure)
        if (refusal.status !== 422) return yield* Effect.fail(posted.failure)
        return { status: 422 as const, page: yield* openRoom(staff, roomId, { error: `Not sent: ${refusal.message}`, draft: body.slice(0, 2_000).replaceAll("\u0000", "") }) }
      }))
      if (outcome.ok) return c.html(outcome.value.page, outcome.value.status)
      const status = outcome.response.status as 404 | 500
      return c.html(<DockProblem text={status === 404 ? hiddenText : failedText} />, status)
    })
}
