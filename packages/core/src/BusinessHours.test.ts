import { Option, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  BusinessHours,
  closedPeriodStart,
  defaultQuietHours,
  isOpen,
  isQuietTime,
  nextSendableAt,
  OpeningInterval,
  QuietHours,
  TimeOfDay,
  type Weekday
} from "./BusinessHours.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, mo - 1, d, h, mi, s)

const weekdays = (opens: string, closes: string): BusinessHours["weekly"] =>
  (["mon", "tue", "wed", "thu", "fri"] as const).map((day) => ({ day, opens, closes }))

const chicago: BusinessHours = {
  timeZone: "America/Chicago",
  weekly: [...weekdays("09:00", "17:00"), { day: "sat", opens: "10:00", closes: "14:00" }],
  holidays: ["2025-12-25"]
}

const london: BusinessHours = {
  timeZone: "Europe/London",
  weekly: weekdays("09:00", "17:30"),
  holidays: ["2025-12-25", "2025-12-26"]
}

/** Every instant in [from, to) at `step`, plus the last millisecond. */
const instants = (from: number, to: number, step: number): Array<number> => {
  const out: Array<number> = []
  for (let t = from; t < to; t += step) out.push(t)
  out.push(to - 1)
  return out
}

describe("schemas", () => {
  const decode = (schema: Schema.Constraint, input: unknown): boolean => Schema.is(schema)(input)

  it("TimeOfDay is 24h HH:MM", () => {
    for (const ok of ["00:00", "09:30", "23:59"]) expect(decode(TimeOfDay, ok), ok).toBe(true)
    for (const bad of ["24:00", "9:00", "12:60", "12:5", "1200", " 12:00"]) expect(decode(TimeOfDay, bad), bad).toBe(false)
  })

  it("OpeningInterval requires opens < closes", () => {
    expect(decode(OpeningInterval, { day: "mon", opens: "09:00", closes: "17:00" })).toBe(true)
    expect(decode(OpeningInterval, { day: "mon", opens: "17:00", closes: "17:00" })).toBe(false)
    expect(decode(OpeningInterval, { day: "mon", opens: "22:00", closes: "02:00" })).toBe(false)
    expect(decode(OpeningInterval, { day: "monday", opens: "09:00", closes: "17:00" })).toBe(false)
  })

  it("BusinessHours and QuietHours decode", () => {
    expect(decode(BusinessHours, chicago)).toBe(true)
    expect(decode(BusinessHours, { ...chicago, holidays: ["2025-13-01"] })).toBe(false)
    expect(decode(BusinessHours, { ...chicago, holidays: ["25-12-2025"] })).toBe(false)
    expect(decode(QuietHours, defaultQuietHours)).toBe(true)
    expect(decode(QuietHours, { start: "21:00", end: "8:00" })).toBe(false)
  })
})

describe("isOpen", () => {
  it("uses local time in America/Chicago (CST, UTC-6)", () => {
    // Wed 2025-03-05
    expect(isOpen(chicago, utc(2025, 3, 5, 14, 59, 59))).toBe(false) // 08:59:59 CST
    expect(isOpen(chicago, utc(2025, 3, 5, 15))).toBe(true) // 09:00 CST
    expect(isOpen(chicago, utc(2025, 3, 5, 22, 59, 59))).toBe(true) // 16:59:59 CST
    expect(isOpen(chicago, utc(2025, 3, 5, 23))).toBe(false) // 17:00 CST
  })

  it("follows the DST change (CDT, UTC-5, from Sun 2025-03-09)", () => {
    // Mon 2025-03-10 opens at 09:00 CDT = 14:00Z
    expect(isOpen(chicago, utc(2025, 3, 10, 13, 59))).toBe(false)
    expect(isOpen(chicago, utc(2025, 3, 10, 14))).toBe(true)
    expect(isOpen(chicago, utc(2025, 3, 10, 21, 59))).toBe(true)
    expect(isOpen(chicago, utc(2025, 3, 10, 22))).toBe(false)
  })

  it("uses local weekday: Sat 21:00Z is Sat afternoon in Chicago but the interval ended", () => {
    expect(isOpen(chicago, utc(2025, 3, 8, 16))).toBe(true) // Sat 10:00 CST
    expect(isOpen(chicago, utc(2025, 3, 8, 20))).toBe(false) // Sat 14:00 CST
    // Tue 2025-03-11 02:00Z is still Monday 21:00 CDT locally: closed.
    expect(isOpen(chicago, utc(2025, 3, 11, 2))).toBe(false)
  })

  it("is closed all day on a holiday, judged by the local date", () => {
    expect(isOpen(chicago, utc(2025, 12, 25, 18))).toBe(false) // Thu 12:00 CST, holiday
    expect(isOpen(chicago, utc(2025, 12, 26, 18))).toBe(true) // Fri 12:00 CST
    const evening: BusinessHours = {
      timeZone: "America/Chicago",
      weekly: [{ day: "wed", opens: "18:00", closes: "23:00" }],
      holidays: ["2025-12-25"]
    }
    // 2025-12-25T02:00Z is Wed 2025-12-24 20:00 CST: the UTC date is the holiday, the local date is not.
    expect(isOpen(evening, utc(2025, 12, 25, 2))).toBe(true)
    expect(isOpen({ ...evening, holidays: ["2025-12-24"] }, utc(2025, 12, 25, 2))).toBe(false)
  })

  it("uses local time in Europe/London across BST", () => {
    expect(isOpen(london, utc(2025, 3, 28, 9))).toBe(true) // Fri 09:00 GMT
    expect(isOpen(london, utc(2025, 3, 28, 17, 30))).toBe(false) // Fri 17:30 GMT
    expect(isOpen(london, utc(2025, 3, 31, 7, 59))).toBe(false) // Mon 08:59 BST
    expect(isOpen(london, utc(2025, 3, 31, 8))).toBe(true) // Mon 09:00 BST
    expect(isOpen(london, utc(2025, 3, 31, 16, 29))).toBe(true) // Mon 17:29 BST
    expect(isOpen(london, utc(2025, 3, 31, 16, 30))).toBe(false) // Mon 17:30 BST
  })

  it("an empty schedule is never open", () => {
    expect(isOpen({ timeZone: "Europe/London", weekly: [], holidays: [] }, utc(2025, 6, 2, 12))).toBe(false)
  })
})

describe("closedPeriodStart", () => {
  it("is None while open", () => {
    expect(closedPeriodStart(chicago, utc(2025, 3, 5, 16))).toEqual(Option.none())
  })

  it("is the close time of the last interval, stable over a whole night", () => {
    const close = utc(2025, 3, 5, 23) // Wed 17:00 CST
    const reopen = utc(2025, 3, 6, 15) // Thu 09:00 CST
    for (const t of instants(close, reopen, 7 * MINUTE + 13)) {
      expect(closedPeriodStart(chicago, t), new Date(t).toISOString()).toEqual(Option.some(close))
    }
    expect(closedPeriodStart(chicago, reopen)).toEqual(Option.none())
  })

  it("is stable over a weekend containing the spring-forward DST change", () => {
    const close = utc(2025, 3, 8, 20) // Sat 14:00 CST
    const reopen = utc(2025, 3, 10, 14) // Mon 09:00 CDT
    for (const t of instants(close, reopen, 11 * MINUTE + 7)) {
      expect(closedPeriodStart(chicago, t), new Date(t).toISOString()).toEqual(Option.some(close))
    }
    expect(isOpen(chicago, reopen)).toBe(true)
  })

  it("is stable over a weekend containing the fall-back DST change (Europe/London)", () => {
    const close = utc(2025, 10, 24, 16, 30) // Fri 17:30 BST
    const reopen = utc(2025, 10, 27, 9) // Mon 09:00 GMT
    for (const t of instants(close, reopen, 9 * MINUTE + 1)) {
      expect(closedPeriodStart(london, t), new Date(t).toISOString()).toEqual(Option.some(close))
    }
    expect(isOpen(london, reopen)).toBe(true)
  })

  it("skips holidays back to the last real opening", () => {
    const close = utc(2025, 12, 24, 17, 30) // Wed 17:30 GMT
    const reopen = utc(2025, 12, 29, 9) // Mon 09:00 GMT (Thu/Fri are holidays, then the weekend)
    for (const t of instants(close, reopen, 17 * MINUTE + 3)) {
      expect(closedPeriodStart(london, t), new Date(t).toISOString()).toEqual(Option.some(close))
    }
    const chicagoXmas = utc(2025, 12, 24, 23) // Wed 17:00 CST
    expect(closedPeriodStart(chicago, utc(2025, 12, 25, 18))).toEqual(Option.some(chicagoXmas))
    expect(closedPeriodStart(chicago, utc(2025, 12, 26, 14))).toEqual(Option.some(chicagoXmas))
  })

  it("handles an interval that the spring-forward gap cuts short", () => {
    const night: BusinessHours = {
      timeZone: "Europe/London",
      weekly: [{ day: "sun", opens: "00:30", closes: "01:30" }],
      holidays: []
    }
    // Sun 2025-03-30: 01:00 GMT jumps to 02:00 BST, so the opening ends at 01:00Z.
    expect(isOpen(night, utc(2025, 3, 30, 0, 59))).toBe(true)
    expect(isOpen(night, utc(2025, 3, 30, 1))).toBe(false)
    expect(closedPeriodStart(night, utc(2025, 3, 30, 12))).toEqual(Option.some(utc(2025, 3, 30, 1)))
    // An interval entirely inside the gap does not exist that day.
    const gap: BusinessHours = { ...night, weekly: [{ day: "sun", opens: "01:00", closes: "01:45" }] }
    expect(closedPeriodStart(gap, utc(2025, 3, 30, 12))).toEqual(Option.some(utc(2025, 3, 23, 1, 45)))
  })

  it("wall-clock semantics in the repeated fall-back hour: two closed periods", () => {
    const night: BusinessHours = {
      timeZone: "Europe/London",
      weekly: [{ day: "sun", opens: "00:30", closes: "01:30" }],
      holidays: []
    }
    // Sun 2025-10-26: 00:30 BST (23:30Z Sat) – 01:30 BST (00:30Z); 01:00 GMT (01:00Z) – 01:30 GMT (01:30Z).
    expect(isOpen(night, utc(2025, 10, 25, 23, 45))).toBe(true)
    expect(closedPeriodStart(night, utc(2025, 10, 26, 0, 45))).toEqual(Option.some(utc(2025, 10, 26, 0, 30)))
    expect(isOpen(night, utc(2025, 10, 26, 1, 15))).toBe(true)
    expect(closedPeriodStart(night, utc(2025, 10, 26, 1, 30))).toEqual(Option.some(utc(2025, 10, 26, 1, 30)))
    expect(closedPeriodStart(night, utc(2025, 10, 31, 1, 30))).toEqual(Option.some(utc(2025, 10, 26, 1, 30)))
  })

  it("falls back to Some(0) without any opening in the last ~400 days", () => {
    const empty: BusinessHours = { timeZone: "America/Chicago", weekly: [], holidays: [] }
    expect(closedPeriodStart(empty, utc(2025, 3, 5, 12))).toEqual(Option.some(0))
    expect(closedPeriodStart(empty, utc(2026, 7, 1, 3))).toEqual(Option.some(0))
  })
})

describe("quiet hours", () => {
  const tz = "America/Chicago"

  it("defaults to 21:00–08:00 local", () => {
    // 2025-06-10 (CDT, UTC-5)
    expect(isQuietTime(defaultQuietHours, tz, utc(2025, 6, 11, 1, 59))).toBe(false) // 20:59 CDT
    expect(isQuietTime(defaultQuietHours, tz, utc(2025, 6, 11, 2))).toBe(true) // 21:00 CDT
    expect(isQuietTime(defaultQuietHours, tz, utc(2025, 6, 11, 12, 59))).toBe(true) // 07:59 CDT
    expect(isQuietTime(defaultQuietHours, tz, utc(2025, 6, 11, 13))).toBe(false) // 08:00 CDT
  })

  it("nextSendableAt is now outside quiet hours", () => {
    const now = utc(2025, 6, 10, 18, 12, 34) + 567
    expect(nextSendableAt(defaultQuietHours, tz, now)).toBe(now)
  })

  it("nextSendableAt is the next local end time, before and after midnight", () => {
    expect(nextSendableAt(defaultQuietHours, tz, utc(2025, 6, 11, 2))).toBe(utc(2025, 6, 11, 13))
    expect(nextSendableAt(defaultQuietHours, tz, utc(2025, 6, 11, 10, 30))).toBe(utc(2025, 6, 11, 13))
  })

  it("nextSendableAt across the DST change", () => {
    // Sat 2025-03-08 22:00 CST -> Sun 08:00 CDT = 13:00Z (not 14:00Z)
    expect(nextSendableAt(defaultQuietHours, tz, utc(2025, 3, 9, 4))).toBe(utc(2025, 3, 9, 13))
    // London: Sat 2025-10-25 23:00 BST -> Sun 08:00 GMT = 08:00Z
    expect(nextSendableAt(defaultQuietHours, "Europe/London", utc(2025, 10, 25, 22))).toBe(utc(2025, 10, 26, 8))
    expect(isQuietTime(defaultQuietHours, "Europe/London", utc(2025, 10, 26, 7, 59))).toBe(true)
  })

  it("an end time skipped by DST resolves to the instant of the change", () => {
    const q = { start: "00:00", end: "02:30" }
    // Sun 2025-03-09 01:00 CST (07:00Z); 02:00 CST jumps to 03:00 CDT at 08:00Z.
    expect(nextSendableAt(q, tz, utc(2025, 3, 9, 7))).toBe(utc(2025, 3, 9, 8))
  })

  it("non-wrapping and empty windows", () => {
    const lunch = { start: "12:00", end: "13:00" }
    expect(isQuietTime(lunch, "Europe/London", utc(2025, 1, 6, 11, 59))).toBe(false)
    expect(isQuietTime(lunch, "Europe/London", utc(2025, 1, 6, 12, 30))).toBe(true)
    expect(nextSendableAt(lunch, "Europe/London", utc(2025, 1, 6, 12, 30))).toBe(utc(2025, 1, 6, 13))
    const none = { start: "09:00", end: "09:00" }
    expect(isQuietTime(none, tz, utc(2025, 1, 6, 15))).toBe(false)
  })
})

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

const HALF_HOUR = 30 * MINUTE
/** Zones whose offsets and DST transitions are all multiples of 30 minutes. */
const ZONES = ["America/Chicago", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "America/St_Johns"]
const DAYS: ReadonlyArray<Weekday> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
const hhmm = (slot: number): string =>
  `${String(Math.floor(slot / 2)).padStart(2, "0")}:${slot % 2 === 0 ? "00" : "30"}`

const from = utc(2024, 1, 1)
const to = utc(2026, 12, 31)
/** 2025 DST transitions of the zones above, to bias instants towards them. */
const transitions = [
  utc(2025, 3, 9, 8),
  utc(2025, 11, 2, 7),
  utc(2025, 3, 30, 1),
  utc(2025, 10, 26, 1),
  utc(2025, 4, 5, 15),
  utc(2025, 10, 4, 15),
  utc(2025, 3, 9, 5, 30),
  utc(2025, 11, 2, 4, 30)
]
const instantArb = fc.oneof(
  fc.integer({ min: from, max: to }),
  fc.tuple(fc.constantFrom(...transitions), fc.integer({ min: -3 * DAY, max: 3 * DAY })).map(([t, d]) => t + d)
)

/** Random schedules on a half-hour grid, so open/closed is constant on every UTC half hour. */
const hoursArb: fc.Arbitrary<BusinessHours> = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  weekly: fc.array(
    fc
      .record({
        day: fc.constantFrom(...DAYS),
        a: fc.integer({ min: 0, max: 47 }),
        b: fc.integer({ min: 0, max: 47 })
      })
      .filter(({ a, b }) => a !== b)
      .map(({ a, b, day }) => ({ day, opens: hhmm(Math.min(a, b)), closes: hhmm(Math.max(a, b)) })),
    { minLength: 1, maxLength: 6 }
  ),
  holidays: fc.array(
    fc.integer({ min: 0, max: 1100 }).map((d) => new Date(from + d * DAY).toISOString().slice(0, 10)),
    { maxLength: 40 }
  )
})

/** Brute force: walk back half hour by half hour to the end of the last opening. */
const bruteClosedPeriodStart = (hours: BusinessHours, now: number): Option.Option<number> | "unknown" => {
  if (isOpen(hours, now)) return Option.none()
  let k = Math.floor(now / HALF_HOUR) * HALF_HOUR
  for (let i = 0; i < 48 * 60; i++, k -= HALF_HOUR) {
    if (isOpen(hours, k - 1)) return Option.some(k)
  }
  return "unknown"
}

describe("properties", () => {
  it("isOpen(now) === isNone(closedPeriodStart(now)), and it matches a brute-force search", () => {
    fc.assert(
      fc.property(hoursArb, instantArb, (hours, now) => {
        const c = closedPeriodStart(hours, now)
        expect(Option.isNone(c)).toBe(isOpen(hours, now))
        const brute = bruteClosedPeriodStart(hours, now)
        if (brute !== "unknown") expect(c).toEqual(brute)
        if (Option.isSome(c) && c.value !== 0) {
          expect(c.value).toBeLessThanOrEqual(now)
          expect(isOpen(hours, c.value - 1)).toBe(true)
          expect(isOpen(hours, c.value)).toBe(false)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("closedPeriodStart is equal for two closed instants with no opening between them", () => {
    fc.assert(
      fc.property(hoursArb, instantArb, fc.integer({ min: 1, max: 4 * DAY }), (hours, t1, delta) => {
        const t2 = t1 + delta
        fc.pre(!isOpen(hours, t1) && !isOpen(hours, t2))
        // Open ranges start on the UTC half-hour grid, so sampling it finds any opening in (t1, t2).
        let openBetween = false
        for (let k = Math.ceil(t1 / HALF_HOUR) * HALF_HOUR; k < t2 && !openBetween; k += HALF_HOUR) {
          openBetween = isOpen(hours, k)
        }
        const c1 = closedPeriodStart(hours, t1)
        const c2 = closedPeriodStart(hours, t2)
        if (openBetween) expect(Option.getOrThrow(c2)).toBeGreaterThan(t1)
        else expect(c2).toEqual(c1)
      }),
      { numRuns: 300 }
    )
  })

  it("every instant inside a closed period reports its start", () => {
    fc.assert(
      fc.property(hoursArb, instantArb, fc.double({ min: 0, max: 1, noNaN: true }), (hours, t2, frac) => {
        const c = closedPeriodStart(hours, t2)
        fc.pre(Option.isSome(c) && c.value !== 0)
        const start = Option.getOrThrow(c)
        const t1 = start + Math.floor((t2 - start) * frac)
        expect(closedPeriodStart(hours, t1)).toEqual(c)
      }),
      { numRuns: 300 }
    )
  })

  it("nextSendableAt is the first non-quiet instant at or after now", () => {
    const quietArb = fc
      .tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 0, max: 47 }))
      .map(([a, b]) => ({ start: hhmm(a), end: hhmm(b) }))
    fc.assert(
      fc.property(quietArb, fc.constantFrom(...ZONES), instantArb, (quiet, tz, now) => {
        const next = nextSendableAt(quiet, tz, now)
        expect(isQuietTime(quiet, tz, next)).toBe(false)
        if (!isQuietTime(quiet, tz, now)) {
          expect(next).toBe(now)
        } else {
          let k = Math.floor(now / HALF_HOUR) * HALF_HOUR + HALF_HOUR
          while (isQuietTime(quiet, tz, k)) k += HALF_HOUR
          expect(next).toBe(k)
        }
      }),
      { numRuns: 300 }
    )
  })
})
