import type { OutboxId, PhoneNumber } from "@careline/core"
import type { SendOutcome } from "@careline/adapter-fake-sms"

/** `sending`: claimed by a worker that died before handing it over, until its lease ends. */
export type ModelEntryState = "pending" | "sending" | "sent" | "failed" | "unknown"

/** What the rules say about one staff text in the outbox. */
export interface ModelEntry {
  readonly id: OutboxId
  readonly to: PhoneNumber
  state: ModelEntryState
  /** Times it was handed to the provider. */
  attempts: number
  /** While `sending`, when the dead worker's lease ends. */
  leaseUntil?: number
  /** Times the provider may have put it on the air (accepted, or the answer was lost): never more than once. */
  onAir: number
  /** The provider outcomes it met, for counterexamples and coverage. */
  readonly history: Array<string>
}

export interface OutboxModel {
  /** The fault plan the fake still holds, in order; an empty plan means the next send succeeds. */
  readonly faults: Array<SendOutcome>
  readonly entries: Map<OutboxId, ModelEntry>
  readonly optedOut: Set<PhoneNumber>
}

export const initialModel = (): OutboxModel => ({ faults: [], entries: new Map(), optedOut: new Set() })

/** "at most 5 attempts" (docs/domain-rules.md, Outbox). */
export const MAX_ATTEMPTS = 5

/**
 * Every claim whose lease ended by `now` becomes `unknown` (never pending again, never re-sent);
 * returns how many did.
 */
export const modelExpireLeases = (model: OutboxModel, now: number): number => {
  let expired = 0
  for (const entry of model.entries.values()) {
    if (entry.state !== "sending" || entry.leaseUntil === undefined || entry.leaseUntil > now) continue
    entry.state = "unknown"
    entry.history.push("lease expired")
    expired += 1
  }
  return expired
}

/** Back-off for the n-th transient failure: 2 s doubling, and never sooner than the provider's Retry-After. */
export const expectedRetryDelay = (attempts: number, retryAfterMs: number | undefined): number =>
  Math.max(2_000 * 2 ** (attempts - 1), retryAfterMs ?? 0)

export const describeOutcome = (outcome: SendOutcome): string =>
  outcome._tag === "Succeed" ? "Succeed" : `${outcome.reason}${outcome.retryAfterMs === undefined ? "" : `(${outcome.retryAfterMs}ms)`}`

/**
 * One hand-over to the provider, meeting the next planned outcome: accepted → sent; a transient
 * failure → retried (until the attempts run out); indeterminate → unknown, and it may have left;
 * recipient unsubscribed → failed and the number opted out; anything else → failed.
 */
export const modelHandOver = (model: OutboxModel, entry: ModelEntry): SendOutcome => {
  const outcome = model.faults.shift() ?? { _tag: "Succeed" }
  entry.attempts += 1
  entry.history.push(describeOutcome(outcome))
  if (outcome._tag === "Succeed") {
    entry.state = "sent"
    entry.onAir += 1
    return outcome
  }
  switch (outcome.reason) {
    case "Transient":
      entry.state = entry.attempts >= MAX_ATTEMPTS ? "failed" : "pending"
      break
    case "Indeterminate":
      entry.state = "unknown"
      entry.onAir += 1
      break
    case "RecipientUnsubscribed":
      entry.state = "failed"
      model.optedOut.add(entry.to)
      break
    case "Rejected":
    case "InvalidNumber":
      entry.state = "failed"
  }
  return outcome
}
