import { type Email, Mailer } from "@careline/core"
import { Effect, type Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/** A mailer under test and where its emails can be read back (a capture, or a real SMTP server's inbox). */
export interface MailerUnderTest {
  readonly layer: Layer.Layer<Mailer, unknown>
  /** Every email delivered so far, oldest first, once `count` of them arrived. */
  readonly received: (count: number) => Promise<ReadonlyArray<Email>>
  readonly close: () => Promise<void>
}

const send = (layer: Layer.Layer<Mailer, unknown>, emails: ReadonlyArray<Email>) =>
  Effect.runPromise(Effect.provide(Mailer.use((mailer) => Effect.forEach(emails, mailer.send, { discard: true })), layer))

/** What arrived, compared without the line endings and trailing newline a transport may add. */
const normalised = (email: Email): Email => ({ to: email.to, subject: email.subject, text: email.text.replace(/\r\n/g, "\n").replace(/\n+$/, "") })

/**
 * What every `Mailer` adapter must do: deliver each email to its address with its subject and text
 * exactly (non-ASCII too), in the order sent. Each adapter's tests run it with a way to read back.
 *
 * @example
 * mailerSuite("memory", async () => ({ layer: MemoryMailer.layer, received: …, close: async () => {} }))
 */
export const mailerSuite = (name: string, make: () => Promise<MailerUnderTest>) =>
  describe(`Mailer (${name})`, () => {
    let underTest: MailerUnderTest
    let delivered = 0
    beforeAll(async () => {
      underTest = await make()
    })
    afterAll(() => underTest.close())

    const deliver = async (emails: ReadonlyArray<Email>) => {
      await send(underTest.layer, emails)
      delivered += emails.length
      return (await underTest.received(delivered)).slice(delivered - emails.length).map(normalised)
    }

    it("delivers the email to its address with its subject and text", async () => {
      const email = { to: "casey@example.net", subject: "You have a new secure message from Harbour Care", text: "Sign in to read it:\nhttps://careline.example.org/portal/sign-in" }
      expect(await deliver([email])).toEqual([email])
    })

    it("keeps non-ASCII subjects and texts, long lines and blank lines", async () => {
      const email = { to: "zoë@example.net", subject: "Nouveau message — Clinique Été 😀", text: `Bonjour Zoë,\n\n${"é".repeat(120)} ${"x".repeat(200)}\n\n— l'équipe` }
      expect(await deliver([email])).toEqual([email])
    })

    it("delivers several emails in the order sent", async () => {
      const emails = [1, 2, 3].map((n) => ({ to: `person${n}@example.net`, subject: `Notice ${n}`, text: `Body ${n}` }))
      expect(await deliver(emails)).toEqual(emails)
    })
  })
