// Checked on every decode of an organisation or client: building a formatter each time was a hot spot.
const knownTimeZones = new Set<string>()

const isKnownTimeZone = (zone: string): boolean => {
  if (knownTimeZones.has(zone)) return true
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone })
    knownTimeZones.add(zone)
    return true
  } catch {
    return false
  }
}

/** An IANA time zone name the runtime knows, e.g. "America/Chicago". */
export const TimeZone = Schema.String.check(
  Schema.makeFilter(isKnownTimeZone, { message: "a known IANA time zone, like America/Chicago" })
)

/**
 * Weekly opening hours and bulk-message quiet hours, evaluated in an IANA time
 * zone. Every function is pure: the current instant is passed as `now`
 * (epoch milliseconds). Wall-clock semantics are used throughout, so DST
 * changes are handled by converting each instant to local time.
 *
 * @module
 */
import { Option, Schema } from "effect"

// ---------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------

/** Day of the week, lower-case three-letter English abbreviation. */
export const Weekday = Schema.Literals(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
/** Day of the week. */
export type Weekday = typeof Weekday.Type

/** Local wall-clock time of day, 24h `"HH:MM"` (`"00:00"`–`"23:59"`). */
export const TimeOfDay = Schema.String.check(Schema.isPattern(/^(?:[01]\d|2[0-3]):[0-5]\d$/))
/** Local wall-clock time of day, 24h `"HH:MM"`. */
export type TimeOfDay = typeof TimeOfDay.Type

/** Calendar date `"YYYY-MM-DD"`. */
export const IsoDate = Schema.String.check(
  Schema.isPattern(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/)
)
/** Calendar date `"YYYY-MM-DD"`. */
export type IsoDate = typeof IsoDate.Type

/** One opening on a weekday, `[opens, closes)` in local time; `opens < closes` (no overnight spans). */
export const OpeningInterval = Schema.Struct({ day: Weekday, opens: TimeOfDay, closes: TimeOfDay }).check(
  Schema.makeFilter((i) => i.opens < i.closes || `opens (${i.opens}) must be before closes (${i.closes})`)
)
/** One opening on a weekday. */
export type OpeningInterval = typeof OpeningInterval.Type

/**
 * Weekly opening hours in an IANA `timeZone`. A `holidays` entry (local date)
 * closes the whole day.
 */
export const BusinessHours = Schema.Struct({
  timeZone: TimeZone,
  weekly: Schema.Array(OpeningInterval),
  holidays: Schema.Array(IsoDate)
})
/** Weekly opening hours in an IANA time zone. */
export type BusinessHours = typeof BusinessHours.Type

/**
 * Local window in which bulk messages must not be sent, `[start, end)`.
 * `start > end` wraps midnight; `start === end` means no quiet time.
 */
export const QuietHours = Schema.Struct({ start: TimeOfDay, end: TimeOfDay })
/** Local window in which bulk messages must not be sent. */
export type QuietHours = typeof QuietHours.Type

/** Default quiet hours: no bulk sending 21:00–08:00 local time. */
export const defaultQuietHours: QuietHours = { start: "21:00", end: "08:00" }

// ---------------------------------------------------------------------------
// Local-time arithmetic (Intl-based, exact across DST)
// ---------------------------------------------------------------------------

const SECOND = 1_000
const MINUTE = 60_000
const DAY = 86_400_000
/** How far back `closedPeriodStart` looks for the last opening. */
const LOOKBACK_DAYS = 400
/** How far ahead `nextSendableAt` looks (quiet hours never span more than a day). */
const LOOKAHEAD_DAYS = 8

const WEEKDAYS: ReadonlyArray<Weekday> = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric"
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** UTC offset (local − UTC, ms) of `timeZone` at instant `t`. Throws `RangeError` for an unknown zone. */
const offsetAt = (timeZone: string, t: number): number => {
  const wholeSecond = Math.floor(t / SECOND) * SECOND
  const fields: Record<string, string> = {}
  for (const part of formatterFor(timeZone).formatToParts(wholeSecond)) fields[part.type] = part.value
  const yearOfEra = Number(fields["year"])
  const year = fields["era"] === "BC" || fields["era"] === "B" ? 1 - yearOfEra : yearOfEra
  const local = new Date(0)
  local.setUTCFullYear(year, Number(fields["month"]) - 1, Number(fields["day"]))
  local.setUTCHours(Number(fields["hour"]), Number(fields["minute"]), Number(fields["second"]), 0)
  return local.getTime() - wholeSecond
}

/** Local wall-clock time of `t`, expressed as "epoch ms as if the local time were UTC". */
const localTime = (timeZone: string, t: number): number => t + offsetAt(timeZone, t)

const startOfDay = (local: number): number => Math.floor(local / DAY) * DAY

const weekdayOf = (localMidnight: number): Weekday => WEEKDAYS[new Date(localMidnight).getUTCDay()] ?? "sun"

const isoDateOf = (localMidnight: number): string => {
  const d = new Date(localMidnight)
  const y = d.getUTCFullYear()
  const year = y >= 0 && y <= 9999 ? String(y).padStart(4, "0") : String(y)
  return `${year}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}`
}

/** Milliseconds after local midnight for an `"HH:MM"` string (NaN if malformed). */
const timeOfDayMs = (time: string): number => {
  const match = /^(\d{2}):(\d{2})$/.exec(time)
  return match === null ? Number.NaN : (Number(match[1]) * 60 + Number(match[2])) * MINUTE
}

/** A stretch `[from, to)` of UTC instants over which the zone offset is constant. */
interface Piece {
  readonly from: number
  readonly to: number
  readonly offset: number
}

/**
 * Splits `[from, to)` (at most a day long) into constant-offset pieces,
 * locating a DST transition inside it exactly by bisection.
 */
const constantOffsetPieces = (timeZone: string, from: number, to: number): ReadonlyArray<Piece> => {
  const first = offsetAt(timeZone, from)
  const last = offsetAt(timeZone, to - 1)
  if (first === last) return [{ from, to, offset: first }]
  let lo = from
  let hi = to - 1
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2)
    if (offsetAt(timeZone, mid) === first) lo = mid
    else hi = mid
  }
  return [
    { from, to: hi, offset: first },
    { from: hi, to, offset: last }
  ]
}

/** Local-time ranges `[start, end)` (ms after local midnight) that make up a set, for one local day. */
type DailyRanges = (localMidnight: number) => ReadonlyArray<readonly [number, number]>

/** The UTC ranges of `daily` that intersect `piece`, clipped to it. */
const rangesInPiece = (piece: Piece, daily: DailyRanges): Array<readonly [number, number]> => {
  const result: Array<readonly [number, number]> = []
  const localFrom = piece.from + piece.offset
  const localTo = piece.to + piece.offset
  for (let day = startOfDay(localFrom); day < localTo; day += DAY) {
    for (const [s, e] of daily(day)) {
      const start = Math.max(day + s - piece.offset, piece.from)
      const end = Math.min(day + e - piece.offset, piece.to)
      if (start < end) result.push([start, end])
    }
  }
  return result
}

/** `sup { t < before : t in set }`, searching back `days` days; `undefined` if none. */
const lastEndBefore = (timeZone: string, before: number, daily: DailyRanges, days: number): number | undefined => {
  for (let i = 0; i < days; i++) {
    const to = before - i * DAY
    let best: number | undefined
    for (const piece of constantOffsetPieces(timeZone, to - DAY, to)) {
      for (const [, end] of rangesInPiece(piece, daily)) best = best === undefined ? end : Math.max(best, end)
    }
    if (best !== undefined) return best
  }
  return undefined
}

/** `min { t >= from : t in set }`, searching ahead `days` days; `undefined` if none. */
const firstStartFrom = (timeZone: string, from: number, daily: DailyRanges, days: number): number | undefined => {
  for (let i = 0; i < days; i++) {
    const start = from + i * DAY
    let best: number | undefined
    for (const piece of constantOffsetPieces(timeZone, start, start + DAY)) {
      for (const [s] of rangesInPiece(piece, daily)) best = best === undefined ? s : Math.min(best, s)
    }
    if (best !== undefined) return best
  }
  return undefined
}

// ---------------------------------------------------------------------------
// Business hours
// ---------------------------------------------------------------------------

/** Opening ranges (ms after local midnight) of one local day; none on a holiday. */
const openingRanges = (hours: BusinessHours): DailyRanges => {
  const holidays = new Set(hours.holidays)
  const byDay = new Map<Weekday, Array<readonly [number, number]>>()
  for (const interval of hours.weekly) {
    const range = [timeOfDayMs(interval.opens), timeOfDayMs(interval.closes)] as const
    if (!(range[0] < range[1])) continue
    const list = byDay.get(interval.day)
    if (list === undefined) byDay.set(interval.day, [range])
    else list.push(range)
  }
  return (localMidnight) =>
    holidays.has(isoDateOf(localMidnight)) ? [] : (byDay.get(weekdayOf(localMidnight)) ?? [])
}

const isIn = (daily: DailyRanges, timeZone: string, now: number): boolean => {
  const local = localTime(timeZone, now)
  const midnight = startOfDay(local)
  const sinceMidnight = local - midnight
  return daily(midnight).some(([s, e]) => s <= sinceMidnight && sinceMidnight < e)
}

/**
 * Whether the business is open at `now`: the local time in `hours.timeZone`
 * falls in an opening interval of that weekday and the local date is not a
 * holiday. Throws `RangeError` for an unknown time zone.
 */
export const isOpen = (hours: BusinessHours, now: number): boolean =>
  isIn(openingRanges(hours), hours.timeZone, now)

/**
 * `None` while open; otherwise the instant (epoch ms) the current closed
 * period began, i.e. when the latest opening before `now` ended. The value is
 * identical for every instant of one closed period, so it can key "once per
 * closed period" actions. If nothing was open in the last ~400 days (e.g. an
 * empty schedule) the stable fallback `Some(0)` is returned.
 */
export const closedPeriodStart = (hours: BusinessHours, now: number): Option.Option<number> => {
  const daily = openingRanges(hours)
  if (isIn(daily, hours.timeZone, now)) return Option.none()
  if (hours.weekly.length === 0) return Option.some(0)
  const end = lastEndBefore(hours.timeZone, now, daily, LOOKBACK_DAYS)
  return Option.some(end ?? 0)
}

// ---------------------------------------------------------------------------
// Quiet hours
// ---------------------------------------------------------------------------

/** Sendable (non-quiet) ranges of a local day, ms after local midnight. */
const sendableRanges = (quiet: QuietHours): DailyRanges => {
  const start = timeOfDayMs(quiet.start)
  const end = timeOfDayMs(quiet.end)
  const ranges: ReadonlyArray<readonly [number, number]> =
    start === end
      ? [[0, DAY]]
      : start > end
        ? [[end, start]]
        : [
            [0, start],
            [end, DAY]
          ]
  return () => ranges
}

/**
 * Whether `now` falls in the local quiet hours `[start, end)` in `timeZone`
 * (wrapping midnight when `start > end`).
 */
export const isQuietTime = (quiet: QuietHours, timeZone: string, now: number): boolean =>
  !isIn(sendableRanges(quiet), timeZone, now)

/**
 * `now` if bulk sending is allowed at `now`; otherwise the first instant at
 * which the local clock reaches `quiet.end` (if that wall time is skipped by a
 * DST change, the instant of the change).
 */
export const nextSendableAt = (quiet: QuietHours, timeZone: string, now: number): number => {
  const daily = sendableRanges(quiet)
  if (isIn(daily, timeZone, now)) return now
  return firstStartFrom(timeZone, now, daily, LOOKAHEAD_DAYS) ?? now
}
