import { Schema } from "effect"
import { BusinessHours } from "./BusinessHours.js"
import { OrganisationId, QueueId, StaffId } from "./Ids.js"

/** A shared inbox (S2): every member sees the channels of the queue's lines. */
export const Queue = Schema.Struct({
  id: QueueId,
  organisationId: OrganisationId,
  name: Schema.String.check(Schema.isMinLength(1)),
  members: Schema.Array(StaffId),
  /** Overrides the organisation's hours and after-hours reply for this queue's lines. */
  businessHours: Schema.optional(BusinessHours),
  afterHoursReply: Schema.optional(Schema.String)
})
export type Queue = typeof Queue.Type
