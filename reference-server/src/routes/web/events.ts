import { LiveEvents } from "@careline/adapter-memory"
import type { ChannelNotification, Client, Notification, PortalNotification, Staff } from "@careline/core"
import { Effect, Fiber, Stream } from "effect"
import { type Context, type Env, Hono } from "hono"
import { streamSSE } from "hono/streaming"
import type { ServerRuntime, ServerServices } from "../../Runtime.js"
import { staffSessionStillLive } from "../../web/Sessions.js"
import type { WebEnv } from "../../web/WebEnv.js"

/** A comment line now and then keeps proxies from closing a quiet stream. */
const keepAliveMs = 25_000

/** The event names a page listens for (`hx-trigger="inbox from:#live"`, `channel-<id> from:#live`). */
export const liveEventNames = (notification: ChannelNotification) => ["inbox", `channel-${notification.channelId}`]

/**
 * The events one staff member's stream carries for a notification (none when it is not addressed to
 * them): ids and kinds only. A chat message: `chat` (the dock's list of chats) and `chat-<roomId>`; a
 * secure message: `secure` (folders) and `secure-<threadId>` (the open thread).
 */
/** One server-sent event: its name (what `hx-trigger="<name> from:#live"` listens for) and its data (ids only). */
export interface LiveEvent {
  readonly event: string
  readonly data: string
}

/** A new secure message in a thread: `secure` (folders, unread count) and `secure-<threadId>` (the open thread), the thread id only. */
const secureEvents = (n: PortalNotification): ReadonlyArray<LiveEvent> => {
  const data = JSON.stringify({ threadId: n.threadId })
  return [{ event: "secure", data }, { event: `secure-${n.threadId}`, data }]
}

export const liveEventsFor = (staff: Staff, n: Notification): ReadonlyArray<LiveEvent> => {
  if (n.organisationId !== staff.organisationId) return []
  if (n._tag === "ChannelActivity") {
    if (!n.staffIds.includes(staff.id)) return []
    const data = JSON.stringify({ channelId: n.channelId, kind: n.kind, urgent: n.urgent })
    return liveEventNames(n).map((event) => ({ event, data }))
  }
  if (n._tag === "StaffChatActivity") {
    if (!n.staffIds.includes(staff.id)) return []
    const data = JSON.stringify({ roomId: n.roomId, mine: n.authorId === staff.id })
    return [{ event: "chat", data }, { event: `chat-${n.roomId}`, data }]
  }
  if (n._tag === "PortalActivity") {
    // A secure message for this staff member: the folder list and its unread count reload (`secure`).
    if (!n.recipients.some((r) => r._tag === "Staff" && r.staffId === staff.id)) return []
    return secureEvents(n)
  }
  return []
}

/**
 * The events a portal client's stream carries for a notification: `secure` and `secure-<threadId>`
 * for a new message in a thread the client is a recipient of; nothing else (a client never hears of
 * channels, staff chat, or threads they are not in).
 */
export const clientLiveEventsFor = (client: Client, n: Notification): ReadonlyArray<LiveEvent> => {
  if (n.organisationId !== client.organisationId || n._tag !== "PortalActivity") return []
  if (!n.recipients.some((r) => r._tag === "Client" && r.clientId === client.id)) return []
  return secureEvents(n)
}

/** What one signed-in person's live stream carries. */
export interface LiveFeed {
  /** Their events for a notification (none when it is not addressed to them). */
  readonly eventsFor: (n: Notification) => ReadonlyArray<LiveEvent>
  /** Sent on connecting: whatever happened between the page's render and the connection, the page looks again once. */
  readonly sync: LiveEvent
  /** Their session still live and they still allowed in (checked before every delivery and with every keep-alive). */
  readonly stillSignedIn: Effect.Effect<boolean, unknown, ServerServices>
}

/**
 * The last event of a stream whose session has ended: the `#live` elements close on it
 * (`hx-sse:close="signed-out"`) instead of reconnecting to a sign-in page over and over.
 */
export const signedOutEvent = "signed-out"

/**
 * A signed-in person's live events as server-sent events: the feed's sync first, then the events it
 * finds in each notification. The session is checked again before each delivery and every keep-alive:
 * once it has ended (signed out, expired, the person blocked or deactivated, portal access removed)
 * nothing more is sent but `signed-out`, and the stream closes. A failed check stops the stream too,
 * without `signed-out` (the browser reconnects through the sign-in gate).
 */
export const liveStream = <E extends Env>(runtime: ServerRuntime, c: Context<E>, feed: LiveFeed) => {
  c.header("cache-control", "no-store")
  return streamSSE(c, async (stream) => {
    let end = () => {}
    const ended = new Promise<void>((resolve) => (end = resolve))
    stream.onAbort(end)
    let signedOut = false
    const stillSignedIn = feed.stillSignedIn.pipe(
      Effect.tap((live) => Effect.sync(() => (signedOut ||= !live))),
      Effect.orElseSucceed(() => false)
    )
    const forward = LiveEvents.use((live) =>
      live.stream.pipe(
        Stream.map(feed.eventsFor),
        Stream.filter((events) => events.length > 0),
        Stream.takeWhileEffect(() => stillSignedIn),
        Stream.runForEach((events) =>
          Effect.promise(async () => {
            for (const { event, data } of events) await stream.writeSSE({ event, data })
          }))
      ))
    const fiber = runtime.runFork(Effect.ensuring(forward, Effect.sync(end)))
    await stream.writeSSE(feed.sync)
    const keepAlive = setInterval(() => {
      void runtime.runPromise(stillSignedIn).then((live) => {
        if (live) void stream.write(": keep-alive\n\n")
        else end()
      }, end)
    }, keepAliveMs)
    await ended
    clearInterval(keepAlive)
    await runtime.runPromise(Fiber.interrupt(fiber))
    if (signedOut && !stream.aborted) await stream.writeSSE({ event: signedOutEvent, data: "{}" })
  })
}

/**
 * `GET /events`: the signed-in staff member's live events as server-sent events. Only notifications
 * addressed to them (the core names each channel's audience) pass; each says which channel changed
 * and how, never what was written.
 */
export const eventRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>().get("/events", (c) => {
    const { staff, sessionHash } = c.get("signedIn")
    return liveStream(runtime, c, {
      eventsFor: (n) => liveEventsFor(staff, n),
      sync: { event: "inbox", data: JSON.stringify({ kind: "sync" }) },
      stillSignedIn: staffSessionStillLive(sessionHash)
    })
  })
