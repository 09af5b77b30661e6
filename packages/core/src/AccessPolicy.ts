import { Schema } from "effect"
import { type Assignment, isCurrentlyAssigned } from "./Assignment.js"
import type { Client } from "./Client.js"
import type { Line } from "./Line.js"
import type { Queue } from "./Queue.js"
import { isManagerRole, isOrgWideRole, type Staff } from "./Staff.js"

export const DenialReason = Schema.Literals([
  "StaffInactive",
  "OtherOrganisation",
  "NotAssigned",
  "NotLineOwner",
  "NotQueueMember",
  "OrganisationLineNeedsOrgWideRole",
  "NotManager"
])
export type DenialReason = typeof DenialReason.Type

export type AccessDecision = { readonly _tag: "Allowed" } | { readonly _tag: "Denied"; readonly reason: DenialReason }

const allowed: AccessDecision = { _tag: "Allowed" }
const denied = (reason: DenialReason): AccessDecision => ({ _tag: "Denied", reason })

export const isAllowed = (decision: AccessDecision): boolean => decision._tag === "Allowed"

/** Org-wide roles reach every client of their organisation; a specialist only the clients currently assigned. */
export const canAccessClient = (
  staff: Staff,
  client: Client,
  assignmentsOfClient: ReadonlyArray<Assignment>
): AccessDecision => {
  if (!staff.active) return denied("StaffInactive")
  if (staff.organisationId !== client.organisationId) return denied("OtherOrganisation")
  if (isOrgWideRole(staff.role)) return allowed
  return isCurrentlyAssigned(assignmentsOfClient, staff.id, client.id) ? allowed : denied("NotAssigned")
}

/**
 * Whose conversations a line carries: its owner's, its queue members', or — for an organisation
 * line — every org-wide role's. Channels are never shared between personal lines (S0).
 */
export const canUseLine = (staff: Staff, line: Line, queue: Queue | undefined): AccessDecision => {
  if (!staff.active) return denied("StaffInactive")
  if (staff.organisationId !== line.organisationId) return denied("OtherOrganisation")
  switch (line.owner._tag) {
    case "Staff":
      return line.owner.staffId === staff.id ? allowed : denied("NotLineOwner")
    case "Organisation":
      return isOrgWideRole(staff.role) ? allowed : denied("OrganisationLineNeedsOrgWideRole")
    case "Queue":
      return queue !== undefined && queue.id === line.owner.queueId && queue.members.includes(staff.id)
        ? allowed
        : denied("NotQueueMember")
  }
}

/** What a staff member needs to know about a channel to decide whether they may see it. */
export interface ChannelContext {
  readonly line: Line
  readonly queue: Queue | undefined
  /** Absent for an unknown number that texted in (S4): then the line alone decides. */
  readonly client: Client | undefined
  readonly assignmentsOfClient: ReadonlyArray<Assignment>
}

/** A channel is visible when its line is the staff member's and its client is reachable by them. */
export const canSeeChannel = (staff: Staff, context: ChannelContext): AccessDecision => {
  const byLine = canUseLine(staff, context.line, context.queue)
  if (byLine._tag === "Denied" || context.client === undefined) return byLine
  return canAccessClient(staff, context.client, context.assignmentsOfClient)
}

/** Supervisors and admins may open a colleague's inbox read-only (S3); every such view is audited. */
export const canViewColleagueInbox = (viewer: Staff, colleague: Staff): AccessDecision => {
  if (!viewer.active) return denied("StaffInactive")
  if (viewer.organisationId !== colleague.organisationId) return denied("OtherOrganisation")
  if (viewer.id === colleague.id) return allowed
  return isManagerRole(viewer.role) ? allowed : denied("NotManager")
}

/** The access policy said no; the reason is for logs and tests, callers show a plain "not found". */
export class AccessDenied extends Schema.TaggedError<AccessDenied>()("AccessDenied", {
  reason: DenialReason
}) {
  override get message() {
    return `Access denied (${this.reason}).`
  }
}
