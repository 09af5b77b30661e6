import { Context, type Effect, Schema } from "effect"

/** One email. Plain text; whoever builds it decides what it may carry (notifications carry no health data). */
export interface Email {
  readonly to: string
  readonly subject: string
  readonly text: string
}

export class MailFailed extends Schema.TaggedError<MailFailed>()("MailFailed", {
  reason: Schema.String
}) {}

/** Sends email: SMTP in production, a capturing mailbox in the demo and tests. */
export class Mailer extends Context.Service<Mailer, {
  readonly send: (email: Email) => Effect.Effect<void, MailFailed>
}>()("@careline/core/Mailer") {}
