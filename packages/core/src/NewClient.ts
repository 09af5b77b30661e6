import { Schema } from "effect"
import { TimeZone } from "./BusinessHours.js"
import { hasControlCharacters } from "./Text.js"
import { mayManageAssignments } from "./Assignment.js"
import type { Phone } from "./PhoneNumber.js"
import type { Staff } from "./Staff.js"

/** What staff give to add a client; "okay to text" is attested separately, for the primary number only. */
export interface NewClient {
  readonly name: string
  readonly phones: ReadonlyArray<Omit<Phone, "okayToText">>
  readonly email?: string
  /** Where the client lives, when not in the organisation's time zone (quiet hours follow it). */
  readonly timeZone?: string
}

/** Coordinators, supervisors and admins add clients: the roles that manage who is assigned to whom. */
export const mayAddClients = (staff: Staff): boolean => mayManageAssignments(staff)

/**
 * Why a new client cannot be stored as given, or `undefined`: the name is blank, there is not
 * exactly one primary number (it is where texts go), the email holds control characters, a number is listed twice, or the time zone is
 * unknown.
 */
export const newClientProblem = (client: NewClient): string | undefined => {
  if (client.name.trim().length === 0) return "A client needs a name."
  if (hasControlCharacters(client.name)) return "Use letters, numbers, spaces and punctuation only in the name."
  if (client.email !== undefined && hasControlCharacters(client.email)) return "An email address cannot contain control characters."
  if (client.phones.filter((p) => p.primary).length !== 1) return "Exactly one phone must be the primary number (it is the number texts go to)."
  if (new Set(client.phones.map((p) => p.number)).size !== client.phones.length) return "A phone number is listed twice."
  if (client.timeZone !== undefined && !Schema.is(TimeZone)(client.timeZone)) return "Give the time zone as an IANA name, like America/Chicago."
  return undefined
}

/** A client that cannot be added as given, with the reason a person can fix. */
export class InvalidClient extends Schema.TaggedError<InvalidClient>()("InvalidClient", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}
