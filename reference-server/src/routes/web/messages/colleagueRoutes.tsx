import { ChannelId, isManagerRole, requireStaff, type Staff, StaffId } from "@careline/core"
import { Clock, Effect } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { Forbidden } from "../../../http/ApiError.js"
import { pathId } from "../../../http/Input.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { staffPage } from "../../../web/Page.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { colleagueChannelPanes } from "./ChannelPanes.js"
import { decodeColleagueQuery, decodeInboxQuery } from "./Forms.js"
import { colleaguesOf, loadColleagueInbox, timeZoneOf } from "./Messenger.js"
import { Messenger, NothingOpen } from "./MessengerPage.js"
import { messagesFragment, olderFragment } from "./messengerRoutes.js"
import { runPage } from "./WebAnswers.js"

/** Only supervisors and admins look in on a colleague (S3); for anyone else it is a role rule: 403. */
const supervising = (c: Context<WebEnv>) => {
  const { staff } = c.get("signedIn")
  return isManagerRole(staff.role)
    ? Effect.succeed(staff)
    : Effect.fail(new Forbidden({ reason: "Only supervisors and admins can view a colleague's inbox." }))
}

/**
 * A colleague's inbox, and one of its channels, read-only: `listInbox` and `readChannel` check the
 * viewer may (same organisation, supervisor or admin) and audit the view; nothing is marked read.
 */
const colleaguePage = (c: Context<WebEnv>, staffIdText: string | undefined, channelIdText: string | undefined) =>
  Effect.gen(function* () {
    const viewer = yield* supervising(c)
    const colleagueId = yield* pathId(staffIdText, "staff", StaffId.make)
    const query = yield* decodeInboxQuery(c.req.query())
    const filter = query.filter ?? "all"
    const rows = yield* loadColleagueInbox(viewer.id, colleagueId, filter)
    const colleague: Staff = yield* requireStaff(colleagueId)
    const channelId = channelIdText === undefined ? undefined : yield* pathId(channelIdText, "channel", ChannelId.make)
    const open = channelId === undefined ? undefined : yield* colleagueChannelPanes(viewer.id, colleague, channelId)
    const colleagues = yield* colleaguesOf(viewer.id)
    const timeZone = yield* timeZoneOf(viewer.organisationId)
    const now = yield* Clock.currentTimeMillis
    const heading = (
      <div class="readonly-banner">
        <h1>Read-only: {colleague.name}'s inbox</h1>
        <p class="muted small">You are viewing a colleague's conversations. Nothing you open here is marked read; every view is recorded in the audit log. <a href="/messages">Back to my inbox</a></p>
      </div>
    )
    return yield* Effect.promise(async () =>
      staffPage(c, { title: `Read-only: ${colleague.name}'s inbox`, section: "messages" }, (
        <Messenger
          heading={heading}
          rows={rows}
          context={{ base: `/messages/colleague/${colleague.id}`, params: { filter, q: "", queue: undefined }, openId: channelId, timeZone, now, csrfToken: undefined }}
          colleagues={colleagues}
          colleague={colleague}
          readOnly={true}
          panes={open?.panes ?? <NothingOpen readOnly={true} />}
        />
      )))
  })

/** `GET /messages/colleague?staffId=…` (the switcher), `/messages/colleague/:staffId` and `/messages/colleague/:staffId/:channelId`. */
export const colleagueRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .get("/messages/colleague", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const viewer = yield* supervising(c)
        const { staffId } = yield* decodeColleagueQuery(c.req.query())
        return c.redirect(staffId === viewer.id ? "/messages" : `/messages/colleague/${encodeURIComponent(staffId)}`, 303)
      })))
    .get("/messages/colleague/:staffId", (c) => runPage(c, runtime, colleaguePage(c, c.req.param("staffId"), undefined)))
    .get("/messages/colleague/:staffId/:channelId", (c) => runPage(c, runtime, colleaguePage(c, c.req.param("staffId"), c.req.param("channelId"))))
    .get("/messages/colleague/:staffId/:channelId/messages", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const viewer = yield* supervising(c)
        const colleagueId = yield* pathId(c.req.param("staffId"), "staff", StaffId.make)
        return yield* messagesFragment(c, viewer.id, c.req.param("channelId"), `/messages/colleague/${colleagueId}`, colleagueId)
      })))
    .get("/messages/colleague/:staffId/:channelId/older", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const viewer = yield* supervising(c)
        const colleagueId = yield* pathId(c.req.param("staffId"), "staff", StaffId.make)
        return yield* olderFragment(c, viewer.id, c.req.param("channelId"), `/messages/colleague/${colleagueId}`, colleagueId)
      })))
