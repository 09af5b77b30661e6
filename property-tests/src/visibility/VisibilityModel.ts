import type { ClientId, LineId, PhoneNumber, StaffId, StaffRole } from "@careline/core"
import { initialQueueMembers, initialRoles, lines, staff } from "../Scenario.js"

export interface ModelChannel {
  readonly lineId: LineId
  readonly phone: PhoneNumber
  clientId: ClientId | undefined
  inbound: number
}

/** The reference model: roles, queue members, current assignments, and the channels that exist. */
export interface VisibilityModel {
  readonly roles: Map<StaffId, StaffRole>
  members: Set<StaffId>
  readonly assignments: Set<string>
  readonly channels: Map<string, ModelChannel>
}

export const initialModel = (): VisibilityModel => ({
  roles: new Map(Object.entries(initialRoles) as Array<[StaffId, StaffRole]>),
  members: new Set(initialQueueMembers),
  assignments: new Set(),
  channels: new Map()
})

export const assignmentKey = (staffId: StaffId, clientId: ClientId) => `${staffId}|${clientId}`
export const channelKey = (lineId: LineId, phone: PhoneNumber) => `${lineId}|${phone}`

const personalOwner: ReadonlyMap<LineId, StaffId> = new Map([
  [lines.spec1, staff.spec1],
  [lines.spec2, staff.spec2],
  [lines.coord, staff.coord]
])

/**
 * docs/domain-rules.md, "Access policy", written out plainly: the line must be the staff member's
 * (their own, their queue's, or the organisation's for an org-wide role), and the client must be
 * theirs to reach (org-wide role, or a specialist currently assigned).
 */
export const sees = (model: VisibilityModel, who: StaffId, channel: ModelChannel): boolean => {
  if (who === staff.outsider) return false
  const role = model.roles.get(who)!
  const orgWide = role !== "specialist"
  const lineOk = channel.lineId === lines.org ? orgWide
    : channel.lineId === lines.queue ? model.members.has(who)
    : personalOwner.get(channel.lineId) === who
  const clientOk = channel.clientId === undefined || orgWide || model.assignments.has(assignmentKey(who, channel.clientId))
  return lineOk && clientOk
}

export const visibleKeys = (model: VisibilityModel, who: StaffId): Array<string> =>
  [...model.channels.entries()].filter(([, channel]) => sees(model, who, channel)).map(([key]) => key).sort()
