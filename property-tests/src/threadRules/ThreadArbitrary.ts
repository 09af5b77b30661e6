import { ClientId, OrganisationId, StaffId, type StaffRole, type Thread, ThreadId, type ThreadParticipant } from "@careline/core"
import { T0 } from "@careline/testkit"
import * as fc from "fast-check"

/** Staff and clients draw ids from one small pool, so a staff member and a client may share an id string. */
const idPool = ["p1", "p2", "p3", "p4", "p5", "p6"] as const
const role = fc.constantFrom<StaffRole>("specialist", "coordinator", "supervisor", "admin", "front_office")

export const arbStaffParticipant: fc.Arbitrary<ThreadParticipant> = fc
  .record({ id: fc.constantFrom(...idPool), role })
  .map(({ id, role }) => ({ _tag: "Staff", staffId: StaffId.make(id), role }))

export const arbClientParticipant: fc.Arbitrary<ThreadParticipant> = fc
  .record({ id: fc.constantFrom(...idPool), active: fc.boolean() })
  .map(({ id, active }) => ({ _tag: "Client", clientId: ClientId.make(id), active }))

export const arbPerson: fc.Arbitrary<ThreadParticipant> = fc.oneof(arbStaffParticipant, arbClientParticipant)

/** Who a participant is, independent of the role or activity recorded with them. */
export const identity = (p: ThreadParticipant): string => (p._tag === "Staff" ? `staff:${p.staffId}` : `client:${p.clientId}`)

/**
 * 0..5 staff with random roles and 0..5 clients, active or not, mixed in a random order. Threads
 * with at most one client are drawn as often as larger groups, so every row of the rules is reached.
 */
export const arbParticipants: fc.Arbitrary<ReadonlyArray<ThreadParticipant>> = fc
  .tuple(
    fc.uniqueArray(arbStaffParticipant, { maxLength: 5, selector: identity }),
    fc.oneof(
      fc.uniqueArray(arbClientParticipant, { maxLength: 1, selector: identity }),
      fc.uniqueArray(arbClientParticipant, { maxLength: 5, selector: identity })
    ),
    fc.array(fc.boolean(), { maxLength: 10 })
  )
  .map(([staff, clients, takeStaff]) => {
    const mixed: Array<ThreadParticipant> = []
    let s = 0
    let c = 0
    for (const pickStaff of takeStaff) {
      if (pickStaff && s < staff.length) mixed.push(staff[s++]!)
      else if (!pickStaff && c < clients.length) mixed.push(clients[c++]!)
    }
    return [...mixed, ...staff.slice(s), ...clients.slice(c)]
  })

/** A way of picking someone relative to a group: one of its members, or anybody at all. */
export interface Pick {
  readonly member: boolean
  /** Pick among the group's clients when it has any (the rare rows of the rules are about clients). */
  readonly client: boolean
  readonly index: number
  readonly anybody: ThreadParticipant
}

export const arbPick: fc.Arbitrary<Pick> = fc.record({ member: fc.boolean(), client: fc.boolean(), index: fc.nat(), anybody: arbPerson })

/**
 * Someone relative to a group: often one of its members (as recorded in it), otherwise anybody —
 * who may still turn out to be a member, in which case the member's own record is used.
 */
export const someoneOf = (group: ReadonlyArray<ThreadParticipant>, pick: Pick): ThreadParticipant => {
  const clients = group.filter((p) => p._tag === "Client")
  const among = pick.client && clients.length > 0 ? clients : group
  if (pick.member && among.length > 0) return among[pick.index % among.length]!
  return group.find((p) => identity(p) === identity(pick.anybody)) ?? pick.anybody
}

/** A thread over random participants whose starter is usually, not always, still among them. */
export const arbThread: fc.Arbitrary<Thread> = fc.tuple(arbParticipants, arbPick).map(([participants, starter]): Thread => ({
  id: ThreadId.make("t_1"),
  organisationId: OrganisationId.make("org_1"),
  subject: "Appointment follow-up",
  startedBy: someoneOf(participants, starter),
  participants,
  createdAt: T0
}))
