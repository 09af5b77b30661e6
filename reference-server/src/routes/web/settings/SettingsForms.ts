import { type BusinessHours, IsoDate, type OpeningInterval, type Templates, TimeZone, type Weekday } from "@careline/core"
import { Result, Schema } from "effect"
import { decodeForm, Text } from "../admin/AdminKit.js"

export const weekdays: ReadonlyArray<readonly [Weekday, string]> = [
  ["mon", "Monday"], ["tue", "Tuesday"], ["wed", "Wednesday"], ["thu", "Thursday"], ["fri", "Friday"], ["sat", "Saturday"], ["sun", "Sunday"]
]

/** The most one text may carry (10 segments); longer templates would be cut or refused by carriers. */
export const maxTemplateLength = 1600

/** `HH:MM` as `<input type="time">` sends it (seconds, if a browser adds them, are dropped). */
const Time = Schema.String.check(Schema.isPattern(/^(?:(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?$/, { message: "a time like 09:00" }))

const TimeZoneText = Schema.String.check(Schema.makeFilter((z: string) => Schema.is(TimeZone)(z.trim()) || "a known time zone, like America/Chicago"))

const dayFields = Object.fromEntries(
  weekdays.flatMap(([day]) => [[`${day}_opens`, Schema.optional(Time)], [`${day}_closes`, Schema.optional(Time)]])
) as Record<string, Schema.optional<typeof Time>>

const HoursForm = Schema.Struct({ timeZone: TimeZoneText, ...dayFields })

const short = (time: string) => time.slice(0, 5)

/**
 * The weekly schedule form: a time zone and, per day, opens and closes (both empty: closed that
 * day). Holidays are kept as they are.
 */
export const decodeHoursForm = (form: unknown, holidays: ReadonlyArray<string>): Result.Result<BusinessHours, ReadonlyArray<string>> => {
  const decoded = decodeForm(HoursForm)(form)
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
  const values = decoded.success as Record<string, string | undefined>
  const problems: Array<string> = []
  const weekly: Array<OpeningInterval> = []
  for (const [day, name] of weekdays) {
    const opens = values[`${day}_opens`] ?? ""
    const closes = values[`${day}_closes`] ?? ""
    if (opens === "" && closes === "") continue
    if (opens === "" || closes === "") problems.push(`${name}: give both the opening and the closing time, or neither (closed)`)
    else if (short(closes) <= short(opens)) problems.push(`${name}: closes (${short(closes)}) must be after opens (${short(opens)})`)
    else weekly.push({ day, opens: short(opens), closes: short(closes) })
  }
  if (problems.length > 0) return Result.fail(problems)
  return Result.succeed({ timeZone: (values["timeZone"] ?? "").trim(), weekly, holidays: [...holidays] })
}

export const decodeHolidayForm = decodeForm(Schema.Struct({
  date: Schema.String.check(Schema.makeFilter((d: string) => Schema.is(IsoDate)(d) || "a date like 2026-12-25"))
}))

const Template = (what: string) => Text(what, maxTemplateLength)

/** An optional template: empty means none (for after-hours: no auto-reply). */
const OptionalTemplate = (what: string) =>
  Schema.String.check(Schema.makeFilter((s: string) => s.length <= maxTemplateLength || `${what} can be at most ${maxTemplateLength} characters (it has ${s.length})`))

export const templateFields: ReadonlyArray<readonly [keyof Templates, string, string]> = [
  ["optInRequest", "Opt-in request", "Sent once a day at most to a number that has not opted in; ask them to reply YES."],
  ["welcome", "Welcome", "Sent when a number opts in."],
  ["help", "Help", "The answer to HELP or INFO."],
  ["optOutConfirmation", "Opt-out confirmation", "Sent once when a number opts out (STOP)."],
  ["afterHours", "After-hours reply", "Sent once per conversation while closed. Leave empty for no automatic reply."]
]

const TemplatesForm = Schema.Struct({
  optInRequest: Template("The opt-in request"),
  welcome: Template("The welcome message"),
  help: Template("The help message"),
  optOutConfirmation: Template("The opt-out confirmation"),
  afterHours: OptionalTemplate("The after-hours reply")
})

export const decodeTemplatesForm = (form: unknown): Result.Result<Templates, ReadonlyArray<string>> =>
  Result.map(decodeForm(TemplatesForm)(form), ({ afterHours, ...required }) => {
    const trimmed = {
      optInRequest: required.optInRequest.trim(),
      welcome: required.welcome.trim(),
      help: required.help.trim(),
      optOutConfirmation: required.optOutConfirmation.trim()
    }
    return afterHours.trim() === "" ? trimmed : { ...trimmed, afterHours: afterHours.trim() }
  })

/** A queue's own after-hours reply; empty means "use the organisation's". */
export const decodeQueueReplyForm = (form: unknown): Result.Result<string | undefined, ReadonlyArray<string>> =>
  Result.map(decodeForm(Schema.Struct({ text: OptionalTemplate("The reply") }))(form), ({ text }) => (text.trim() === "" ? undefined : text.trim()))

const maxCrisisWords = 200
const maxCrisisWordLength = 100

/** Crisis words separated by commas or new lines; blanks dropped, repeats (any case) kept once. */
export const decodeCrisisWordsForm = (form: unknown): Result.Result<ReadonlyArray<string>, ReadonlyArray<string>> => {
  const decoded = decodeForm(Schema.Struct({ words: Schema.String.check(Schema.isMaxLength(20_000, { message: "too long a list" })) }))(form)
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
  const seen = new Set<string>()
  const words: Array<string> = []
  for (const raw of decoded.success.words.split(/[,\n\r]+/)) {
    const word = raw.trim().replace(/\s+/g, " ")
    if (word === "" || seen.has(word.toLowerCase())) continue
    seen.add(word.toLowerCase())
    words.push(word)
  }
  const problems: Array<string> = []
  const long = words.find((w) => w.length > maxCrisisWordLength)
  if (long !== undefined) problems.push(`a crisis word or phrase can be at most ${maxCrisisWordLength} characters`)
  if (words.length > maxCrisisWords) problems.push(`at most ${maxCrisisWords} crisis words (there are ${words.length})`)
  if (words.some((w) => !/[\p{L}\p{N}]/u.test(w))) problems.push("each crisis word needs at least one letter or digit")
  return problems.length > 0 ? Result.fail(problems) : Result.succeed(words)
}
