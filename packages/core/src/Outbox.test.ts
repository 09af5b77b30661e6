import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ConsentState } from "./Consent.js"
import type { StaffId } from "./Ids.js"
import type { MessageAuthor } from "./Message.js"
import { handOverAllowed, MAX_ATTEMPTS, nextFreeAt, rateWindow, recordHandOver, retryDelayMs } from "./Outbox.js"

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

describe("rate window", () => {
  it("lets a line use its whole window, then waits for the oldest send to leave it", () => {
    const three = rateWindow(3)
    expect(nextFreeAt([], 500, three)).toBe(500)
    expect(nextFreeAt([0, 100], 500, three)).toBe(500)
    expect(nextFreeAt([0, 100, 200], 500, three)).toBe(1000)
    expect(nextFreeAt([0, 100, 200], 1000, three)).toBe(1000)
    expect(nextFreeAt([0, 100, 200], 999, three)).toBe(1000)
  })

  it("reads rates as sends per window: fractions of a send dropped, slow lines one per interval", () => {
    expect(rateWindow(100)).toEqual({ capacity: 100, windowMs: 1000 })
    expect(rateWindow(2.5)).toEqual({ capacity: 2, windowMs: 1000 })
    expect(rateWindow(0.5)).toEqual({ capacity: 1, windowMs: 2000 })
  })

  it("keeps only the sends still inside the window", () => {
    expect(recordHandOver([0, 400, 900], 1200, rateWindow(3))).toEqual([400, 900, 1200])
  })

  it("property: a dispatcher that sends whenever the line is free never exceeds the rate in any window, and keeps up with it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0.5, 1, 3, 10, 100),
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 300 }),
        (ratePerSecond, gaps) => {
          const rate = rateWindow(ratePerSecond)
          let now = 0
          let recent: ReadonlyArray<number> = []
          const sentAt: Array<number> = []
          for (const gap of gaps) {
            now += gap
            // Offer as many as the line takes at this instant (a round with plenty waiting).
            while (nextFreeAt(recent, now, rate) <= now) {
              sentAt.push(now)
              recent = recordHandOver(recent, now, rate)
            }
          }
          for (let i = rate.capacity; i < sentAt.length; i++) {
            expect(sentAt[i]! - sentAt[i - rate.capacity]!).toBeGreaterThanOrEqual(rate.windowMs)
          }
          // Keeping up: the window is full at the last instant (it was offered work whenever free).
          expect(recent.filter((at) => at > now - rate.windowMs).length).toBe(rate.capacity)
        }
      )
    )
  })
})
