import { CapturedMail } from "@careline/adapter-memory"
import { Effect } from "effect"
import { type Context, Hono } from "hono"
import { ServerConfig } from "../../../Config.js"
import { json, runEffect } from "../../../http/Respond.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { MailboxPage, MailList } from "./MailboxPage.js"

const notFound = () => json({ error: { code: "not_found", message: "Not found." } }, 404)

/**
 * The demo mailbox (`/simulator/mail`), public like the phone simulator and, like it, only with the
 * fake SMS provider (404 otherwise): it shows what the capturing mailer kept. Read-only.
 */
export const mailboxRoutes = (runtime: ServerRuntime) => {
  const read = (c: Context) =>
    runEffect(runtime, Effect.gen(function* () {
      const config = yield* ServerConfig
      if (config.sms.provider !== "fake") return undefined
      const mail = yield* CapturedMail
      const all = yield* mail.all
      const to = c.req.query("to") ?? ""
      return {
        capturing: mail.capturing,
        to,
        recipients: [...new Set(all.map((email) => email.to))].sort(),
        emails: to === "" ? all : all.filter((email) => email.to === to)
      }
    }))

  return new Hono()
    .get("/simulator/mail", async (c) => {
      const outcome = await read(c)
      if (!outcome.ok) return outcome.response
      if (outcome.value === undefined) return notFound()
      c.header("cache-control", "no-store")
      return c.html(<MailboxPage {...outcome.value} />)
    })
    .get("/simulator/mail/list", async (c) => {
      const outcome = await read(c)
      if (!outcome.ok) return outcome.response
      if (outcome.value === undefined) return notFound()
      c.header("cache-control", "no-store")
      return c.html(<MailList emails={outcome.value.emails} to={outcome.value.to} />)
    })
}
