import { Clock, Effect, Option } from "effect"
import { AccessDenied, canAccessClient } from "../AccessPolicy.js"
import { mayManageAssignments } from "../Assignment.js"
import { mayBlock } from "../Blocking.js"
import { type Client, primaryPhone } from "../Client.js"
import { attestationChange, ConsentOptedOut } from "../Consent.js"
import { ClientId, type StaffId } from "../Ids.js"
import { InvalidClient, mayAddClients, type NewClient, newClientProblem } from "../NewClient.js"
import { Directory } from "../ports/Directory.js"
import { Ids } from "../ports/Ids.js"
import { NoPrimaryPhone } from "../SendRefusals.js"
import type { Staff } from "../Staff.js"
import { audit } from "./Audit.js"
import { transitionConsent } from "./ConsentRecords.js"
import { requireClient, requireStaff } from "./Lookup.js"

const staffActor = (staff: Staff) => ({ _tag: "Staff" as const, staffId: staff.id })

/** Loads actor and client, failing unless the actor may reach the client at all (the access policy). */
export const actorAndClient = (actorId: StaffId, clientId: ClientId) =>
  Effect.gen(function* () {
    const actor = yield* requireStaff(actorId)
    const client = yield* requireClient(clientId)
    const decision = canAccessClient(actor, client, yield* Directory.use((d) => d.assignmentsOfClient(client.id)))
    if (decision._tag === "Denied") return yield* new AccessDenied({ reason: decision.reason })
    return { actor, client }
  })

export interface CreateClient extends NewClient {
  readonly staffId: StaffId
  /** The creator attests the client agreed to texts on the primary number (S0); never overrides an opt-out. */
  readonly okayToText?: boolean
}

/**
 * Adds an active client to the creator's organisation (coordinators, supervisors and admins) and
 * audits it (`client.create`). "Okay to text" is recorded as the creator's attestation, which an
 * opt-out on the number refuses quietly: the client is added either way, and the number's consent
 * says which it was.
 */
export const createClient = (input: CreateClient) =>
  Effect.gen(function* () {
    const actor = yield* requireStaff(input.staffId)
    if (!mayAddClients(actor)) return yield* new AccessDenied({ reason: actor.active ? "NotManager" : "StaffInactive" })
    const problem = newClientProblem(input)
    if (problem !== undefined) return yield* new InvalidClient({ reason: problem })
    const client: Client = {
      id: ClientId.make(yield* Ids.use((ids) => ids.next("cli"))),
      organisationId: actor.organisationId,
      name: input.name.trim(),
      active: true,
      blocked: false,
      phones: input.phones.map((p) => ({ number: p.number, label: p.label, primary: p.primary, okayToText: false })),
      ...(input.email === undefined ? {} : { email: input.email }),
      ...(input.timeZone === undefined ? {} : { timeZone: input.timeZone })
    }
    yield* Directory.use((d) => d.putClient(client))
    yield* audit({ organisationId: client.organisationId, actor: staffActor(actor), action: "client.create", clientId: client.id })
    if (input.okayToText !== true) return client
    yield* attestConsent({ staffId: actor.id, clientId: client.id }).pipe(Effect.catchTag("ConsentOptedOut", () => Effect.void))
    return yield* requireClient(client.id)
  })

export interface Attest {
  readonly staffId: StaffId
  readonly clientId: ClientId
}

/**
 * Records "okay to text" on the client's primary number (S0): a staff attestation that opts in an
 * unknown or pending number. It never overrides an opt-out.
 */
export const attestConsent = (input: Attest) =>
  Effect.gen(function* () {
    const { actor, client } = yield* actorAndClient(input.staffId, input.clientId)
    const phone = primaryPhone(client)
    if (Option.isNone(phone)) return yield* new NoPrimaryPhone({ clientId: client.id })
    const number = phone.value.number
    const decision = yield* transitionConsent(
      { organisationId: client.organisationId, phone: number, evidence: actor.id, actor: staffActor(actor), clientId: client.id },
      (status) => {
        const outcome = attestationChange(status)
        return {
          outcome,
          change: outcome === "opt_in" ? Option.some({ state: "opted_in" as const, source: "staff_attestation" as const }) : Option.none()
        }
      }
    )
    if (decision.outcome === "refused") return yield* new ConsentOptedOut({ phone: number })
    yield* Directory.use((d) =>
      d.updateClient(client.id, (current) => ({
        ...current,
        phones: current.phones.map((p) => (p.number === number ? { ...p, okayToText: true } : p))
      })))
  })

const setBlocked = (blocked: boolean) => (input: { readonly staffId: StaffId; readonly clientId: ClientId }) =>
  Effect.gen(function* () {
    const { actor, client } = yield* actorAndClient(input.staffId, input.clientId)
    if (!mayBlock(actor)) return yield* new AccessDenied({ reason: "NotManager" })
    const next = yield* Directory.use((d) => d.updateClient(client.id, (current): Client => ({ ...current, blocked })))
    yield* audit({ organisationId: client.organisationId, actor: staffActor(actor), action: "client.block", clientId: client.id, detail: blocked ? "blocked" : "unblocked" })
    return Option.getOrElse(next, () => ({ ...client, blocked }))
  })

/** Supervisors and admins block a client (S2): their texts are stored but nothing is sent to them. */
export const blockClient = setBlocked(true)
export const unblockClient = setBlocked(false)

export interface AssignmentChange {
  readonly actorId: StaffId
  readonly staffId: StaffId
  readonly clientId: ClientId
}

const assignmentActors = (input: AssignmentChange) =>
  Effect.gen(function* () {
    const { actor, client } = yield* actorAndClient(input.actorId, input.clientId)
    if (!mayManageAssignments(actor)) return yield* new AccessDenied({ reason: "NotManager" })
    const staff = yield* requireStaff(input.staffId)
    if (staff.organisationId !== client.organisationId) return yield* new AccessDenied({ reason: "OtherOrganisation" })
    return { actor, client, staff }
  })

/** Assigns a staff member to a client; reassigning shows the whole earlier history again at once (S0). */
export const assign = (input: AssignmentChange) =>
  Effect.gen(function* () {
    const { actor, client, staff } = yield* assignmentActors(input)
    const directory = yield* Directory
    const history = yield* directory.assignmentsOfClient(client.id)
    if (history.some((a) => a.staffId === staff.id && a.until === undefined)) return false
    yield* directory.startAssignment({ staffId: staff.id, clientId: client.id, from: yield* Clock.currentTimeMillis })
    yield* audit({ organisationId: client.organisationId, actor: staffActor(actor), action: "assignment.change", clientId: client.id, detail: `staff=${staff.id} assigned` })
    return true
  })

/** Ends an assignment: the staff member's channels with the client are hidden from them, not deleted. */
export const unassign = (input: AssignmentChange) =>
  Effect.gen(function* () {
    const { actor, client, staff } = yield* assignmentActors(input)
    const now = yield* Clock.currentTimeMillis
    const ended = yield* Directory.use((d) => d.endAssignment(staff.id, client.id, now))
    if (!ended) return false
    yield* audit({ organisationId: client.organisationId, actor: staffActor(actor), action: "assignment.change", clientId: client.id, detail: `staff=${staff.id} unassigned` })
    return true
  })
