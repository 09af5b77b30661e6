import { Clock, Effect, Option, Schema } from "effect"
import { AccessDenied } from "../AccessPolicy.js"
import type { BusinessHours } from "../BusinessHours.js"
import type { Client } from "../Client.js"
import { type ClientId, LineId, QueueId, StaffId } from "../Ids.js"
import type { Line, LineOwner } from "../Line.js"
import { Organisation, type Templates } from "../Organisation.js"
import type { PhoneNumber } from "../PhoneNumber.js"
import { Credentials, type PasswordHash, type TokenHash } from "../ports/Credentials.js"
import { AuditLog, type AuditQuery } from "../ports/AuditLog.js"
import { Directory } from "../ports/Directory.js"
import { Ids } from "../ports/Ids.js"
import type { Queue } from "../Queue.js"
import { isManagerRole, type Staff, type StaffRole } from "../Staff.js"
import { audit } from "./Audit.js"
import { requireClient, requireOrganisation, requireQueue, requireStaff } from "./Lookup.js"

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

/** An administration request that cannot be carried out as asked, with the reason a person can fix. */
export class AdministrationRefused extends Schema.TaggedError<AdministrationRefused>()("AdministrationRefused", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}

const refuse = (reason: string) => Effect.fail(new AdministrationRefused({ reason }))

const staffActor = (staffId: StaffId) => ({ _tag: "Staff", staffId }) as const

/** Supervisors and admins (active, same organisation) change the organisation's settings. */
const requireManager = (actorId: StaffId) =>
  Effect.gen(function* () {
    const actor = yield* requireStaff(actorId)
    if (!actor.active) return yield* new AccessDenied({ reason: "StaffInactive" })
    if (!isManagerRole(actor.role)) return yield* new AccessDenied({ reason: "NotManager" })
    return actor
  })

/** The organisation's settings a supervisor or admin may change; what is absent stays as it is. */
export interface OrganisationSettings {
  readonly businessHours?: BusinessHours
  readonly templates?: Templates
  readonly crisisWords?: ReadonlyArray<string>
  /** Clients see their own SMS conversations, read-only, in the portal. */
  readonly portalShowsSms?: boolean
  /** Channel emails carry the message itself (it then leaves the server by email). */
  readonly emailCarriesContent?: boolean
}

const isOrganisation = Schema.is(Organisation)

/**
 * Changes the actor's organisation's business hours, templates or crisis words (supervisors and
 * admins) and audits which of them changed (`organisation.settings`), never their text.
 */
export const updateOrganisationSettings = (input: { readonly actorId: StaffId; readonly settings: OrganisationSettings }) =>
  Effect.gen(function* () {
    const actor = yield* requireManager(input.actorId)
    const organisation = yield* requireOrganisation(actor.organisationId)
    const changed = (["businessHours", "templates", "crisisWords", "portalShowsSms", "emailCarriesContent"] as const).filter((key) => input.settings[key] !== undefined)
    const next: Organisation = { ...organisation, ...input.settings }
    if (!isOrganisation(next)) return yield* refuse("These settings are not valid (check the hours, time zone and templates).")
    yield* Directory.use((d) => d.putOrganisation(next))
    yield* audit({ organisationId: organisation.id, actor: staffActor(actor.id), action: "organisation.settings", detail: `changed=${changed.join(",")}` })
    return next
  })

/** Sets (or, with `text` absent, clears) a queue's own after-hours reply (supervisors and admins); audited `queue.settings`. */
export const setQueueAfterHoursReply = (input: { readonly actorId: StaffId; readonly queueId: QueueId; readonly text?: string }) =>
  Effect.gen(function* () {
    const actor = yield* requireManager(input.actorId)
    const queue = yield* requireQueue(input.queueId)
    if (queue.organisationId !== actor.organisationId) return yield* new AccessDenied({ reason: "OtherOrganisation" })
    const { afterHoursReply: _, ...rest } = queue
    const next: Queue = input.text === undefined ? rest : { ...rest, afterHoursReply: input.text }
    yield* Directory.use((d) => d.putQueue(next))
    yield* audit({ organisationId: queue.organisationId, actor: staffActor(actor.id), action: "queue.settings", detail: `queue=${queue.id} afterHours=${input.text === undefined ? "cleared" : "set"}` })
    return next
  })

const sameEmail = (a: string | undefined, b: string) => a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase()

/**
 * Adds an active staff member to the admin's organisation, with a password hash when given (the
 * server hashes; the core never sees a password). An email is used once per organisation.
 */
export const createStaff = (input: {
  readonly actorId: StaffId
  readonly name: string
  readonly email: string
  readonly role: StaffRole
  readonly password?: PasswordHash
}) =>
  Effect.gen(function* () {
    const actor = yield* requireStaff(input.actorId)
    yield* requireAdminOf(input.actorId, actor.organisationId)
    const directory = yield* Directory
    if ((yield* directory.listStaff(actor.organisationId)).some((s) => sameEmail(s.email, input.email))) {
      return yield* refuse(`Someone already has the email ${input.email.trim()}.`)
    }
    const staff: Staff = {
      id: StaffId.make(yield* Ids.use((ids) => ids.next("stf"))),
      organisationId: actor.organisationId,
      name: input.name.trim(),
      email: input.email.trim(),
      role: input.role,
      active: true
    }
    yield* directory.putStaff(staff)
    if (input.password !== undefined) {
      const now = yield* Clock.currentTimeMillis
      yield* Credentials.use((c) => c.setPassword(staff.id, input.password!, now))
    }
    yield* audit({ organisationId: staff.organisationId, actor: staffActor(actor.id), action: "staff.create", detail: `staff=${staff.id} role=${staff.role}` })
    return staff
  })

/** The staff member, after checking the actor is an active admin of their organisation. */
const staffAdministeredBy = (actorId: StaffId, staffId: StaffId) =>
  Effect.gen(function* () {
    const staff = yield* requireStaff(staffId)
    yield* requireAdminOf(actorId, staff.organisationId)
    return staff
  })

/**
 * Deactivates or reactivates a staff member (admins; never themselves, so an organisation keeps an
 * admin). Deactivation ends every session and revokes every API token at once: nothing they hold
 * works a moment longer. Audited `staff.active`.
 */
export const setStaffActive = (input: { readonly actorId: StaffId; readonly staffId: StaffId; readonly active: boolean }) =>
  Effect.gen(function* () {
    const staff = yield* staffAdministeredBy(input.actorId, input.staffId)
    if (staff.id === input.actorId) return yield* refuse("You cannot deactivate yourself; ask another admin.")
    const updated = yield* Directory.use((d) => d.updateStaff(staff.id, (current): Staff => ({ ...current, active: input.active })))
    let ended = ""
    if (!input.active) {
      const now = yield* Clock.currentTimeMillis
      const credentials = yield* Credentials
      const sessions = yield* credentials.endSessionsOf(staff.id)
      const tokens = yield* credentials.revokeApiTokens(staff.id, now)
      ended = ` sessions=${sessions} tokens=${tokens}`
    }
    yield* audit({ organisationId: staff.organisationId, actor: staffActor(input.actorId), action: "staff.active", detail: `staff=${staff.id} active=${input.active}${ended}` })
    return Option.getOrElse(updated, (): Staff => ({ ...staff, active: input.active }))
  })

/**
 * Sets a staff member's password hash (admins); their other sessions end, so a reset locks out
 * whoever knew the old one. Audited `staff.password`, never the password.
 */
export const setStaffPassword = (input: { readonly actorId: StaffId; readonly staffId: StaffId; readonly password: PasswordHash }) =>
  Effect.gen(function* () {
    const staff = yield* staffAdministeredBy(input.actorId, input.staffId)
    const now = yield* Clock.currentTimeMillis
    const credentials = yield* Credentials
    yield* credentials.setPassword(staff.id, input.password, now)
    if (staff.id !== input.actorId) yield* credentials.endSessionsOf(staff.id)
    yield* audit({ organisationId: staff.organisationId, actor: staffActor(input.actorId), action: "staff.password", detail: `staff=${staff.id}` })
  })

/**
 * Stores a new API token's hash for an active staff member (admins): the server makes the token and
 * shows it once. Audited `token.issue`.
 */
export const issueApiTokenFor = (input: { readonly actorId: StaffId; readonly staffId: StaffId; readonly tokenHash: TokenHash }) =>
  Effect.gen(function* () {
    const staff = yield* staffAdministeredBy(input.actorId, input.staffId)
    if (!staff.active) return yield* refuse(`${staff.name} is deactivated; reactivate them before issuing a token.`)
    const now = yield* Clock.currentTimeMillis
    yield* Credentials.use((c) => c.issueApiToken(staff.id, input.tokenHash, now))
    yield* audit({ organisationId: staff.organisationId, actor: staffActor(input.actorId), action: "token.issue", detail: `staff=${staff.id}` })
  })

/** Revokes every API token of a staff member (admins), answering how many there were. Audited `token.revoke`. */
export const revokeApiTokensOf = (input: { readonly actorId: StaffId; readonly staffId: StaffId }) =>
  Effect.gen(function* () {
    const staff = yield* staffAdministeredBy(input.actorId, input.staffId)
    const now = yield* Clock.currentTimeMillis
    const revoked = yield* Credentials.use((c) => c.revokeApiTokens(staff.id, now))
    yield* audit({ organisationId: staff.organisationId, actor: staffActor(input.actorId), action: "token.revoke", detail: `staff=${staff.id} tokens=${revoked}` })
    return revoked
  })

/** Activates or deactivates a client (admins); audited `client.active` with the client. */
export const setClientActive = (input: { readonly actorId: StaffId; readonly clientId: ClientId; readonly active: boolean }) =>
  Effect.gen(function* () {
    const client = yield* requireClient(input.clientId)
    yield* requireAdminOf(input.actorId, client.organisationId)
    const updated = yield* Directory.use((d) => d.updateClient(client.id, (current): Client => ({ ...current, active: input.active })))
    yield* audit({ organisationId: client.organisationId, actor: staffActor(input.actorId), action: "client.active", clientId: client.id, detail: `active=${input.active}` })
    return Option.getOrElse(updated, (): Client => ({ ...client, active: input.active }))
  })

/** Creates a queue (admins) with members of the organisation; a name is used once (any case). Audited `queue.create`. */
export const createQueue = (input: { readonly actorId: StaffId; readonly name: string; readonly members: ReadonlyArray<StaffId> }) =>
  Effect.gen(function* () {
    const actor = yield* requireStaff(input.actorId)
    yield* requireAdminOf(input.actorId, actor.organisationId)
    const directory = yield* Directory
    const name = input.name.trim()
    if ((yield* directory.listQueues(actor.organisationId)).some((q) => q.name.toLowerCase() === name.toLowerCase())) {
      return yield* refuse(`There is already a queue called ${name}.`)
    }
    const colleagues = new Set((yield* directory.listStaff(actor.organisationId)).map((s) => s.id))
    if (input.members.some((m) => !colleagues.has(m))) return yield* refuse("Queue members must be staff of this organisation.")
    const queue: Queue = { id: QueueId.make(yield* Ids.use((ids) => ids.next("que"))), organisationId: actor.organisationId, name, members: [...new Set(input.members)] }
    yield* directory.putQueue(queue)
    yield* audit({ organisationId: queue.organisationId, actor: staffActor(actor.id), action: "queue.create", detail: `queue=${queue.id} members=${queue.members.length}` })
    return queue
  })

/**
 * Adds a line (admins): a number the organisation holds at the provider, owned by a staff member,
 * the organisation or a queue of the same organisation. A number is a line at most once (inbound
 * texts are routed by it). Audited `line.add`.
 */
export const addLine = (input: { readonly actorId: StaffId; readonly number: PhoneNumber; readonly owner: LineOwner; readonly ratePerSecond: number }) =>
  Effect.gen(function* () {
    const actor = yield* requireStaff(input.actorId)
    yield* requireAdminOf(input.actorId, actor.organisationId)
    const directory = yield* Directory
    if (Option.isSome(yield* directory.findLineByNumber(input.number))) return yield* refuse(`${input.number} is already a line.`)
    if (!(input.ratePerSecond > 0)) return yield* refuse("The rate must be above 0 texts per second.")
    const owner = input.owner
    if (owner._tag === "Staff") {
      const staff = yield* directory.getStaff(owner.staffId)
      if (Option.isNone(staff) || staff.value.organisationId !== actor.organisationId) return yield* refuse("The owner must be staff of this organisation.")
    } else if (owner._tag === "Queue") {
      const queue = yield* directory.getQueue(owner.queueId)
      if (Option.isNone(queue) || queue.value.organisationId !== actor.organisationId) return yield* refuse("The queue must be one of this organisation's.")
    }
    const line: Line = { id: LineId.make(yield* Ids.use((ids) => ids.next("lin"))), organisationId: actor.organisationId, number: input.number, owner, ratePerSecond: input.ratePerSecond }
    yield* directory.putLine(line)
    const ownerText = owner._tag === "Staff" ? `staff:${owner.staffId}` : owner._tag === "Queue" ? `queue:${owner.queueId}` : "organisation"
    yield* audit({ organisationId: line.organisationId, actor: staffActor(actor.id), action: "line.add", detail: `line=${line.id} owner=${ownerText} rate=${line.ratePerSecond}` })
    return line
  })

/** The audit log as an admin sees it: filtered, newest matches skipped by `offset`, oldest first (like `AuditLog.list`). */
export const listAuditLog = (input: { readonly actorId: StaffId; readonly query: AuditQuery }) =>
  Effect.gen(function* () {
    const actor = yield* requireStaff(input.actorId)
    yield* requireAdminOf(input.actorId, actor.organisationId)
    return yield* AuditLog.use((log) => log.list(actor.organisationId, input.query))
  })

/**
 * The audit log's matching events for export (admins), itself audited (`audit.export`, with the
 * filters as ids): who took a copy of the trail is part of the trail.
 */
export const exportAuditLog = (input: { readonly actorId: StaffId; readonly query: AuditQuery }) =>
  Effect.gen(function* () {
    const events = yield* listAuditLog(input)
    const { query } = input
    const filters = [
      query.actorStaffId === undefined ? undefined : `staff=${query.actorStaffId}`,
      query.action === undefined ? undefined : `action=${query.action}`,
      `rows=${events.length}`
    ].filter((f) => f !== undefined)
    const actor = yield* requireStaff(input.actorId)
    yield* audit({ organisationId: actor.organisationId, actor: staffActor(actor.id), action: "audit.export", ...(query.clientId === undefined ? {} : { clientId: query.clientId }), detail: filters.join(" ") })
    return events
  })
