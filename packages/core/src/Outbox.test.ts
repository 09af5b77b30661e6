import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ConsentState } from "./Consent.js"
import type { StaffId } from "./Ids.js"
import type { MessageAuthor } from "./Message.js"
import { handOverAllowed, MAX_ATTEMPTS, nextSlot, retryDelayMs } from "./Outbox.js"

const consentStates: ReadonlyArray<ConsentState> = ["unknown", "pending", "opted_in", "opted_out"]
const staffAuthor: MessageAuthor = { _tag: "Staff", staffId: "staff-1" as StaffId }
const system = (purpose: Extract<MessageAuthor, { _tag: "System" }>["purpose"]): MessageAuthor => ({ _tag: "System", purpose })

describe("handOverAllowed", () => {
  // author × consent state, for a client that is not blocked (from the Decisions section).
  const table: ReadonlyArray<readonly [string, MessageAuthor, Record<ConsentState, boolean>]> = [
    ["Staff", staffAuthor, { unknown: false, pending: false, opted_in: true, opted_out: false }],
    ["opt_out_confirmation", system("opt_out_confirmation"), { unknown: true, pending: true, opted_in: true, opted_out: true }],
    ["opt_in_request", system("opt_in_request"), { unknown: true, pending: true, opted_in: false, opted_out: false }],
    ["help", system("help"), { unknown: true, pending: true, opted_in: true, opted_out: false }],
    ["welcome", system("welcome"), { unknown: false, pending: false, opted_in: true, opted_out: false }],
    ["after_hours", system("after_hours"), { unknown: false, pending: false, opted_in: true, opted_out: false }]
  ]

  for (const [name, author, expected] of table) {
    for (const consent of consentStates) {
      it(`${name} to ${consent}: ${expected[consent] ? "hand over" : "refuse"}`, () => {
        expect(handOverAllowed(author, consent, false)).toBe(expected[consent])
      })
      it(`${name} to ${consent}, client blocked: refuse`, () => {
        expect(handOverAllowed(author, consent, true)).toBe(false)
      })
    }
  }
})

describe("retryDelayMs", () => {
  it("2 s doubling from the first retry", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000])
  })

  it("caps at 5 minutes", () => {
    expect(retryDelayMs(8)).toBe(256_000)
    expect(retryDelayMs(9)).toBe(300_000)
    expect(retryDelayMs(10)).toBe(300_000)
    expect(retryDelayMs(50)).toBe(300_000)
    expect(retryDelayMs(2_000)).toBe(300_000)
  })

  it("attempt 0 (or less) waits the base delay, not less", () => {
    expect(retryDelayMs(0)).toBe(2_000)
    expect(retryDelayMs(-3)).toBe(2_000)
  })

  it("honours Retry-After: waits at least as long as the provider asks", () => {
    expect(retryDelayMs(1, 10_000)).toBe(10_000)
    expect(retryDelayMs(3, 1_000)).toBe(8_000)
    expect(retryDelayMs(1, 0)).toBe(2_000)
    expect(retryDelayMs(1, undefined)).toBe(2_000)
    expect(retryDelayMs(9, 600_000)).toBe(600_000)
  })

  it("property: never decreasing in attempts, within [2 s, 5 min] without Retry-After, never below Retry-After", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }), (n, retryAfter) => {
        const delay = retryDelayMs(n, retryAfter)
        expect(retryDelayMs(n + 1, retryAfter)).toBeGreaterThanOrEqual(delay)
        expect(delay).toBeGreaterThanOrEqual(retryAfter ?? 0)
        expect(retryDelayMs(n)).toBeGreaterThanOrEqual(2_000)
        expect(retryDelayMs(n)).toBeLessThanOrEqual(300_000)
      })
    )
  })

  it("at most 5 attempts", () => {
    expect(MAX_ATTEMPTS).toBe(5)
  })
})

describe("nextSlot", () => {
  it("an idle line: the next slot is one interval after now", () => {
    expect(nextSlot(Number.NEGATIVE_INFINITY, 10_000, 1)).toBe(11_000)
    expect(nextSlot(9_000, 10_000, 4)).toBe(10_250)
    expect(nextSlot(10_000, 10_000, 10)).toBe(10_100)
  })

  it("a busy line: one interval after the previous slot", () => {
    expect(nextSlot(12_000, 10_000, 1)).toBe(13_000)
    expect(nextSlot(12_000, 10_000, 0.5)).toBe(14_000)
  })

  it("property: sends that each take the next slot are at most ratePerSecond per second", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 60 }),
        (rate, gaps) => {
          // A dispatcher that sends when slot <= now, as the core's does.
          let now = 0
          let slot = Number.NEGATIVE_INFINITY
          const sentAt: Array<number> = []
          for (const gap of gaps) {
            now += gap
            if (slot <= now) {
              sentAt.push(now)
              slot = nextSlot(slot, now, rate)
              expect(slot).toBeCloseTo(now + 1000 / rate, 6)
            }
          }
          for (let i = 1; i < sentAt.length; i++) {
            expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(1000 / rate - 1e-9)
          }
        }
      )
    )
  })
})
