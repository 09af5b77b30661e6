import { Schema } from "effect"
import type { ConsentState } from "./Consent.js"
import type { MessageAuthor } from "./Message.js"
import { LineId, MessageId, Millis, OrganisationId, OutboxId, ProviderMessageId } from "./Ids.js"
import { PhoneNumber } from "./PhoneNumber.js"

/**
 * A send waiting to be handed to the provider. Written with its message in one transaction;
 * `sending` is claimed, with a lease, before the provider is called, so a worker that dies mid-send
 * leaves a claim whose lease runs out and is reconciled as `unknown`, never sent a second time.
 */
export const OutboxState = Schema.Literals(["pending", "sending", "sent", "failed", "unknown"])
export type OutboxState = typeof OutboxState.Type

export const OutboxEntry = Schema.Struct({
  id: OutboxId,
  organisationId: OrganisationId,
  messageId: MessageId,
  lineId: LineId,
  from: PhoneNumber,
  to: PhoneNumber,
  body: Schema.String,
  state: OutboxState,
  attempts: Schema.Number,
  /** While `pending`, the earliest it may be handed over; while `sending`, when the claim's lease ends. */
  notBefore: Millis,
  createdAt: Millis,
  providerMessageId: Schema.optional(ProviderMessageId),
  lastError: Schema.optional(Schema.String)
})
export type OutboxEntry = typeof OutboxEntry.Type

export const MAX_ATTEMPTS = 5

/**
 * How long a claim is held. A dispatch round hands its claims to the provider one after another
 * (each with a timeout of seconds), so a claim still `sending` after this is a worker that died mid-send.
 */
export const CLAIM_LEASE_MS = 120_000

/** The `lastError` of an entry whose claim's lease ran out: it may or may not have left. */
export const LEASE_EXPIRED = "lease_expired"

/** Exponential back-off for transient failures: 2 s, 4 s, 8 s, … capped at 5 minutes. */
export const retryDelayMs = (attempts: number, retryAfterMs?: number): number =>
  Math.max(retryAfterMs ?? 0, Math.min(2_000 * 2 ** Math.max(0, attempts - 1), 300_000))

/**
 * A line's rate as a sliding window: at most `capacity` hand-overs in any `windowMs`. A rate of 1 or
 * more is that many a second (fractions dropped: 2.5 → 2); a slower one is one per `1000 / rate` ms.
 */
export interface RateWindow {
  readonly capacity: number
  readonly windowMs: number
}

export const rateWindow = (ratePerSecond: number): RateWindow =>
  ratePerSecond >= 1 ? { capacity: Math.floor(ratePerSecond), windowMs: 1000 } : { capacity: 1, windowMs: 1000 / ratePerSecond }

/**
 * When a line may next hand over a text, given its recent hand-overs (oldest first): `now` while the
 * window has room, else when the oldest send that fills it leaves the window. A line may so use its
 * whole second at once (a short code sends 100 in one dispatch round) but never exceeds its rate in
 * any window.
 *
 * @example
 * nextFreeAt([0, 100, 200], 500, rateWindow(3)) // 1000
 */
export const nextFreeAt = (recent: ReadonlyArray<number>, now: number, rate: RateWindow): number => {
  const inWindow = recent.filter((at) => at > now - rate.windowMs)
  return inWindow.length < rate.capacity ? now : inWindow[inWindow.length - rate.capacity]! + rate.windowMs
}

/** The recent hand-overs after one at `at`: only those still inside the window are kept. */
export const recordHandOver = (recent: ReadonlyArray<number>, at: number, rate: RateWindow): ReadonlyArray<number> => [
  ...recent.filter((sent) => sent > at - rate.windowMs),
  at
]

/**
 * Checked again at the moment of hand-over, because consent or a block can change while a text
 * waits: staff texts, the welcome and after-hours replies need `opted_in`; the opt-in request goes
 * only to numbers neither in nor out; help to any number not opted out. The opt-out confirmation
 * always goes (each opt-out is confirmed exactly once, even if the client opts back in before it
 * leaves). Nothing at all goes to a blocked client.
 */
export const handOverAllowed = (author: MessageAuthor, consent: ConsentState, clientBlocked: boolean): boolean => {
  if (clientBlocked) return false
  if (author._tag !== "System") return consent === "opted_in"
  switch (author.purpose) {
    case "opt_out_confirmation":
      return true
    case "opt_in_request":
      return consent === "unknown" || consent === "pending"
    case "help":
      return consent !== "opted_out"
    case "welcome":
    case "after_hours":
      return consent === "opted_in"
  }
}
