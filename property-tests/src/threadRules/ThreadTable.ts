import type { Thread, ThreadParticipant, ThreadRefusal } from "@careline/core"
import { identity } from "./ThreadArbitrary.js"

/**
 * The portal-thread rules of docs/domain-rules.md ("Portal secure messages" and the "Portal
 * threads" decision), written out as plain tables over counts and kinds — not derived from the
 * implementation. `undefined` means allowed.
 */

const clientsIn = (thread: Thread): number => thread.participants.filter((p) => p._tag === "Client").length

const isMember = (thread: Thread, person: ThreadParticipant): boolean =>
  thread.participants.some((p) => identity(p) === identity(person))

/** Group-reply rule by number of clients: 0 (staff only) and 1 allow replies; 2 or more never do. */
export const expectedRepliesAllowed = (thread: Thread): boolean => {
  const n = clientsIn(thread)
  if (n === 0) return true // decision: a staff-only thread is like a one-client thread
  if (n === 1) return true // one client and any number of staff (including a 1:1)
  return false // two or more clients: privacy, start a new thread instead
}

/** An inactive client may still write when every recipient is front office; anyone else always may. */
export const expectedInactiveRefusal = (
  sender: ThreadParticipant,
  recipients: ReadonlyArray<ThreadParticipant>
): ThreadRefusal | undefined => {
  const inactiveClient = sender._tag === "Client" && sender.active === false
  if (!inactiveClient) return undefined
  const onlyFrontOffice = recipients.every((r) => r._tag === "Staff" && r.role === "front_office")
  return onlyFrontOffice ? undefined : "InactiveClientToProvider"
}

/** Reply to all: members only; then the group-reply rule; then the inactive-client rule towards everyone else. */
export const expectedReplyRefusal = (thread: Thread, actor: ThreadParticipant): ThreadRefusal | undefined => {
  if (!isMember(thread, actor)) return "NotAParticipant"
  if (!expectedRepliesAllowed(thread)) return "GroupWithSeveralClients"
  const others = thread.participants.filter((p) => identity(p) !== identity(actor))
  return expectedInactiveRefusal(actor, others)
}

/** Deleting a message: clients never; staff only their own messages. */
export const expectedDeleteMessageRefusal = (actor: ThreadParticipant, author: ThreadParticipant): ThreadRefusal | undefined => {
  if (actor._tag === "Client") return "ClientsCannotDelete"
  return author._tag === "Staff" && author.staffId === actor.staffId ? undefined : "NotTheAuthor"
}

/** Deleting a thread: clients never; staff only a thread they started. */
export const expectedDeleteThreadRefusal = (actor: ThreadParticipant, thread: Thread): ThreadRefusal | undefined => {
  if (actor._tag === "Client") return "ClientsCannotDelete"
  const starter = thread.startedBy
  return starter._tag === "Staff" && starter.staffId === actor.staffId ? undefined : "NotTheStarter"
}

/** A quick note to the chart: exactly one client, any number of staff. */
export const expectedQuickNoteRefusal = (thread: Thread): ThreadRefusal | undefined =>
  clientsIn(thread) === 1 ? undefined : "NeedsExactlyOneClient"
