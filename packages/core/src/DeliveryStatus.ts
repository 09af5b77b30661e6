import { Schema } from "effect"

/**
 * Outbound: queued → sending → sent → delivered, or undelivered / failed with the provider's code;
 * `unknown` when a send may or may not have left (flagged for staff, never blindly re-sent).
 * Inbound messages are `received`.
 */
export const DeliveryStatus = Schema.Literals(["queued", "sending", "unknown", "sent", "failed", "undelivered", "delivered", "received"])
export type DeliveryStatus = typeof DeliveryStatus.Type

export interface DeliveryState {
  readonly status: DeliveryStatus
  readonly errorCode?: string
}

const rank: Record<DeliveryStatus, number> = {
  received: 0,
  queued: 1,
  sending: 2,
  unknown: 3,
  sent: 4,
  failed: 5,
  undelivered: 6,
  delivered: 7
}

/** By code unit, with "no code" below every code, so no two different states ever tie. */
const compareCodes = (a: string | undefined, b: string | undefined): number =>
  a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : a < b ? -1 : 1

const compare = (a: DeliveryState, b: DeliveryState): number =>
  rank[a.status] - rank[b.status] || compareCodes(a.errorCode, b.errorCode)

/**
 * Merges a status update into the current state. A state never moves backwards, and since this is a
 * join on a total order, any order or repetition of the same callbacks ends in the same state.
 * (Delivered outranks the failures: a handset receipt is the strongest evidence there is.)
 */
export const mergeDelivery = (current: DeliveryState, update: DeliveryState): DeliveryState =>
  compare(update, current) > 0 ? update : current

export const isFinal = (status: DeliveryStatus): boolean =>
  status === "delivered" || status === "undelivered" || status === "failed" || status === "received"
