import { Option, Schema } from "effect"
import { TimeZone } from "./BusinessHours.js"
import { ClientId, OrganisationId } from "./Ids.js"
import { Phone, type PhoneNumber } from "./PhoneNumber.js"

/** A participant, patient or pet owner. Needs no account to receive SMS (S0). */
export const Client = Schema.Struct({
  id: ClientId,
  organisationId: OrganisationId,
  name: Schema.String.check(Schema.isMinLength(1)),
  active: Schema.Boolean,
  blocked: Schema.Boolean,
  phones: Schema.Array(Phone),
  email: Schema.optional(Schema.String),
  /** Where the client lives, when not in the organisation's time zone: quiet hours follow it. */
  timeZone: Schema.optional(TimeZone)
})
export type Client = typeof Client.Type

export const primaryPhone = (client: Client): Option.Option<Phone> =>
  Option.fromUndefinedOr(client.phones.find((phone) => phone.primary))

export const hasPhone = (client: Client, number: PhoneNumber): boolean =>
  client.phones.some((phone) => phone.number === number)

/** How a contact is shown (S4): "Name – Mobile", or the bare number when the sender is unknown. */
export const contactLabel = (client: Client | undefined, number: PhoneNumber): string => {
  const phone = client?.phones.find((p) => p.number === number)
  if (client === undefined || phone === undefined) return number
  return `${client.name} – ${phone.label[0]!.toUpperCase()}${phone.label.slice(1)}`
}
