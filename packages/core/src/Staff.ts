import { Schema } from "effect"
import { OrganisationId, StaffId } from "./Ids.js"

/** Roles from the reference material: specialists see assigned clients only, the rest see the whole organisation. */
export const StaffRole = Schema.Literals(["specialist", "coordinator", "supervisor", "admin", "front_office"])
export type StaffRole = typeof StaffRole.Type

export const Staff = Schema.Struct({
  id: StaffId,
  organisationId: OrganisationId,
  name: Schema.String.check(Schema.isMinLength(1)),
  email: Schema.optional(Schema.String),
  role: StaffRole,
  active: Schema.Boolean
})
export type Staff = typeof Staff.Type

/** Roles that reach every client of their organisation without an assignment. */
export const isOrgWideRole = (role: StaffRole): boolean => role !== "specialist"

/** Roles that may change settings, block clients and view a colleague's inbox read-only. */
export const isManagerRole = (role: StaffRole): boolean => role === "supervisor" || role === "admin"
