import { ChannelId, type MessageMedia, MessageId, openAttachment, StaffId } from "@careline/core"
import { Effect, Redacted } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { pathId } from "../../../http/Input.js"
import type { ServerRuntime } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { type PageSubject, runPage } from "../clients/ClientAnswers.js"

const subject: PageSubject = {
  section: "messages",
  notFound: "This attachment does not exist, or you do not have access to its conversation.",
  back: { href: "/messages", label: "Back to messages" }
}

/**
 * Content types a browser may show inline; anything else is downloaded, so a file can never run as our
 * page (the app's CSP, which allows no inline script, applies to these answers too).
 */
const inlineTypes = /^(image\/(jpeg|png|gif|webp|bmp|heic|heif)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf)$/i

const TWILIO_API = "https://api.twilio.com"

const httpUrl = (text: string): URL | undefined => {
  try {
    const url = new URL(text)
    return url.protocol === "https:" || url.protocol === "http:" ? url : undefined
  } catch {
    return undefined
  }
}

class MediaUnavailable extends Error {}

/** A short HTML answer (the route is opened in a new tab, so a message alone is enough). */
const problem = (c: Context<WebEnv>, text: string, status: 404 | 502) =>
  Effect.promise(async () => await c.html(<p class="error" role="alert">{text}</p>, status))

/**
 * Twilio media is fetched with the account's credentials and passed on (never sniffed, never cached): only from Twilio's
 * own API origin (or the configured test double's), so the credentials never go anywhere else.
 */
const proxyTwilio = (c: Context<WebEnv>, media: MessageMedia, url: URL, sms: { readonly accountSid: string; readonly authToken: Redacted.Redacted<string>; readonly apiBaseUrl: string | undefined }) =>
  Effect.tryPromise({
    try: async () => {
      const allowed = new Set([TWILIO_API, ...(sms.apiBaseUrl === undefined ? [] : [new URL(sms.apiBaseUrl).origin])])
      if (!allowed.has(url.origin)) throw new MediaUnavailable("not a Twilio media URL")
      const basic = Buffer.from(`${sms.accountSid}:${Redacted.value(sms.authToken)}`).toString("base64")
      // Twilio answers with a redirect to the file's storage; fetch drops the credentials on a cross-origin redirect.
      const answer = await fetch(url, { headers: { authorization: `Basic ${basic}` }, redirect: "follow", signal: AbortSignal.timeout(15_000) })
      if (!answer.ok || answer.body === null) throw new MediaUnavailable(`provider answered ${answer.status}`)
      const type = answer.headers.get("content-type") ?? media.contentType
      return new Response(answer.body, { status: 200, headers: fileHeaders(type) })
    },
    catch: (error) => error
  }).pipe(
    Effect.catch((error) =>
      Effect.andThen(
        Effect.logWarning("An MMS attachment could not be fetched from the provider.", error instanceof Error ? error.message : "unknown"),
        problem(c, "The attachment could not be fetched from the SMS provider just now. Try again later.", 502)
      )))

const fileHeaders = (contentType: string): Record<string, string> => ({
  "content-type": contentType,
  "content-disposition": inlineTypes.test(contentType) ? "inline" : "attachment",
  "x-content-type-options": "nosniff",
  "cache-control": "private, no-store"
})

/** The attachment, once the core has checked access and audited the read: proxied for Twilio, a redirect otherwise. */
const attachment = (c: Context<WebEnv>, colleagueId?: StaffId) =>
  Effect.gen(function* () {
    const { staff } = c.get("signedIn")
    const channelId = yield* pathId(c.req.param("channelId"), "channel", ChannelId.make)
    const messageId = yield* pathId(c.req.param("messageId"), "message", MessageId.make)
    const n = c.req.param("n") ?? ""
    const index = /^\d{1,3}$/.test(n) ? Number(n) : -1
    const media = yield* openAttachment({ staffId: staff.id, channelId, messageId, index, ...(colleagueId === undefined ? {} : { colleagueId }) })
    const url = httpUrl(media.url)
    if (url === undefined) return yield* problem(c, "This attachment has no address that can be opened.", 404)
    const sms = c.get("config").sms
    if (sms.provider === "twilio") return yield* proxyTwilio(c, media, url, sms)
    // The fake provider's media are public demo URLs: a redirect is enough.
    c.header("cache-control", "private, no-store")
    c.header("referrer-policy", "no-referrer")
    return c.redirect(url.href, 302)
  })

/**
 * `GET /messages/:channelId/attachments/:messageId/:n` (and the same under a colleague's inbox): the
 * n-th picture or file of an inbound MMS, for whoever may see the channel — 404 for anyone else, as
 * for the channel itself. The provider's URL never reaches the page or the audit log.
 */
export const attachmentRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .get("/messages/colleague/:staffId/:channelId/attachments/:messageId/:n", (c) =>
      runPage(c, runtime, Effect.flatMap(pathId(c.req.param("staffId"), "staff", StaffId.make), (colleagueId) => attachment(c, colleagueId)), subject))
    .get("/messages/:channelId/attachments/:messageId/:n", (c) => runPage(c, runtime, attachment(c), subject))
