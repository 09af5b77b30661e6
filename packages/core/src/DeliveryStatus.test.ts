import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type DeliveryState, type DeliveryStatus, isFinal, mergeDelivery } from "./DeliveryStatus.js"

/** The total order from docs/domain-rules.md, lowest first. */
const ORDER: ReadonlyArray<DeliveryStatus> = ["received", "queued", "sending", "unknown", "sent", "failed", "undelivered", "delivered"]
const rankOf = (status: DeliveryStatus) => ORDER.indexOf(status)

const state = (status: DeliveryStatus, errorCode?: string): DeliveryState =>
  errorCode === undefined ? { status } : { status, errorCode }

/** Provider error codes as they really come: Twilio's numeric codes and the core's own refusal codes. */
const errorCode = fc.oneof(
  fc.constantFrom("30003", "30005", "30006", "30007", "30008", "21610", "21211", "blocked", "consent_opted_out", "interrupted"),
  fc.stringMatching(/^[0-9]{1,5}$/)
)
const deliveryState: fc.Arbitrary<DeliveryState> = fc
  .tuple(fc.constantFrom(...ORDER), fc.option(errorCode, { nil: undefined }))
  .map(([status, code]) => state(status, code))

describe("mergeDelivery: a join on the documented total order", () => {
  it("is commutative", () => {
    fc.assert(fc.property(deliveryState, deliveryState, (a, b) => {
        expect(mergeDelivery(a, b)).toEqual(mergeDelivery(b, a))
      })
    )
  })

  it("is associative", () => {
    fc.assert(
      fc.property(deliveryState, deliveryState, deliveryState, (a, b, c) => {
        expect(mergeDelivery(mergeDelivery(a, b), c)).toEqual(mergeDelivery(a, mergeDelivery(b, c)))
      })
    )
  })

  it("is idempotent, and a repeated callback changes nothing", () => {
    fc.assert(
      fc.property(deliveryState, deliveryState, (a, b) => {
        expect(mergeDelivery(a, a)).toEqual(a)
        const once = mergeDelivery(a, b)
        expect(mergeDelivery(once, b)).toEqual(once)
      })
    )
  })

  it("returns one of its inputs and never lowers the rank", () => {
    fc.assert(
      fc.property(deliveryState, deliveryState, (a, b) => {
        const merged = mergeDelivery(a, b)
        expect([a, b]).toContainEqual(merged)
        expect(rankOf(merged.status)).toBeGreaterThanOrEqual(rankOf(a.status))
        expect(rankOf(merged.status)).toBeGreaterThanOrEqual(rankOf(b.status))
      })
    )
  })

  it("any order of the same callbacks ends in the same state", () => {
    fc.assert(
      fc.property(
        fc.array(deliveryState, { minLength: 1, maxLength: 8 }).chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length }))),
        ([xs, ys]) => {
          const fold = (list: ReadonlyArray<DeliveryState>) => list.reduce(mergeDelivery, state("queued"))
          expect(fold(ys)).toEqual(fold(xs))
        }
      )
    )
  })
})

describe("mergeDelivery: specific orderings", () => {
  it("each status outranks the one before it in the documented order, whichever arrives first", () => {
    for (let i = 1; i < ORDER.length; i++) {
      const lower = state(ORDER[i - 1]!)
      const higher = state(ORDER[i]!)
      expect(mergeDelivery(lower, higher), `${lower.status} then ${higher.status}`).toEqual(higher)
      expect(mergeDelivery(higher, lower), `${higher.status} then ${lower.status}`).toEqual(higher)
    }
  })

  it("the normal lifecycle moves forward: queued → sending → sent → delivered", () => {
    let current = state("queued")
    for (const next of ["sending", "sent", "delivered"] as const) {
      current = mergeDelivery(current, state(next))
      expect(current.status).toBe(next)
    }
  })

  it("a late 'sent' after 'delivered' stays delivered", () => {
    expect(mergeDelivery(state("delivered"), state("sent"))).toEqual(state("delivered"))
    expect(mergeDelivery(state("delivered"), state("sending"))).toEqual(state("delivered"))
    expect(mergeDelivery(state("delivered"), state("queued"))).toEqual(state("delivered"))
  })

  it("failed vs delivered → delivered, in either order, dropping the failure's code", () => {
    expect(mergeDelivery(state("failed", "30008"), state("delivered"))).toEqual(state("delivered"))
    expect(mergeDelivery(state("delivered"), state("failed", "30008"))).toEqual(state("delivered"))
    expect(mergeDelivery(state("undelivered", "30003"), state("delivered"))).toEqual(state("delivered"))
  })

  it("undelivered outranks failed; a failure outranks sent", () => {
    expect(mergeDelivery(state("failed", "30008"), state("undelivered", "30003"))).toEqual(state("undelivered", "30003"))
    expect(mergeDelivery(state("undelivered", "30003"), state("failed", "30008"))).toEqual(state("undelivered", "30003"))
    expect(mergeDelivery(state("sent"), state("failed", "30007"))).toEqual(state("failed", "30007"))
    expect(mergeDelivery(state("failed", "30007"), state("sent"))).toEqual(state("failed", "30007"))
  })

  it("unknown (a send that may have left) is overtaken by any provider report", () => {
    for (const status of ["sent", "failed", "undelivered", "delivered"] as const) {
      expect(mergeDelivery(state("unknown", "interrupted"), state(status)).status).toBe(status)
    }
    expect(mergeDelivery(state("unknown", "interrupted"), state("sending"))).toEqual(state("unknown", "interrupted"))
  })

  it("same status: the larger error code wins, whichever order; a code beats none", () => {
    expect(mergeDelivery(state("failed", "30003"), state("failed", "30005"))).toEqual(state("failed", "30005"))
    expect(mergeDelivery(state("failed", "30005"), state("failed", "30003"))).toEqual(state("failed", "30005"))
    expect(mergeDelivery(state("failed"), state("failed", "30005"))).toEqual(state("failed", "30005"))
    expect(mergeDelivery(state("failed", "30005"), state("failed"))).toEqual(state("failed", "30005"))
  })

  // The rule: "any order of the same callbacks gives the same final state". These three pairs are
  // distinct states of equal rank whose codes the tie-break (localeCompare, missing code as "")
  // considers equal, so the result depends on arrival order.
  const collatingAlike: ReadonlyArray<readonly [string, DeliveryState, DeliveryState]> = [
    ["no code vs empty code", state("failed"), state("failed", "")],
    ["precomposed vs combining accent", state("failed", "\u00e9"), state("failed", "e\u0301")],
    ["code vs code with a trailing NUL", state("failed", "30003"), state("failed", "30003\u0000")]
  ]
  for (const [name, a, b] of collatingAlike) {
    it(`ties are broken the same way in either order: ${name}`, () => {
      expect(mergeDelivery(a, b)).toEqual(mergeDelivery(b, a))
    })
  }
})

describe("isFinal", () => {
  it("delivered, undelivered, failed and received are final; the rest are not", () => {
    const expected: Record<DeliveryStatus, boolean> = {
      received: true,
      queued: false,
      sending: false,
      unknown: false,
      sent: false,
      failed: true,
      undelivered: true,
      delivered: true
    }
    for (const status of ORDER) expect(isFinal(status), status).toBe(expected[status])
  })
})
