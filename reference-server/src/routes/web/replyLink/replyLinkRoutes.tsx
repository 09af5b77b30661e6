import { readViaLink, type RepliesNotAllowed, replyViaLink } from "@careline/core"
import { getConnInfo } from "@hono/node-server/conninfo"
import { Clock, Effect } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { ServerConfig } from "../../../Config.js"
import { runEffect } from "../../../http/Respond.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { fromOurSite } from "../../../web/Csrf.js"
import { ReplyPage, ReplyRefusedPage, type ReplyView } from "./ReplyPage.js"
import { ReplyThrottle } from "./ReplyThrottle.js"

/** A reply-link secret as issued (256 random bits, base64url); anything else cannot name a channel. */
const tokenPattern = /^[A-Za-z0-9_-]{16,128}$/

const revoked = "This reply link is no longer valid."

/** The client's address for throttling: the socket's peer (forwarding headers can be forged). */
const addressOf = (c: Context) => {
  try {
    return getConnInfo(c).remote.address ?? "unknown"
  } catch {
    return "unknown"
  }
}

/** The link's secret must not be kept by a cache nor indexed (the app-wide `Referrer-Policy: same-origin` keeps it from other sites). */
const privateHeaders = (c: Context) => {
  c.header("cache-control", "no-store")
  c.header("x-robots-tag", "noindex, nofollow")
}

const statusOf = (refusal: RepliesNotAllowed) => (refusal.reason === "LinkRevoked" ? 410 : 403)

const read = (token: string) =>
  readViaLink({ token }).pipe(
    Effect.map((seen) => ({ _tag: "Seen", view: { token, ...seen } satisfies ReplyView }) as const),
    Effect.catchTag("RepliesNotAllowed", (refusal) => Effect.succeed({ _tag: "Refused", refusal } as const))
  )

/**
 * The reply link page (S3), public: whoever holds a channel's current reply link reads that channel —
 * only that one — and, while replies are allowed, replies into it as the client. A revoked or renewed
 * link is 410; replies off or a blocked client 403. Posts must come from this page (`fromOurSite`:
 * there is no session to carry a CSRF token) and are throttled per link and per address.
 */
export const replyLinkRoutes = (runtime: ServerRuntime) => {
  const lookups = new ReplyThrottle(120, 10 * 60_000)
  const replies = new ReplyThrottle(20, 10 * 60_000)
  const tooMany = (c: Context) => c.html(<ReplyRefusedPage message="Too many requests from here. Please wait a few minutes and try again." />, 429)
  const failed = (c: Context) => c.html(<ReplyRefusedPage message="Something went wrong on our side. Please try again later." />, 500)

  return new Hono()
    .get("/r/:token", async (c) => {
      privateHeaders(c)
      const token = c.req.param("token")
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        if (!lookups.take([`address:${addressOf(c)}`], yield* Clock.currentTimeMillis)) return { _tag: "Throttled" } as const
        if (!tokenPattern.test(token)) return { _tag: "Gone" } as const
        return yield* read(token)
      }))
      if (!outcome.ok) return failed(c)
      const result = outcome.value
      if (result._tag === "Throttled") return tooMany(c)
      if (result._tag === "Gone") return c.html(<ReplyRefusedPage message={revoked} />, 410)
      if (result._tag === "Refused") return c.html(<ReplyRefusedPage message={result.refusal.message} />, statusOf(result.refusal))
      return c.html(<ReplyPage view={result.view} sent={c.req.query("sent") === "1"} />)
    })
    .post("/r/:token", async (c) => {
      privateHeaders(c)
      const token = c.req.param("token")
      const config = await runtime.runPromise(ServerConfig.use(Effect.succeed))
      if (!fromOurSite(c, config.publicBaseUrl)) return c.html(<ReplyRefusedPage message="Send your reply from the reply page itself." />, 403)
      const form = await c.req.parseBody()
      const body = typeof form["body"] === "string" ? form["body"] : ""
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        if (!replies.take([`token:${token}`, `address:${addressOf(c)}`], now)) return { _tag: "Throttled" } as const
        if (!tokenPattern.test(token)) return { _tag: "Gone" } as const
        return yield* replyViaLink({ token, body }).pipe(
          Effect.as({ _tag: "Sent" } as const),
          Effect.catchTag("RepliesNotAllowed", (refusal) => Effect.succeed({ _tag: "Refused", refusal } as const)),
          Effect.catchTag("InvalidMessage", (invalid) => Effect.map(read(token), (seen) => ({ _tag: "Invalid", seen, message: invalid.message }) as const))
        )
      }))
      if (!outcome.ok) return failed(c)
      const result = outcome.value
      if (result._tag === "Throttled") return tooMany(c)
      if (result._tag === "Gone") return c.html(<ReplyRefusedPage message={revoked} />, 410)
      if (result._tag === "Sent") return c.redirect(`/r/${token}?sent=1`, 303)
      if (result._tag === "Refused") return c.html(<ReplyRefusedPage message={result.refusal.message} />, statusOf(result.refusal))
      if (result.seen._tag === "Refused") return c.html(<ReplyRefusedPage message={result.seen.refusal.message} />, statusOf(result.seen.refusal))
      return c.html(<ReplyPage view={result.seen.view} body={body} error={result.message} />, 422)
    })
}
