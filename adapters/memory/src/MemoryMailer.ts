import { type Email, Mailer } from "@careline/core"
import { Clock, Context, Effect, Layer, Ref } from "effect"

/** An email the capturing mailer kept, with when it was "sent" (epoch ms). */
export interface CapturedEmail extends Email {
  readonly at: number
}

/** Read side of the capturing mailer: what was sent so far, oldest first (the demo's mailbox, tests' assertions). */
export class CapturedMail extends Context.Service<CapturedMail, {
  readonly all: Effect.Effect<ReadonlyArray<CapturedEmail>>
  /** False when mail really leaves (SMTP): then nothing is captured and `all` stays empty. */
  readonly capturing: boolean
}>()("@careline/adapter-memory/CapturedMail") {}

/** The demo keeps this many emails (the newest); older ones are dropped so a long-running demo stays small. */
const keep = 500

/**
 * A `Mailer` that sends nothing: it keeps every email for {@link CapturedMail} to read back.
 *
 * @example
 * ```ts
 * const sent = yield* CapturedMail.use((mail) => mail.all)
 * ```
 */
export const layer: Layer.Layer<Mailer | CapturedMail> = Layer.effectContext(
  Effect.map(Ref.make<ReadonlyArray<CapturedEmail>>([]), (captured) =>
    Context.make(
      Mailer,
      Mailer.of({
        send: (email) =>
          Effect.flatMap(Clock.currentTimeMillis, (at) =>
            Ref.update(captured, (all) => [...all, { to: email.to, subject: email.subject, text: email.text, at }].slice(-keep)))
      })
    ).pipe(Context.add(CapturedMail, CapturedMail.of({ all: Ref.get(captured), capturing: true }))))
)

/** A `CapturedMail` that never holds anything: beside a real mailer, so the demo's mailbox can say so. */
export const notCapturing: Layer.Layer<CapturedMail> = Layer.succeed(CapturedMail, CapturedMail.of({ all: Effect.succeed([]), capturing: false }))
