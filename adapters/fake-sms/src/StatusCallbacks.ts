import type { ProviderMessageId, StatusUpdate } from "@careline/core"

/** How the fake's status callbacks for one message should arrive. */
export interface StatusCallbackOptions {
  /** The last status; `delivered` unless given. */
  readonly final?: "delivered" | "undelivered" | "failed"
  /** Put on the final callback, as a provider reports the reason for `undelivered`/`failed`. */
  readonly errorCode?: string
  /** Send every callback twice, as providers retry webhooks they think went unanswered. */
  readonly duplicate?: boolean
  /** Deliver the callbacks in a seeded pseudo-random order; the same seed gives the same order. */
  readonly shuffleSeed?: number
}

/**
 * The status callbacks a provider would send for one message: `sending, sent, <final>`, or
 * `sending, failed` (a `failed` message never reached the carrier, so it is never `sent`).
 *
 * @example
 * statusCallbacks(sid, { final: "undelivered", errorCode: "30003", duplicate: true, shuffleSeed: 7 })
 */
export const statusCallbacks = (
  providerMessageId: ProviderMessageId,
  options: StatusCallbackOptions = {}
): ReadonlyArray<StatusUpdate> => {
  const final = options.final ?? "delivered"
  const steps: ReadonlyArray<StatusUpdate["status"]> = final === "failed" ? ["sending", "failed"] : ["sending", "sent", final]
  const updates = steps.map((status, i): StatusUpdate =>
    i === steps.length - 1 && options.errorCode !== undefined
      ? { providerMessageId, status, errorCode: options.errorCode }
      : { providerMessageId, status }
  )
  const delivered = options.duplicate === true ? updates.flatMap((u) => [u, u]) : updates
  return options.shuffleSeed === undefined ? delivered : shuffle(delivered, options.shuffleSeed)
}

/** A Fisher–Yates shuffle driven by mulberry32, so a seed always yields the same permutation. */
export const shuffle = <A>(items: ReadonlyArray<A>, seed: number): Array<A> => {
  const next = mulberry32(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** mulberry32: a tiny 32-bit PRNG returning floats in [0, 1). */
const mulberry32 = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
