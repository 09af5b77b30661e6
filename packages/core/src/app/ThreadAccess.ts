import { Effect, Option, Schema } from "effect"
import { AccessDenied } from "../AccessPolicy.js"
import type { AuditEvent } from "../AuditEvent.js"
import type { Client } from "../Client.js"
import type { ClientId, OrganisationId, StaffId, ThreadId } from "../Ids.js"
import { NotFound } from "../NotFound.js"
import { Directory } from "../ports/Directory.js"
import { PortalThreads } from "../ports/PortalThreads.js"
import type { ThreadRecord } from "../PortalThread.js"
import type { Staff, StaffRole } from "../Staff.js"
import { type ParticipantRef, sameRef, type Thread, type ThreadParticipant, ThreadRefusal } from "../Thread.js"
import { audit } from "./Audit.js"
import { requireClient, requireStaff } from "./Lookup.js"

/** Who acts on secure messages: a signed-in staff member or a client signed in to the portal. */
export type PortalActor = { readonly _tag: "Staff"; readonly staff: Staff } | { readonly _tag: "Client"; readonly client: Client }

/** A thread action refused by the rules, with a sentence a person reads (never content or names). */
export class ThreadRefused extends Schema.TaggedError<ThreadRefused>()("ThreadRefused", {
  reason: ThreadRefusal,
  message: Schema.String
}) {}

const refusalTexts: Record<ThreadRefusal, string> = {
  NotAParticipant: "You are not part of this conversation.",
  GroupWithSeveralClients: "Messages to more than one client cannot be replied to, for privacy: start a new message instead.",
  InactiveClientToProvider: "Your account is inactive, so you can send secure messages to front office staff only.",
  NotTheAuthor: "Only the staff member who sent a message can delete it.",
  NotTheStarter: "Only the staff member who started this conversation can delete it.",
  ClientsCannotDelete: "Messages cannot be deleted from the portal.",
  NeedsExactlyOneClient: "A quick note needs a conversation with exactly one client.",
  NoRecipients: "Choose at least one recipient.",
  RecipientNotAllowed: "You cannot send a secure message to one of the recipients you chose.",
  InvalidMessage: "The message cannot be sent as it is.",
  StaffOnly: "Only staff can do this."
}

/** The sentence shown for a refusal. */
export const refusalText = (reason: ThreadRefusal): string => refusalTexts[reason]

export const refuse = (reason: ThreadRefusal, message: string = refusalText(reason)) => new ThreadRefused({ reason, message })

/** Fails with the refusal when a rule gave one. */
export const orRefuse = (reason: ThreadRefusal | undefined) => (reason === undefined ? Effect.void : Effect.fail(refuse(reason)))

export const actorRef = (actor: PortalActor): ParticipantRef =>
  actor._tag === "Staff" ? { _tag: "Staff", staffId: actor.staff.id } : { _tag: "Client", clientId: actor.client.id }

export const actorOrganisation = (actor: PortalActor): OrganisationId =>
  actor._tag === "Staff" ? actor.staff.organisationId : actor.client.organisationId

/**
 * The actor as the directory has them now (role, active): a deactivated staff member is refused
 * (`AccessDenied`); a client made inactive may still read and write to front office.
 */
export const currentActor = (actor: PortalActor) =>
  Effect.gen(function* () {
    if (actor._tag === "Client") return { _tag: "Client", client: yield* requireClient(actor.client.id) } as const
    const staff = yield* requireStaff(actor.staff.id)
    if (!staff.active) return yield* new AccessDenied({ reason: "StaffInactive" })
    return { _tag: "Staff", staff } as const
  })

/** A participant with what pages show and rules need: a display name, role (staff) and active flag. */
export interface ParticipantView {
  readonly ref: ParticipantRef
  readonly name: string
  readonly role?: StaffRole
  readonly active: boolean
}

/** The directory records behind some participant refs, looked up once per action. */
export const resolveParticipants = (organisationId: OrganisationId, refs: ReadonlyArray<ParticipantRef>) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const staff = new Map<string, Staff>()
    if (refs.some((r) => r._tag === "Staff")) for (const s of yield* directory.listStaff(organisationId)) staff.set(s.id, s)
    const clientIds = refs.flatMap((r) => (r._tag === "Client" ? [r.clientId] : []))
    const clients = new Map<string, Client>()
    for (const c of yield* directory.getClients(clientIds)) if (c.organisationId === organisationId) clients.set(c.id, c)
    return refs.map((ref): ParticipantView => {
      if (ref._tag === "Staff") {
        const s = staff.get(ref.staffId)
        return s === undefined ? { ref, name: "Former staff member", role: "specialist", active: false } : { ref, name: s.name, role: s.role, active: s.active }
      }
      const c = clients.get(ref.clientId)
      return c === undefined ? { ref, name: "Former client", active: false } : { ref, name: c.name, active: c.active }
    })
  })

/** What the pure rules (`Thread.ts`) need about a participant. */
export const ruleParticipant = (view: ParticipantView): ThreadParticipant =>
  view.ref._tag === "Staff"
    ? { _tag: "Staff", staffId: view.ref.staffId, role: view.role ?? "specialist" }
    : { _tag: "Client", clientId: view.ref.clientId, active: view.active }

/** The thread as the rules see it, with each participant's role and active flag as they are now. */
export const ruleThread = (thread: ThreadRecord, views: ReadonlyArray<ParticipantView>): Thread => {
  const find = (ref: ParticipantRef) => ruleParticipant(views.find((v) => sameRef(v.ref, ref)) ?? { ref, name: "", active: false })
  return {
    id: thread.id,
    organisationId: thread.organisationId,
    subject: thread.subject,
    startedBy: find(thread.startedBy),
    participants: thread.participants.map(find),
    createdAt: thread.createdAt
  }
}

/** A thread the actor takes part in; any other (or none) is `NotFound`, so an id reveals nothing. */
export const participantThread = (actor: PortalActor, threadId: ThreadId) =>
  Effect.gen(function* () {
    const found = yield* PortalThreads.use((t) => t.getThread(threadId))
    const me = actorRef(actor)
    if (Option.isNone(found) || found.value.organisationId !== actorOrganisation(actor) || !found.value.participants.some((p) => sameRef(p, me))) {
      return yield* new NotFound({ entity: "thread", id: threadId })
    }
    return found.value
  })

/** The thread's one client, when it has exactly one. */
export const onlyClient = (participants: ReadonlyArray<ParticipantRef>): ClientId | undefined => {
  const clients = participants.flatMap((p) => (p._tag === "Client" ? [p.clientId] : []))
  return clients.length === 1 ? clients[0] : undefined
}

/**
 * An audit event for a thread action: the actor, the thread's one client (or the client acting),
 * and ids in the detail — never a subject, body, file name or person's name.
 */
export const auditThread = (
  actor: PortalActor,
  action: AuditEvent["action"],
  participants: ReadonlyArray<ParticipantRef>,
  detail: string
) => {
  const clientId = actor._tag === "Client" ? actor.client.id : onlyClient(participants)
  const who: AuditEvent["actor"] = actor._tag === "Staff" ? { _tag: "Staff", staffId: actor.staff.id as StaffId } : { _tag: "Client" }
  return audit({ organisationId: actorOrganisation(actor), actor: who, action, ...(clientId === undefined ? {} : { clientId }), detail })
}
