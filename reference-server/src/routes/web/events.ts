import { LiveEvents } from "@careline/adapter-memory"
import type { ChannelNotification, Notification, Staff } from "@careline/core"
import { Effect, Fiber, Stream } from "effect"
import { Hono } from "hono"
import { streamSSE } from "hono/streaming"
import type { ServerRuntime } from "../../Runtime.js"
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
export const liveEventsFor = (staff: Staff, n: Notification): ReadonlyArray<{ readonly event: string; readonly data: string }> => {
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
    const data = JSON.stringify({ threadId: n.threadId })
    return [{ event: "secure", data }, { event: `secure-${n.threadId}`, data }]
  }
  return []
}

/**
 * `GET /events`: the signed-in staff member's live events as server-sent events. Only notifications
 * addressed to them (the core names each channel's audience) pass; each says which channel changed
 * and how, never what was written.
 */
export const eventRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>().get("/events", (c) => {
    const { staff } = c.get("signedIn")
    c.header("cache-control", "no-store")
    return streamSSE(c, async (stream) => {
      const forward = LiveEvents.use((live) =>
        live.stream.pipe(
          Stream.map((n) => liveEventsFor(staff, n)),
          Stream.filter((events) => events.length > 0),
          Stream.runForEach((events) =>
            Effect.promise(async () => {
              for (const { event, data } of events) await stream.writeSSE({ event, data })
            }))
        ))
      const fiber = runtime.runFork(forward)
      // Whatever happened between the page's render and this connection: the inbox looks again once.
      await stream.writeSSE({ event: "inbox", data: JSON.stringify({ kind: "sync" }) })
      const keepAlive = setInterval(() => void stream.write(": keep-alive\n\n"), keepAliveMs)
      await new Promise<void>((resolve) => stream.onAbort(resolve))
      clearInterval(keepAlive)
      await runtime.runPromise(Fiber.interrupt(fiber))
    })
  })
