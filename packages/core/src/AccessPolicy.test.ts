import { describe, expect, it } from "vitest"
import {
  AccessDenied,
  type AccessDecision,
  canAccessClient,
  canSeeChannel,
  canUseLine,
  canViewColleagueInbox,
  type DenialReason,
  isAllowed
} from "./AccessPolicy.js"
import type { Assignment } from "./Assignment.js"
import type { Client } from "./Client.js"
import type { ClientId, LineId, OrganisationId, QueueId, StaffId } from "./Ids.js"
import type { Line } from "./Line.js"
import type { PhoneNumber } from "./PhoneNumber.js"
import type { Queue } from "./Queue.js"
import type { Staff, StaffRole } from "./Staff.js"

const org = "org-1" as OrganisationId
const otherOrg = "org-2" as OrganisationId
const roles: ReadonlyArray<StaffRole> = ["specialist", "coordinator", "supervisor", "admin", "front_office"]

const me = "staff-me" as StaffId
const colleague = "staff-colleague" as StaffId
const staff = (role: StaffRole, overrides: Partial<Staff> = {}): Staff => ({
  id: me,
  organisationId: org,
  name: "Me",
  role,
  active: true,
  ...overrides
})

const clientId = "client-1" as ClientId
const client: Client = {
  id: clientId,
  organisationId: org,
  name: "Casey Client",
  active: true,
  blocked: false,
  phones: [{ number: "+15550000001" as PhoneNumber, label: "mobile", primary: true, okayToText: true }]
}

const assignment = (staffId: StaffId, from: number, until?: number, forClient: ClientId = clientId): Assignment => ({
  staffId,
  clientId: forClient,
  from,
  ...(until === undefined ? {} : { until })
})

type AssignmentCase = "current" | "none" | "ended" | "colleague" | "otherClient"
const assignments: Record<AssignmentCase, ReadonlyArray<Assignment>> = {
  current: [assignment(me, 100)],
  none: [],
  ended: [assignment(me, 100, 200)],
  colleague: [assignment(colleague, 100)],
  otherClient: [assignment(me, 100, undefined, "client-2" as ClientId)]
}

const queueId = "queue-1" as QueueId
const queue = (members: ReadonlyArray<StaffId>, id: QueueId = queueId): Queue => ({ id, organisationId: org, name: "Front desk", members })
const line = (owner: Line["owner"], organisationId: OrganisationId = org): Line => ({
  id: "line-1" as LineId,
  organisationId,
  number: "+15559990000" as PhoneNumber,
  owner,
  ratePerSecond: 1
})

type LineCase = "ownStaff" | "otherStaff" | "organisation" | "queueMember" | "queueNonMember"
const lines: Record<LineCase, { line: Line; queue: Queue | undefined }> = {
  ownStaff: { line: line({ _tag: "Staff", staffId: me }), queue: undefined },
  otherStaff: { line: line({ _tag: "Staff", staffId: colleague }), queue: undefined },
  organisation: { line: line({ _tag: "Organisation" }), queue: undefined },
  queueMember: { line: line({ _tag: "Queue", queueId }), queue: queue([colleague, me]) },
  queueNonMember: { line: line({ _tag: "Queue", queueId }), queue: queue([colleague]) }
}

const allowed: AccessDecision = { _tag: "Allowed" }
const denied = (reason: DenialReason): AccessDecision => ({ _tag: "Denied", reason })

describe("canAccessClient", () => {
  // role × assignment situation, written out from the spec.
  const expected: Record<StaffRole, Record<AssignmentCase, AccessDecision>> = {
    specialist: {
      current: allowed,
      none: denied("NotAssigned"),
      ended: denied("NotAssigned"),
      colleague: denied("NotAssigned"),
      otherClient: denied("NotAssigned")
    },
    coordinator: { current: allowed, none: allowed, ended: allowed, colleague: allowed, otherClient: allowed },
    supervisor: { current: allowed, none: allowed, ended: allowed, colleague: allowed, otherClient: allowed },
    admin: { current: allowed, none: allowed, ended: allowed, colleague: allowed, otherClient: allowed },
    front_office: { current: allowed, none: allowed, ended: allowed, colleague: allowed, otherClient: allowed }
  }

  for (const role of roles) {
    for (const situation of Object.keys(assignments) as Array<AssignmentCase>) {
      it(`${role}, assignment ${situation}`, () => {
        expect(canAccessClient(staff(role), client, assignments[situation])).toEqual(expected[role][situation])
      })
    }
  }

  it("reassigning after an ended assignment gives access again", () => {
    expect(canAccessClient(staff("specialist"), client, [assignment(me, 100, 200), assignment(me, 300)])).toEqual(allowed)
    expect(canAccessClient(staff("specialist"), client, [assignment(me, 300), assignment(me, 100, 200)])).toEqual(allowed)
  })

  it("deactivated staff reach no one, whatever their role or assignment", () => {
    for (const role of roles) {
      expect(canAccessClient(staff(role, { active: false }), client, assignments.current)).toEqual(denied("StaffInactive"))
    }
  })

  it("nobody reaches another organisation's client, even when assigned", () => {
    for (const role of roles) {
      expect(canAccessClient(staff(role), { ...client, organisationId: otherOrg }, assignments.current)).toEqual(
        denied("OtherOrganisation")
      )
    }
  })
})

describe("canUseLine", () => {
  const orgWide = denied("OrganisationLineNeedsOrgWideRole")
  const expected: Record<StaffRole, Record<LineCase, AccessDecision>> = {
    specialist: {
      ownStaff: allowed,
      otherStaff: denied("NotLineOwner"),
      organisation: orgWide,
      queueMember: allowed,
      queueNonMember: denied("NotQueueMember")
    },
    coordinator: {
      ownStaff: allowed,
      otherStaff: denied("NotLineOwner"),
      organisation: allowed,
      queueMember: allowed,
      queueNonMember: denied("NotQueueMember")
    },
    supervisor: {
      ownStaff: allowed,
      otherStaff: denied("NotLineOwner"),
      organisation: allowed,
      queueMember: allowed,
      queueNonMember: denied("NotQueueMember")
    },
    admin: {
      ownStaff: allowed,
      otherStaff: denied("NotLineOwner"),
      organisation: allowed,
      queueMember: allowed,
      queueNonMember: denied("NotQueueMember")
    },
    front_office: {
      ownStaff: allowed,
      otherStaff: denied("NotLineOwner"),
      organisation: allowed,
      queueMember: allowed,
      queueNonMember: denied("NotQueueMember")
    }
  }

  for (const role of roles) {
    for (const kind of Object.keys(lines) as Array<LineCase>) {
      it(`${role} on ${kind} line`, () => {
        expect(canUseLine(staff(role), lines[kind].line, lines[kind].queue)).toEqual(expected[role][kind])
      })
    }
  }

  it("a queue line needs the line's own queue: a missing or different queue is refused", () => {
    const queueLine = lines.queueMember.line
    for (const role of roles) {
      expect(canUseLine(staff(role), queueLine, undefined)).toEqual(denied("NotQueueMember"))
      expect(canUseLine(staff(role), queueLine, queue([me], "queue-2" as QueueId))).toEqual(denied("NotQueueMember"))
    }
  })

  it("deactivated staff use no line, not even their own", () => {
    for (const role of roles) {
      for (const kind of Object.keys(lines) as Array<LineCase>) {
        expect(canUseLine(staff(role, { active: false }), lines[kind].line, lines[kind].queue)).toEqual(denied("StaffInactive"))
      }
    }
  })

  it("another organisation's line is refused for every role and owner kind", () => {
    for (const role of roles) {
      for (const kind of Object.keys(lines) as Array<LineCase>) {
        const foreign = { ...lines[kind].line, organisationId: otherOrg }
        expect(canUseLine(staff(role), foreign, lines[kind].queue)).toEqual(denied("OtherOrganisation"))
      }
    }
  })
})

describe("canSeeChannel", () => {
  const see = (role: StaffRole, kind: LineCase, situation: AssignmentCase, who: Partial<Staff> = {}) =>
    canSeeChannel(staff(role, who), {
      line: lines[kind].line,
      queue: lines[kind].queue,
      client,
      assignmentsOfClient: assignments[situation]
    })

  it("a specialist sees their own line's channel with a currently assigned client only", () => {
    expect(see("specialist", "ownStaff", "current")).toEqual(allowed)
    expect(see("specialist", "ownStaff", "none")).toEqual(denied("NotAssigned"))
    expect(see("specialist", "ownStaff", "ended")).toEqual(denied("NotAssigned"))
    expect(see("specialist", "ownStaff", "colleague")).toEqual(denied("NotAssigned"))
  })

  it("a specialist in a queue still needs the assignment", () => {
    expect(see("specialist", "queueMember", "current")).toEqual(allowed)
    expect(see("specialist", "queueMember", "none")).toEqual(denied("NotAssigned"))
    expect(see("specialist", "queueMember", "ended")).toEqual(denied("NotAssigned"))
    expect(see("specialist", "queueNonMember", "current")).toEqual(denied("NotQueueMember"))
  })

  it("a specialist never sees organisation lines, even for an assigned client", () => {
    expect(see("specialist", "organisation", "current")).toEqual(denied("OrganisationLineNeedsOrgWideRole"))
  })

  it("the new assignee does not see the previous specialist's channels", () => {
    // The channel is on the colleague's personal line; I am now the current assignee.
    expect(see("specialist", "otherStaff", "current")).toEqual(denied("NotLineOwner"))
  })

  it("unassigning hides and reassigning shows the same channel again", () => {
    const context = (assignmentsOfClient: ReadonlyArray<Assignment>) => ({
      line: lines.ownStaff.line,
      queue: undefined,
      client,
      assignmentsOfClient
    })
    expect(canSeeChannel(staff("specialist"), context([assignment(me, 100)]))).toEqual(allowed)
    expect(canSeeChannel(staff("specialist"), context([assignment(me, 100, 200)]))).toEqual(denied("NotAssigned"))
    expect(canSeeChannel(staff("specialist"), context([assignment(me, 100, 200), assignment(me, 300)]))).toEqual(allowed)
  })

  for (const role of ["coordinator", "supervisor", "admin", "front_office"] as const) {
    it(`${role}: sees own, organisation and member-queue lines without an assignment; never a colleague's line`, () => {
      for (const situation of ["none", "ended", "current"] as const) {
        expect(see(role, "ownStaff", situation)).toEqual(allowed)
        expect(see(role, "organisation", situation)).toEqual(allowed)
        expect(see(role, "queueMember", situation)).toEqual(allowed)
        expect(see(role, "otherStaff", situation)).toEqual(denied("NotLineOwner"))
        expect(see(role, "queueNonMember", situation)).toEqual(denied("NotQueueMember"))
      }
    })
  }

  it("deactivated staff see nothing", () => {
    for (const role of roles) {
      for (const kind of Object.keys(lines) as Array<LineCase>) {
        expect(see(role, kind, "current", { active: false })).toEqual(denied("StaffInactive"))
      }
    }
  })

  it("nobody sees a channel with another organisation's client, even on their own line", () => {
    for (const role of roles) {
      const decision = canSeeChannel(staff(role), {
        line: lines.ownStaff.line,
        queue: undefined,
        client: { ...client, organisationId: otherOrg },
        assignmentsOfClient: assignments.current
      })
      expect(decision).toEqual(denied("OtherOrganisation"))
    }
  })

  it("nobody sees a channel on another organisation's line", () => {
    for (const role of roles) {
      const decision = canSeeChannel(staff(role), {
        line: line({ _tag: "Organisation" }, otherOrg),
        queue: undefined,
        client,
        assignmentsOfClient: assignments.current
      })
      expect(decision).toEqual(denied("OtherOrganisation"))
    }
  })

  describe("unknown contacts (no client): whoever may use the line sees the channel", () => {
    const unknown = (role: StaffRole, kind: LineCase, who: Partial<Staff> = {}) =>
      canSeeChannel(staff(role, who), { line: lines[kind].line, queue: lines[kind].queue, client: undefined, assignmentsOfClient: [] })

    it("a specialist: own line and member queue, not organisation, colleague or other queue", () => {
      expect(unknown("specialist", "ownStaff")).toEqual(allowed)
      expect(unknown("specialist", "queueMember")).toEqual(allowed)
      expect(unknown("specialist", "organisation")).toEqual(denied("OrganisationLineNeedsOrgWideRole"))
      expect(unknown("specialist", "otherStaff")).toEqual(denied("NotLineOwner"))
      expect(unknown("specialist", "queueNonMember")).toEqual(denied("NotQueueMember"))
    })

    it("org-wide roles: own, organisation and member queue lines", () => {
      for (const role of ["coordinator", "supervisor", "admin", "front_office"] as const) {
        expect(unknown(role, "ownStaff")).toEqual(allowed)
        expect(unknown(role, "organisation")).toEqual(allowed)
        expect(unknown(role, "queueMember")).toEqual(allowed)
        expect(unknown(role, "otherStaff")).toEqual(denied("NotLineOwner"))
        expect(unknown(role, "queueNonMember")).toEqual(denied("NotQueueMember"))
      }
    })

    it("deactivated staff see no unknown contact either", () => {
      expect(unknown("admin", "organisation", { active: false })).toEqual(denied("StaffInactive"))
      expect(unknown("specialist", "ownStaff", { active: false })).toEqual(denied("StaffInactive"))
    })
  })
})

describe("canViewColleagueInbox", () => {
  const other = (overrides: Partial<Staff> = {}): Staff => staff("specialist", { id: colleague, name: "Colleague", ...overrides })

  it("supervisors and admins may; the other roles may not", () => {
    expect(canViewColleagueInbox(staff("supervisor"), other())).toEqual(allowed)
    expect(canViewColleagueInbox(staff("admin"), other())).toEqual(allowed)
    expect(canViewColleagueInbox(staff("specialist"), other())).toEqual(denied("NotManager"))
    expect(canViewColleagueInbox(staff("coordinator"), other())).toEqual(denied("NotManager"))
    expect(canViewColleagueInbox(staff("front_office"), other())).toEqual(denied("NotManager"))
  })

  it("anyone active may view their own inbox", () => {
    for (const role of roles) expect(canViewColleagueInbox(staff(role), staff(role))).toEqual(allowed)
  })

  it("a deactivated viewer may not, even a manager", () => {
    for (const role of roles) {
      expect(canViewColleagueInbox(staff(role, { active: false }), other())).toEqual(denied("StaffInactive"))
    }
  })

  it("never across organisations, even for an admin", () => {
    for (const role of roles) {
      expect(canViewColleagueInbox(staff(role), other({ organisationId: otherOrg }))).toEqual(denied("OtherOrganisation"))
    }
  })
})

describe("isAllowed and AccessDenied", () => {
  it("isAllowed reads the decision", () => {
    expect(isAllowed(allowed)).toBe(true)
    expect(isAllowed(denied("NotAssigned"))).toBe(false)
  })

  it("AccessDenied carries the reason in its message", () => {
    const error = new AccessDenied({ reason: "NotQueueMember" })
    expect(error._tag).toBe("AccessDenied")
    expect(error.message).toContain("NotQueueMember")
  })
})
