import { hasControlCharacters, PhoneNumber, StaffRole } from "@careline/core"
import { Schema } from "effect"
import { IdText } from "../../../http/Input.js"
import { passwordProblem } from "../../../web/Passwords.js"
import { decodeForm, Text } from "./AdminKit.js"

export const roleNames: Record<StaffRole, string> = {
  specialist: "Specialist",
  coordinator: "Coordinator",
  supervisor: "Supervisor",
  admin: "Admin",
  front_office: "Front office"
}

const Role = Schema.String.check(Schema.makeFilter((r: string) => Schema.is(StaffRole)(r) || "one of the roles in the list"))

const Email = Schema.String.check(
  Schema.makeFilter((s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim()) || "an email address, like sam@example.org"),
  Schema.makeFilter((s: string) => !hasControlCharacters(s) || "an email address without control characters"),
  Schema.makeFilter((s: string) => s.length <= 254 || "an email of at most 254 characters")
)

const Password = Schema.String.check(Schema.makeFilter((p: string) => passwordProblem(p) ?? true))

/** A one-line name: control characters are never part of it (and a NUL would not survive storage: the record could not be read back). */
const Name = (what: string, max: number) =>
  Text(what, max).check(Schema.makeFilter((s: string) => !hasControlCharacters(s.trim()) || `${what} can only have letters, numbers, spaces and punctuation`))

export const decodeNewStaff = decodeForm(Schema.Struct({ name: Name("The name", 200), email: Email, role: Role, password: Password }))
export const decodeRoleForm = decodeForm(Schema.Struct({ role: Role }))
export const decodeActiveForm = decodeForm(Schema.Struct({ active: Schema.Literals(["true", "false"]) }))
export const decodePasswordForm = decodeForm(Schema.Struct({ password: Password }))
export const decodeId = decodeForm(IdText)

/** Texts per second: 1 for a long code, 3 for toll-free, 100 for a short code. */
const Rate = Schema.String.check(
  Schema.makeFilter((s: string) => (/^\d+(\.\d+)?$/.test(s.trim()) && Number(s) > 0 && Number(s) <= 1000) || "texts per second, above 0 and at most 1000 (1 for a long code, 3 toll-free, 100 a short code)")
)

/** "organisation", "staff:<id>" or "queue:<id>". */
const Owner = Schema.String.check(Schema.isPattern(/^(?:organisation|staff:[A-Za-z0-9_.:-]{1,128}|queue:[A-Za-z0-9_.:-]{1,128})$/, { message: "who owns the line: the organisation, a staff member or a queue" }))

const Number_ = Schema.String.check(Schema.makeFilter((s: string) => Schema.is(PhoneNumber)(s.trim()) || "a phone number in international form, like +15551234567"))

export const decodeNewLine = decodeForm(Schema.Struct({ number: Number_, owner: Owner, rate: Rate }))

export const decodeNewQueue = decodeForm(Schema.Struct({ name: Name("The queue's name", 100), members: Schema.optional(Schema.Array(IdText)) }))
export const decodeMembers = decodeForm(Schema.Struct({ members: Schema.optional(Schema.Array(IdText)) }))
