import { ChannelId, contactLabel, isManagerRole, QueueId, type StaffId } from "@careline/core"
import { Clock, Effect } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { pathId } from "../../../http/Input.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { staffPage } from "../../../web/Page.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { ActionsPane } from "./ActionsPane.js"
import { ownChannelPanes, type ComposerState } from "./ChannelPanes.js"
import { MessageRun, MessagesContent } from "./ConversationPane.js"
import { transcriptText } from "./Format.js"
import { decodeInboxQuery, decodeOlderQuery, parseCursor } from "./Forms.js"
import { InboxList, NotificationContent } from "./InboxPane.js"
import {
  colleaguesOf,
  type InboxParams,
  loadActions,
  loadChannel,
  loadInbox,
  loadNotifications,
  loadOlder,
  loadTranscript,
  PAGE,
  staffNamesOf,
  timeZoneOf
} from "./Messenger.js"
import { Messenger, NothingOpen } from "./MessengerPage.js"
import { runPage } from "./WebAnswers.js"

/** Where reply links point: `PUBLIC_BASE_URL` behind a proxy, else the origin this page was asked on. */
export const originOf = (c: Context<WebEnv>) => c.get("config").publicBaseUrl ?? new URL(c.req.url).origin

const inboxParams = (c: Context<WebEnv>) =>
  Effect.map(decodeInboxQuery(c.req.query()), (query) => ({
    params: { filter: query.filter ?? "all", q: query.q ?? "", queue: query.queue === undefined ? undefined : QueueId.make(query.queue) } satisfies InboxParams,
    open: query.open === undefined ? undefined : ChannelId.make(query.open)
  }))

const html = (c: Context<WebEnv>, content: Parameters<Context<WebEnv>["html"]>[0], status: 200 | 422 = 200, headers: Record<string, string> = {}) =>
  Effect.promise(async () => {
    for (const [name, value] of Object.entries(headers)) c.header(name, value)
    return c.html(content, status)
  })

/**
 * `GET /messages` and `GET /messages/:id`: the staff member's messenger, with a channel open in the
 * second. A channel they may not see is 404, exactly like one that does not exist. `composer` is
 * the composer's state after a refused plain-form send.
 */
export const messengerPage = (c: Context<WebEnv>, id: string | undefined, composer?: ComposerState, status: 200 | 422 = 200) =>
  Effect.gen(function* () {
    const { staff, csrfToken } = c.get("signedIn")
    const { params } = yield* inboxParams(c)
    const channelId = id === undefined ? undefined : yield* pathId(id, "channel", ChannelId.make)
    // The channel first: reading it marks it read, so the inbox below shows it read.
    const open = channelId === undefined ? undefined : yield* ownChannelPanes(staff, channelId, csrfToken, originOf(c), composer)
    const inbox = yield* loadInbox(staff.id, params)
    const notifications = yield* loadNotifications(staff.id)
    const colleagues = isManagerRole(staff.role) ? yield* colleaguesOf(staff.id) : undefined
    const timeZone = yield* timeZoneOf(staff.organisationId)
    const now = yield* Clock.currentTimeMillis
    const title = open === undefined ? "Messages" : `${contactLabel(open.view.client, open.view.channel.phone)} · Messages`
    const page = yield* Effect.promise(async () =>
      staffPage(c, { title, section: "messages" }, (
        <Messenger
          heading={<h1>Messages</h1>}
          rows={inbox.rows}
          context={{ base: "/messages", params: inbox.params, openId: channelId, timeZone, now, csrfToken }}
          queues={inbox.queues}
          notifications={notifications}
          readOnly={false}
          {...(colleagues === undefined ? {} : { colleagues })}
          panes={open?.panes ?? <NothingOpen readOnly={false} />}
        />
      ), status))
    return page
  })

/** Reading the channel may have marked it read: the inbox and the notification centre reload after it. */
const readNow = { "hx-trigger": JSON.stringify({ "inbox-changed": { target: "body" } }) }

/** The messages region's content: the newest messages (an audited read that marks the channel read). */
export const messagesFragment = (c: Context<WebEnv>, staffId: StaffId, id: string | undefined, base: string, asStaffId?: StaffId) =>
  Effect.gen(function* () {
    const channelId = yield* pathId(id, "channel", ChannelId.make)
    const view = yield* loadChannel(staffId, channelId, asStaffId)
    const staffNames = yield* staffNamesOf(view.channel.organisationId)
    const now = yield* Clock.currentTimeMillis
    const contact = contactLabel(view.client, view.channel.phone)
    return yield* html(c, (
      <MessagesContent
        channel={view.channel}
        title={`Conversation with ${contact}`}
        newestFirst={view.messages}
        base={base}
        withTranscript={asStaffId === undefined}
        context={{
          clientName: view.client?.name ?? view.channel.phone,
          staffNames,
          timeZone: view.timeZone,
          now,
          attachmentBase: base,
          ...(asStaffId !== undefined || view.client === undefined ? {} : { chart: { csrfToken: c.get("signedIn").csrfToken } })
        }}
      />
    ), 200, asStaffId === undefined ? readNow : {})
  })

/** "Load older": the page before the oldest message shown, oldest first, with its own "Load older" when full. */
export const olderFragment = (c: Context<WebEnv>, staffId: StaffId, id: string | undefined, base: string, asStaffId?: StaffId) =>
  Effect.gen(function* () {
    const channelId = yield* pathId(id, "channel", ChannelId.make)
    const query = yield* decodeOlderQuery(c.req.query())
    const page = yield* loadOlder(staffId, channelId, parseCursor(query.before), asStaffId)
    const staffNames = yield* staffNamesOf(page.channel.organisationId)
    const now = yield* Clock.currentTimeMillis
    return yield* html(c, (
      <MessageRun newestFirst={page.messages} limit={PAGE} olderUrl={`${base}/${channelId}/older`} context={{ clientName: page.clientName, staffNames, timeZone: page.timeZone, now, attachmentBase: base }} />
    ))
  })

/**
 * The messenger's own pages and fragments: the inbox, a channel, the fragments htmx reloads on live
 * events (`/messages/inbox`, `/messages/notifications`, `/messages/:id/messages`,
 * `/messages/:id/actions`), "Load older", and the transcript export.
 */
export const messengerRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .get("/messages", (c) => runPage(c, runtime, messengerPage(c, undefined)))
    .get("/messages/inbox", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff, csrfToken } = c.get("signedIn")
        const { params, open } = yield* inboxParams(c)
        const inbox = yield* loadInbox(staff.id, params)
        const timeZone = yield* timeZoneOf(staff.organisationId)
        const now = yield* Clock.currentTimeMillis
        return yield* html(c, <InboxList rows={inbox.rows} context={{ base: "/messages", params: inbox.params, openId: open, timeZone, now, csrfToken }} live={true} />)
      })))
    .get("/messages/notifications", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff, csrfToken } = c.get("signedIn")
        const rows = yield* loadNotifications(staff.id)
        return yield* html(c, <NotificationContent rows={rows} csrfToken={csrfToken} />)
      })))
    .get("/messages/:id", (c) => runPage(c, runtime, messengerPage(c, c.req.param("id"))))
    .get("/messages/:id/messages", (c) => runPage(c, runtime, messagesFragment(c, c.get("signedIn").staff.id, c.req.param("id"), "/messages")))
    .get("/messages/:id/older", (c) => runPage(c, runtime, olderFragment(c, c.get("signedIn").staff.id, c.req.param("id"), "/messages")))
    .get("/messages/:id/actions", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff, csrfToken } = c.get("signedIn")
        const channelId = yield* pathId(c.req.param("id"), "channel", ChannelId.make)
        const view = yield* loadActions(staff.id, channelId)
        return yield* html(c, <ActionsPane view={view} csrfToken={csrfToken} origin={originOf(c)} />)
      })))
    .get("/messages/:id/transcript.txt", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        const channelId = yield* pathId(c.req.param("id"), "channel", ChannelId.make)
        const transcript = yield* loadTranscript(staff.id, channelId)
        const staffNames = yield* staffNamesOf(transcript.channel.organisationId)
        const contact = contactLabel(transcript.client, transcript.channel.phone)
        const text = transcriptText({
          title: `Conversation with ${contact}`,
          messages: transcript.messages,
          clientName: transcript.client?.name ?? transcript.channel.phone,
          staffNames,
          timeZone: transcript.timeZone
        })
        return new Response(text, {
          headers: {
            "content-type": "text/plain; charset=utf-8",
            "content-disposition": `attachment; filename="transcript-${transcript.channel.id}.txt"`
          }
        })
      })))
