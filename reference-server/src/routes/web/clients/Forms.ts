import { PhoneLabel, PhoneNumber, TimeZone } from "@careline/core"
import { Effect, Option, Schema } from "effect"
import { InvalidRequest } from "../../../http/ApiError.js"
import { IdText } from "../../../http/Input.js"
import { problemsOf } from "../../../SchemaProblems.js"

/** A posted form's fields; repeated fields (checkboxes) come as arrays. */
export type FormBody = Record<string, string | File | ReadonlyArray<string | File>>

const text = (body: FormBody, name: string): string => {
  const value = body[name]
  return typeof value === "string" ? value : ""
}

const decodePhone = Schema.decodeUnknownOption(PhoneNumber)
const decodeLabel = Schema.decodeUnknownOption(PhoneLabel)

/** "+1 (555) 123-4567" and "0015551234567" → "+15551234567"; anything else stays as typed, to be refused. */
export const normalisePhone = (typed: string): string => {
  const compact = typed.trim().replace(/[\s().-]/g, "")
  return compact.startsWith("00") ? `+${compact.slice(2)}` : compact
}

/** What a form says back: the values as typed (to show again) and, when refused, every problem in words. */
export type Parsed<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly problems: ReadonlyArray<string> }

export interface PhoneInput {
  readonly number: PhoneNumber
  readonly label: PhoneLabel
  readonly primary: boolean
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** The phone rows of a form (`number<i>`, `label<i>`, `primary=<i>`, `remove<i>`), rows left blank skipped. */
const phoneRows = (body: FormBody, rows: number, problems: Array<string>): Array<PhoneInput> => {
  const phones: Array<PhoneInput> = []
  for (let i = 1; i <= rows; i++) {
    const typed = text(body, `number${i}`)
    if (typed.trim() === "" || text(body, `remove${i}`) !== "") continue
    const number = decodePhone(normalisePhone(typed))
    const label = decodeLabel(text(body, `label${i}`))
    if (Option.isNone(number)) problems.push(`Phone ${i}: enter the number in international form, like +15551234567.`)
    if (Option.isNone(label)) problems.push(`Phone ${i}: pick mobile, home or work.`)
    if (Option.isSome(number) && Option.isSome(label)) phones.push({ number: number.value, label: label.value, primary: text(body, "primary") === String(i) })
  }
  return phones
}

/** Exactly one primary among the numbers kept, and no number twice: said in words before the core is asked. */
const phoneSetProblems = (phones: ReadonlyArray<PhoneInput>, problems: Array<string>) => {
  if (phones.length === 0) problems.push("Add at least one phone number.")
  else if (phones.filter((p) => p.primary).length !== 1) problems.push("Choose which number is the primary one (texts go to it).")
  if (new Set(phones.map((p) => p.number)).size !== phones.length) problems.push("A phone number is listed twice.")
}

export interface NewClientInput {
  readonly name: string
  readonly email?: string
  readonly timeZone?: string
  readonly phones: ReadonlyArray<PhoneInput>
  readonly okayToText: boolean
}

/** Rows of phones the "New client" form offers. */
export const NEW_CLIENT_PHONES = 3

/** The "New client" form: a name, an optional email, up to three phones (one primary) and "okay to text". */
export const parseNewClient = (body: FormBody): Parsed<NewClientInput> => {
  const problems: Array<string> = []
  const name = text(body, "name").trim()
  if (name === "") problems.push("Enter the client's name.")
  if (name.length > 200) problems.push("Use at most 200 characters for the name.")
  const email = text(body, "email").trim()
  if (email !== "" && (!emailPattern.test(email) || email.length > 254)) problems.push("Enter the email as name@example.org, or leave it empty.")
  const timeZone = text(body, "timeZone").trim()
  if (timeZone !== "" && !Schema.is(TimeZone)(timeZone)) problems.push("Choose the time zone from the list (like America/Chicago), or leave it empty for the organisation's.")
  const phones = phoneRows(body, NEW_CLIENT_PHONES, problems)
  if (problems.length === 0) phoneSetProblems(phones, problems)
  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    value: { name, phones, okayToText: text(body, "okay") !== "", ...(email === "" ? {} : { email }), ...(timeZone === "" ? {} : { timeZone }) }
  }
}

/** The "Edit phones" form: the client's rows (relabel, make primary, remove) and one new row. */
export const parsePhones = (body: FormBody, rows: number): Parsed<ReadonlyArray<PhoneInput>> => {
  const problems: Array<string> = []
  const phones = phoneRows(body, rows, problems)
  if (problems.length === 0) phoneSetProblems(phones, problems)
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: phones }
}

/** Decodes a query or form with `schema`, every problem in words (fields the page does not use are ignored). */
export const decoder = <A>(schema: Schema.ConstraintDecoder<A>, subject: string) => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (input: unknown): Effect.Effect<A, InvalidRequest> =>
    decode(input, { errors: "all" }).pipe(Effect.mapError((error) => new InvalidRequest({ problems: problemsOf(error, subject) })))
}

const Search = Schema.String.check(Schema.isMaxLength(100, { message: "at most 100 characters" }))

export const decodeListQuery = decoder(Schema.Struct({ q: Schema.optional(Search), created: Schema.optional(Schema.String) }), "the address")
export const decodeProfileQuery = decoder(
  Schema.Struct({
    tab: Schema.optional(Schema.Literals(["profile", "messages"])),
    line: Schema.optional(IdText),
    done: Schema.optional(Schema.String)
  }),
  "the address"
)
export const decodeAssignForm = decoder(Schema.Struct({ staffId: IdText }), "the form")
export const decodeLabelForm = decoder(Schema.Struct({ label: PhoneLabel }), "the form")
export const decodeAttachForm = decoder(Schema.Struct({ clientId: IdText, label: PhoneLabel }), "the form")

const Body = Schema.String.check(
  Schema.makeFilter((s: string) => s.trim().length > 0, { message: "write a message" }),
  Schema.isMaxLength(1600, { message: "at most 1,600 characters" })
)
export const decodeSmsForm = decoder(Schema.Struct({ lineId: IdText, body: Body }), "the form")
