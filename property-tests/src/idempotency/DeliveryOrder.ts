import type { DeliveryStatus, StatusUpdate } from "@careline/core"
import * as fc from "fast-check"

export interface Delivery {
  readonly status: DeliveryStatus
  readonly errorCode?: string | undefined
}

/** The total order of docs/domain-rules.md ("Delivery states"), written out here on its own. */
const order: ReadonlyArray<DeliveryStatus> = ["received", "queued", "sending", "unknown", "sent", "failed", "undelivered", "delivered"]

/** Negative, zero or positive as `a` comes before, with or after `b`; ties broken by error code (none first). */
export const compareDelivery = (a: Delivery, b: Delivery): number => {
  const byStatus = order.indexOf(a.status) - order.indexOf(b.status)
  if (byStatus !== 0) return byStatus
  const ca = a.errorCode ?? ""
  const cb = b.errorCode ?? ""
  return ca < cb ? -1 : ca > cb ? 1 : 0
}

/** An update is merged by taking the larger: the state is the maximum of everything seen. */
export const maxDelivery = (states: ReadonlyArray<Delivery>): Delivery =>
  states.reduce((best, s) => (compareDelivery(s, best) > 0 ? s : best))

export const show = (d: Delivery): string => (d.errorCode === undefined ? d.status : `${d.status}(${d.errorCode})`)

export type Callback = Omit<StatusUpdate, "providerMessageId">

const callbackStatus = fc.constantFrom<StatusUpdate["status"]>("sending", "sent", "delivered", "undelivered", "failed")
const errorCode = fc.option(fc.constantFrom("30003", "30005", "30007", "21610"), { nil: undefined })

/** Any multiset of callbacks (duplicates included, codes on any status), in two orders. */
export const arbCallbacks: fc.Arbitrary<{ readonly first: ReadonlyArray<Callback>; readonly second: ReadonlyArray<Callback> }> = fc
  .array(
    fc.record({ status: callbackStatus, errorCode }).map(({ status, errorCode }): Callback =>
      errorCode === undefined ? { status } : { status, errorCode }),
    { maxLength: 12 }
  )
  .chain((updates) => fc.tuple(fc.constant(updates), fc.shuffledSubarray(updates, { minLength: updates.length, maxLength: updates.length })))
  .chain(([updates, first]) =>
    fc.shuffledSubarray(updates, { minLength: updates.length, maxLength: updates.length }).map((second) => ({ first, second })))
