import { Schema } from "effect"
import { LineId, OrganisationId, QueueId, StaffId } from "./Ids.js"
import { PhoneNumber } from "./PhoneNumber.js"

/** Who a line belongs to: one staff member (personal line), the organisation, or a queue. */
export const LineOwner = Schema.Union([
  Schema.TaggedStruct("Staff", { staffId: StaffId }),
  Schema.TaggedStruct("Organisation", {}),
  Schema.TaggedStruct("Queue", { queueId: QueueId })
])
export type LineOwner = typeof LineOwner.Type

/** A number the organisation holds at the SMS provider. */
export const Line = Schema.Struct({
  id: LineId,
  organisationId: OrganisationId,
  number: PhoneNumber,
  owner: LineOwner,
  /** Carrier throughput for this number, in messages per second. */
  ratePerSecond: Schema.Number.check(Schema.isGreaterThan(0))
})
export type Line = typeof Line.Type
