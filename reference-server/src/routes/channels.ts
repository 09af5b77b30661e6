import { archive, ChannelId, listInbox, markDone, markOpen, MessageId, readChannel } from "@careline/core"
import { Effect, Schema } from "effect"
import { Hono } from "hono"
import type { ApiEnv } from "../http/Bearer.js"
import { decodeBody, decodeInput, pathId } from "../http/Input.js"
import { searchInbox } from "../http/InboxSearch.js"
import { json, runRoute } from "../http/Respond.js"
import { channelView } from "../http/Views.js"
import type { ServerRuntime } from "../Runtime.js"

const InboxQuery = Schema.Struct({
  status: Schema.optional(Schema.Literals(["all", "unread", "open", "done"])),
  archived: Schema.optional(Schema.Literals(["true", "false"])),
  /** Words of the messages or the client's name. */
  q: Schema.optional(Schema.String.check(Schema.isMaxLength(200, { message: "at most 200 characters" })))
})
const decodeInboxQuery = decodeInput(InboxQuery, "the query")

/** `before` is the `nextBefore` of the previous page: the oldest message's time and id. */
const Cursor = Schema.String.check(
  Schema.isPattern(/^\d{1,16}\.[A-Za-z0-9_.:-]{1,128}$/, { message: "the nextBefore value of the previous page" })
)
const MessagesQuery = Schema.Struct({
  before: Schema.optional(Cursor),
  limit: Schema.optional(
    Schema.String.check(
      Schema.makeFilter((s: string) => /^\d{1,3}$/.test(s) && Number(s) >= 1 && Number(s) <= 200, { message: "a number from 1 to 200" })
    )
  )
})
const decodeMessagesQuery = decodeInput(MessagesQuery, "the query")

const StatusChange = Schema.Struct({ status: Schema.Literals(["open", "done"]) })
const decodeStatusChange = decodeBody(StatusChange)

const parseCursor = (cursor: string) => {
  const dot = cursor.indexOf(".")
  return { at: Number(cursor.slice(0, dot)), id: MessageId.make(cursor.slice(dot + 1)) }
}

/**
 * The inbox and one channel: `GET /channels?status=&archived=&q=` (`q` searches words and client names), `GET /channels/:id/messages?before=&limit=`
 * (an audited read that marks the channel read; newest first), `POST /channels/:id/status`
 * `{status: "open" | "done"}` and `POST /channels/:id/archive`. A channel the staff member may not
 * see is 404, exactly like one that does not exist.
 */
export const channelRoutes = (runtime: ServerRuntime) =>
  new Hono<ApiEnv>()
    .get("/channels", (c) =>
      runRoute(
        runtime,
        Effect.gen(function* () {
          const query = yield* decodeInboxQuery(c.req.query())
          const archived = query.archived === "true"
          const filter = archived ? "archived" : (query.status ?? "all")
          const rows = query.q !== undefined && query.q.trim() !== ""
            ? yield* searchInbox(c.get("staff").id, query.q, filter)
            : yield* listInbox({ staffId: c.get("staff").id, viewer: c.get("staff"), filter })
          // "archived" shows archived channels of every status; a status narrows them further.
          const matching = archived && query.status !== undefined && query.status !== "all"
            ? rows.filter((row) => row.channel.status === query.status)
            : rows
          return json({ channels: matching.map((row) => ({ ...row, channel: channelView(row.channel) })) })
        })
      ))
    .get("/channels/:id/messages", (c) =>
      runRoute(
        runtime,
        Effect.gen(function* () {
          const channelId = yield* pathId(c.req.param("id"), "channel", ChannelId.make)
          const query = yield* decodeMessagesQuery(c.req.query())
          const limit = query.limit === undefined ? 50 : Number(query.limit)
          const page = yield* readChannel({
            staffId: c.get("staff").id,
            viewer: c.get("staff"),
            channelId,
            limit,
            ...(query.before === undefined ? {} : { before: parseCursor(query.before) })
          })
          const oldest = page.messages.at(-1)
          return json({
            channel: channelView(page.channel),
            messages: page.messages,
            ...(oldest === undefined || page.messages.length < limit ? {} : { nextBefore: `${oldest.at}.${oldest.id}` })
          })
        })
      ))
    .post("/channels/:id/status", (c) =>
      runRoute(
        runtime,
        Effect.gen(function* () {
          const channelId = yield* pathId(c.req.param("id"), "channel", ChannelId.make)
          const change = yield* decodeStatusChange(c.req)
          const ref = { staffId: c.get("staff").id, channelId }
          const channel = yield* (change.status === "open" ? markOpen(ref) : markDone(ref))
          return json({ channel: channelView(channel) })
        })
      ))
    .post("/channels/:id/archive", (c) =>
      runRoute(
        runtime,
        Effect.gen(function* () {
          const channelId = yield* pathId(c.req.param("id"), "channel", ChannelId.make)
          const channel = yield* archive({ staffId: c.get("staff").id, channelId })
          return json({ channel: channelView(channel) })
        })
      ))
