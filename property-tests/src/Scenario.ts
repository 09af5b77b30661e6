import {
  ClientId,
  Directory,
  LineId,
  OrganisationId,
  type PhoneNumber,
  QueueId,
  StaffId,
  type StaffRole
} from "@careline/core"
import { makeClient, makeLine, makeOrganisation, makeQueue, makeStaff, phone } from "@careline/testkit"
import { Effect } from "effect"

/**
 * The organisation every model-based suite plays in: two specialists and a coordinator with
 * personal lines, a supervisor, an admin, front office, a queue with its line, an organisation
 * line, three clients (one primary phone each) and one number nobody knows.
 */
export const org = OrganisationId.make("org_1")
export const otherOrg = OrganisationId.make("org_2")

export const staff = {
  spec1: StaffId.make("s_spec1"),
  spec2: StaffId.make("s_spec2"),
  coord: StaffId.make("s_coord"),
  sup: StaffId.make("s_sup"),
  admin: StaffId.make("s_admin"),
  front: StaffId.make("s_front"),
  outsider: StaffId.make("s_outsider")
} as const

export const initialRoles: Record<StaffId, StaffRole> = {
  [staff.spec1]: "specialist",
  [staff.spec2]: "specialist",
  [staff.coord]: "coordinator",
  [staff.sup]: "supervisor",
  [staff.admin]: "admin",
  [staff.front]: "front_office",
  [staff.outsider]: "admin"
}

export const lines = {
  spec1: LineId.make("l_spec1"),
  spec2: LineId.make("l_spec2"),
  coord: LineId.make("l_coord"),
  queue: LineId.make("l_queue"),
  org: LineId.make("l_org")
} as const

export const lineNumbers: Record<LineId, PhoneNumber> = {
  [lines.spec1]: phone(9_000_001),
  [lines.spec2]: phone(9_000_002),
  [lines.coord]: phone(9_000_003),
  [lines.queue]: phone(9_000_004),
  [lines.org]: phone(9_000_005)
}

/** Every organisation number, with its line id, in a fixed order commands can index. */
export const lineList: ReadonlyArray<readonly [LineId, PhoneNumber]> = Object.values(lines).map((id) => [id, lineNumbers[id]!] as const)

export const queueId = QueueId.make("q_front")
export const initialQueueMembers = [staff.spec1, staff.front]

export const clients = [ClientId.make("c_1"), ClientId.make("c_2"), ClientId.make("c_3")] as const
export const clientPhones = [phone(1), phone(2), phone(3)] as const
export const unknownPhone = phone(9)

export const seedScenario = Effect.gen(function* () {
  const directory = yield* Directory
  yield* directory.putOrganisation(makeOrganisation({ id: org }))
  yield* directory.putOrganisation(makeOrganisation({ id: otherOrg, name: "Elsewhere" }))
  for (const [id, role] of Object.entries(initialRoles) as Array<[StaffId, StaffRole]>) {
    yield* directory.putStaff(makeStaff({ id, role, name: id, organisationId: id === staff.outsider ? otherOrg : org }))
  }
  const personal = [[lines.spec1, staff.spec1], [lines.spec2, staff.spec2], [lines.coord, staff.coord]] as const
  for (const [id, owner] of personal) {
    yield* directory.putLine(makeLine({ id, organisationId: org, number: lineNumbers[id]!, owner: { _tag: "Staff", staffId: owner }, ratePerSecond: 100 }))
  }
  yield* directory.putQueue(makeQueue({ id: queueId, organisationId: org, members: initialQueueMembers }))
  yield* directory.putLine(makeLine({ id: lines.queue, organisationId: org, number: lineNumbers[lines.queue]!, owner: { _tag: "Queue", queueId }, ratePerSecond: 100 }))
  yield* directory.putLine(makeLine({ id: lines.org, organisationId: org, number: lineNumbers[lines.org]!, owner: { _tag: "Organisation" }, ratePerSecond: 100 }))
  for (const [i, id] of clients.entries()) {
    yield* directory.putClient(makeClient({
      id,
      organisationId: org,
      name: `Client ${i + 1}`,
      phones: [{ number: clientPhones[i]!, label: "mobile", primary: true, okayToText: false }]
    }))
  }
})
