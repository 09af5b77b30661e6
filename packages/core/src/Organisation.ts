import { Schema } from "effect"
import { BusinessHours } from "./BusinessHours.js"
import { OrganisationId } from "./Ids.js"

/** The automatic texts an organisation sends on its clients' behalf. */
export const Templates = Schema.Struct({
  optInRequest: Schema.String,
  welcome: Schema.String,
  optOutConfirmation: Schema.String,
  help: Schema.String,
  /** Sent to inbound messages outside business hours; absent means no auto-reply. */
  afterHours: Schema.optional(Schema.String)
})
export type Templates = typeof Templates.Type

/** A tenant: its clock (time zone, business hours) and its templates. */
export const Organisation = Schema.Struct({
  id: OrganisationId,
  name: Schema.String.check(Schema.isMinLength(1)),
  businessHours: BusinessHours,
  templates: Templates,
  /** Words that mark a channel urgent and alert supervisors, e.g. "suicide", "overdose". */
  crisisWords: Schema.optional(Schema.Array(Schema.String)),
  /** Clients see their SMS conversations, read-only, in the client portal (off unless set). */
  portalShowsSms: Schema.optional(Schema.Boolean),
  /**
   * Channel emails carry the message itself. Off by default: the email only says a message is
   * waiting and links to it, so the content stays on the server.
   */
  emailCarriesContent: Schema.optional(Schema.Boolean)
})
export type Organisation = typeof Organisation.Type

export const defaultTemplates = (organisationName: string): Templates => ({
  optInRequest: `${organisationName}: reply YES to receive text messages from us. Reply STOP to opt out.`,
  welcome: `${organisationName}: you are now subscribed to text messages. Reply STOP to opt out, HELP for help.`,
  optOutConfirmation: `${organisationName}: you are unsubscribed and will receive no more messages. Reply START to resubscribe.`,
  help: `${organisationName}: reply STOP to opt out, START to opt back in.`
})
