import { Mailer } from "@careline/core"
import { Effect, Exit, Redacted } from "effect"
import { mailerSuite } from "@careline/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as SmtpMailer from "./SmtpMailer.js"
import { type SmtpTestServer, startSmtpTestServer } from "./testing/index.js"

mailerSuite("smtp", async () => {
  const server = await startSmtpTestServer()
  return {
    layer: SmtpMailer.layer({ url: Redacted.make(server.url), from: "careline@example.org" }),
    received: async (count) => (await server.waitFor(count)).map((email) => ({ to: email.to.join(", "), subject: email.subject, text: email.text })),
    close: server.close
  }
})

let smtp: SmtpTestServer
beforeAll(async () => {
  smtp = await startSmtpTestServer()
})
afterAll(() => smtp.close())

const send = (email: { to: string; subject: string; text: string }, url = smtp.url) =>
  Effect.runPromiseExit(
    Effect.scoped(
      Effect.provide(
        Mailer.use((mailer) => mailer.send(email)),
        SmtpMailer.layer({ url: Redacted.make(url), from: "Careline <careline@example.org>", timeoutMillis: 2_000 })
      )
    )
  )

describe("SmtpMailer", () => {
  it("delivers to the SMTP server: envelope, subject and text as sent (non-ASCII too)", async () => {
    const before = smtp.received().length
    const exit = await send({ to: "casey@example.net", subject: "Un nouveau message — Harbour Care", text: "Bonjour,\n\nsign in: https://careline.example.org/portal/sign-in\n" })
    expect(Exit.isSuccess(exit)).toBe(true)
    const [email] = (await smtp.waitFor(before + 1)).slice(before)
    expect(email).toMatchObject({ from: "careline@example.org", to: ["casey@example.net"], subject: "Un nouveau message — Harbour Care" })
    expect(email!.text).toContain("Bonjour,\n\nsign in: https://careline.example.org/portal/sign-in")
  })

  it("a refusal is a MailFailed naming the SMTP reply code, never the address or the content", async () => {
    smtp.refuseWith(550)
    const exit = await send({ to: "casey@example.net", subject: "secret subject", text: "secret text" })
    smtp.refuseWith(undefined)
    expect(Exit.isFailure(exit)).toBe(true)
    const printed = JSON.stringify(exit)
    expect(printed).toContain("MailFailed")
    expect(printed).toContain("reply 550")
    expect(printed).not.toMatch(/casey|secret/)
  })

  it("an unreachable server is a MailFailed, not a defect", async () => {
    const closed = await startSmtpTestServer()
    await closed.close()
    const exit = await send({ to: "casey@example.net", subject: "s", text: "t" }, closed.url)
    expect(exit).toMatchObject({ _tag: "Failure" })
    expect(JSON.stringify(exit)).toContain("MailFailed")
    expect(JSON.stringify(exit)).toMatch(/ECONNECTION|ESOCKET/)
  })
})
