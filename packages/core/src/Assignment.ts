import { Schema } from "effect"
import { ClientId, Millis, StaffId } from "./Ids.js"
import type { Staff } from "./Staff.js"

/** A specialist assigned to a client from `from` until `until` (absent while current). History is kept. */
export const Assignment = Schema.Struct({
  staffId: StaffId,
  clientId: ClientId,
  from: Millis,
  until: Schema.optional(Millis)
})
export type Assignment = typeof Assignment.Type

export const isCurrent = (assignment: Assignment): boolean => assignment.until === undefined

export const isCurrentlyAssigned = (
  assignments: ReadonlyArray<Assignment>,
  staffId: StaffId,
  clientId: ClientId
): boolean => assignments.some((a) => a.staffId === staffId && a.clientId === clientId && isCurrent(a))

/** Coordinators, supervisors and admins manage who is assigned to whom. */
export const mayManageAssignments = (staff: Staff): boolean =>
  staff.active && (staff.role === "coordinator" || staff.role === "supervisor" || staff.role === "admin")
