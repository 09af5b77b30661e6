import { Mailer, MailFailed } from "@careline/core"
import { Effect, Layer, Redacted } from "effect"
import nodemailer from "nodemailer"

export interface SmtpConfig {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`; it may hold a password. */
  readonly url: Redacted.Redacted<string>
  /** The sender, e.g. `Careline <careline@example.org>`. */
  readonly from: string
  /** How long to wait for the server at each step (default 10 s): a stuck server must not hold sends forever. */
  readonly timeoutMillis?: number
}

/** Why the server refused, without the message or its address: a code, and the SMTP reply code when there is one. */
const reasonOf = (error: unknown): string => {
  if (typeof error !== "object" || error === null) return "the SMTP server could not be reached"
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown }
  const parts = [
    typeof code === "string" ? code : "SMTP error",
    typeof responseCode === "number" ? `reply ${responseCode}` : undefined
  ].filter((part) => part !== undefined)
  return parts.join(", ")
}

/**
 * A `Mailer` over SMTP (nodemailer). One pooled transport for the layer's life, closed with it.
 * A failure is a `MailFailed` whose reason names the SMTP error code, never the email's content.
 *
 * @example
 * ```ts
 * const layer = SmtpMailer.layer({ url: Redacted.make("smtp://mail.example.org:587"), from: "Careline <careline@example.org>" })
 * ```
 */
export const layer = (config: SmtpConfig): Layer.Layer<Mailer> =>
  Layer.effect(
    Mailer,
    Effect.gen(function* () {
      const timeout = config.timeoutMillis ?? 10_000
      const transport = yield* Effect.acquireRelease(
        Effect.sync(() =>
          nodemailer.createTransport({
            url: Redacted.value(config.url),
            pool: true,
            connectionTimeout: timeout,
            greetingTimeout: timeout,
            socketTimeout: timeout
          })
        ),
        (transport) => Effect.sync(() => transport.close())
      )
      return Mailer.of({
        send: (email) =>
          Effect.tryPromise({
            try: () => transport.sendMail({ from: config.from, to: email.to, subject: email.subject, text: email.text }),
            catch: (error) => new MailFailed({ reason: reasonOf(error) })
          }).pipe(Effect.asVoid)
      })
    })
  )
