import { Schema } from "effect"

/** An E.164 phone number: `+` then up to 15 digits, no leading zero. */
export const PhoneNumber = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\+[1-9]\d{6,14}$/, { message: "a phone number in international form, like +15551234567" })),
  Schema.brand("PhoneNumber")
)
export type PhoneNumber = typeof PhoneNumber.Type

export const PhoneLabel = Schema.Literals(["mobile", "home", "work"])
export type PhoneLabel = typeof PhoneLabel.Type

/** A client's number with its label, whether it is the primary one, and the "okay to text" flag (S0). */
export const Phone = Schema.Struct({
  number: PhoneNumber,
  label: PhoneLabel,
  primary: Schema.Boolean,
  okayToText: Schema.Boolean
})
export type Phone = typeof Phone.Type
