import { Effect, Option } from "effect"
import { AccessDenied } from "../AccessPolicy.js"
import type { QueueId, StaffId } from "../Ids.js"
import { Directory } from "../ports/Directory.js"
import type { Queue } from "../Queue.js"
import type { Staff, StaffRole } from "../Staff.js"
import { audit } from "./Audit.js"
import { requireQueue, requireStaff } from "./Lookup.js"

/** Only an active admin of the same organisation administers staff and queues. */
const requireAdminOf = (actorId: StaffId, organisationId: Staff["organisationId"]) =>
  Effect.gen(function* () {
    const actor = yield* requireStaff(actorId)
    if (actor.organisationId !== organisationId) return yield* new AccessDenied({ reason: "OtherOrganisation" })
    if (!actor.active || actor.role !== "admin") return yield* new AccessDenied({ reason: "NotManager" })
    return actor
  })

export const setStaffRole = (input: { readonly actorId: StaffId; readonly staffId: StaffId; readonly role: StaffRole }) =>
  Effect.gen(function* () {
    const staff = yield* requireStaff(input.staffId)
    yield* requireAdminOf(input.actorId, staff.organisationId)
    const updated = yield* Directory.use((d) => d.updateStaff(staff.id, (current): Staff => ({ ...current, role: input.role })))
    const next = Option.getOrElse(updated, (): Staff => ({ ...staff, role: input.role }))
    yield* audit({ organisationId: staff.organisationId, actor: { _tag: "Staff", staffId: input.actorId }, action: "staff.role", detail: `staff=${staff.id} role=${input.role}` })
    return next
  })

export const setQueueMembers = (input: { readonly actorId: StaffId; readonly queueId: QueueId; readonly members: ReadonlyArray<StaffId> }) =>
  Effect.gen(function* () {
    const queue = yield* requireQueue(input.queueId)
    yield* requireAdminOf(input.actorId, queue.organisationId)
    const next: Queue = { ...queue, members: [...new Set(input.members)] }
    yield* Directory.use((d) => d.putQueue(next))
    yield* audit({ organisationId: queue.organisationId, actor: { _tag: "Staff", staffId: input.actorId }, action: "queue.members", detail: `queue=${queue.id} members=${next.members.length}` })
    return next
  })
