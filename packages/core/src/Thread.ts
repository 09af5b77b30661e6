import { Schema } from "effect"
import { ClientId, Millis, OrganisationId, StaffId, ThreadId } from "./Ids.js"
import { StaffRole } from "./Staff.js"

/** A participant of a portal thread, with what the rules need to know about them. */
export const ThreadParticipant = Schema.Union([
  Schema.TaggedStruct("Staff", { staffId: StaffId, role: StaffRole }),
  Schema.TaggedStruct("Client", { clientId: ClientId, active: Schema.Boolean })
])
export type ThreadParticipant = typeof ThreadParticipant.Type

export const MIN_BODY_LENGTH = 10

/** A portal secure-message thread (S1): a required subject shown to every recipient. */
export const Thread = Schema.Struct({
  id: ThreadId,
  organisationId: OrganisationId,
  subject: Schema.String.check(Schema.isMinLength(1)),
  startedBy: ThreadParticipant,
  participants: Schema.Array(ThreadParticipant),
  createdAt: Millis
})
export type Thread = typeof Thread.Type

export const ThreadBody = Schema.String.check(
  Schema.isMinLength(MIN_BODY_LENGTH, { message: `a message needs at least ${MIN_BODY_LENGTH} characters` })
)

export const samePerson = (a: ThreadParticipant, b: ThreadParticipant): boolean =>
  a._tag === "Staff" && b._tag === "Staff" ? a.staffId === b.staffId
    : a._tag === "Client" && b._tag === "Client" ? a.clientId === b.clientId
    : false

export const clientCount = (participants: ReadonlyArray<ThreadParticipant>): number =>
  participants.filter((p) => p._tag === "Client").length

/**
 * Group-reply rule (S1): with at most one client everyone may reply to all; with two or more
 * clients nobody may, for the clients' privacy — start a new thread instead.
 */
export const repliesAllowed = (thread: Thread): boolean => clientCount(thread.participants) <= 1

/** Why a thread action is refused; the rules below decide the first seven, the services the rest. */
export const ThreadRefusal = Schema.Literals([
  "NotAParticipant",
  "GroupWithSeveralClients",
  "InactiveClientToProvider",
  "NotTheAuthor",
  "NotTheStarter",
  "ClientsCannotDelete",
  "NeedsExactlyOneClient",
  "NoRecipients",
  "RecipientNotAllowed",
  "InvalidMessage",
  "StaffOnly"
])
export type ThreadRefusal = typeof ThreadRefusal.Type

/** Inactive clients cannot message providers; they may still reach front office / billing (S1). */
export const inactiveClientRefusal = (
  sender: ThreadParticipant,
  recipients: ReadonlyArray<ThreadParticipant>
): ThreadRefusal | undefined =>
  sender._tag === "Client" && !sender.active &&
    recipients.some((r) => !(r._tag === "Staff" && r.role === "front_office"))
    ? "InactiveClientToProvider"
    : undefined

/** May `actor` reply to all in this thread? */
export const replyRefusal = (thread: Thread, actor: ThreadParticipant): ThreadRefusal | undefined => {
  if (!thread.participants.some((p) => samePerson(p, actor))) return "NotAParticipant"
  if (!repliesAllowed(thread)) return "GroupWithSeveralClients"
  return inactiveClientRefusal(actor, thread.participants.filter((p) => !samePerson(p, actor)))
}

/** Staff permanently delete a message they sent (S1); clients cannot delete. */
export const deleteMessageRefusal = (actor: ThreadParticipant, author: ThreadParticipant): ThreadRefusal | undefined =>
  actor._tag !== "Staff" ? "ClientsCannotDelete" : samePerson(actor, author) ? undefined : "NotTheAuthor"

/** Staff delete a whole thread only if they started it (S1). */
export const deleteThreadRefusal = (actor: ThreadParticipant, thread: Thread): ThreadRefusal | undefined =>
  actor._tag !== "Staff" ? "ClientsCannotDelete" : samePerson(actor, thread.startedBy) ? undefined : "NotTheStarter"

/** A quick note to the chart needs exactly one client in the thread (any number of staff). */
export const quickNoteRefusal = (thread: Thread): ThreadRefusal | undefined =>
  clientCount(thread.participants) === 1 ? undefined : "NeedsExactlyOneClient"

/**
 * Who takes part in a stored thread: a reference only. Role and active are looked up in the
 * `Directory` at each action, so a client made active again can message providers again.
 */
export const ParticipantRef = Schema.Union([
  Schema.TaggedStruct("Staff", { staffId: StaffId }),
  Schema.TaggedStruct("Client", { clientId: ClientId })
])
export type ParticipantRef = typeof ParticipantRef.Type

export const sameRef = (a: ParticipantRef, b: ParticipantRef): boolean =>
  a._tag === "Staff" && b._tag === "Staff" ? a.staffId === b.staffId
    : a._tag === "Client" && b._tag === "Client" ? a.clientId === b.clientId
    : false

/** A string naming the participant (`staff:<id>` / `client:<id>`), for keys and storage. */
export const refKey = (ref: ParticipantRef): string => (ref._tag === "Staff" ? `staff:${ref.staffId}` : `client:${ref.clientId}`)

export const refOf = (participant: ThreadParticipant): ParticipantRef =>
  participant._tag === "Staff"
    ? { _tag: "Staff", staffId: participant.staffId }
    : { _tag: "Client", clientId: participant.clientId }

/** The refs without repeats, first occurrence kept. */
export const distinctRefs = (refs: ReadonlyArray<ParticipantRef>): ReadonlyArray<ParticipantRef> => {
  const seen = new Set<string>()
  return refs.filter((ref) => {
    const key = refKey(ref)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
