import { Schema } from "effect"
import { DraftId, Millis, OrganisationId, ThreadId, ThreadMessageId } from "./Ids.js"
import { StoredFile } from "./StoredFile.js"
import { ParticipantRef } from "./Thread.js"

/**
 * A portal secure-message thread as stored (S1): its subject, who started it and who takes part
 * (references only: roles and active flags are looked up at each action), and when it last changed.
 */
export const ThreadRecord = Schema.Struct({
  id: ThreadId,
  organisationId: OrganisationId,
  subject: Schema.String.check(Schema.isMinLength(1)),
  startedBy: ParticipantRef,
  participants: Schema.Array(ParticipantRef),
  createdAt: Millis,
  /** The time of the newest message: folders list the newest activity first. */
  lastActivityAt: Millis
})
export type ThreadRecord = typeof ThreadRecord.Type

/** One message of a thread, with its attachments; `chartedAt` once it went to the clinical record. */
export const ThreadMessage = Schema.Struct({
  id: ThreadMessageId,
  threadId: ThreadId,
  author: ParticipantRef,
  body: Schema.String,
  at: Millis,
  attachments: Schema.Array(StoredFile),
  chartedAt: Schema.optional(Millis)
})
export type ThreadMessage = typeof ThreadMessage.Type

/** What one participant has done with a thread: read it or not, archived it or not. */
export const ThreadState = Schema.Struct({
  threadId: ThreadId,
  participant: ParticipantRef,
  unread: Schema.Boolean,
  archived: Schema.Boolean
})
export type ThreadState = typeof ThreadState.Type

/** A message not sent yet, its author's alone: a new thread, or (with `replyTo`) a reply. */
export const ThreadDraft = Schema.Struct({
  id: DraftId,
  organisationId: OrganisationId,
  author: ParticipantRef,
  recipients: Schema.Array(ParticipantRef),
  subject: Schema.String,
  body: Schema.String,
  replyTo: Schema.optional(ThreadId),
  updatedAt: Millis
})
export type ThreadDraft = typeof ThreadDraft.Type

/** A thread as one participant's folders see it. */
export interface ThreadListing {
  readonly thread: ThreadRecord
  readonly state: ThreadState
  /** The participant wrote at least one of its messages. */
  readonly sent: boolean
  /** Someone else wrote at least one of its messages. */
  readonly received: boolean
}

/** Newest activity first, then by id: the order of every folder. */
export const compareByActivity = (a: ThreadRecord, b: ThreadRecord): number =>
  b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Oldest first, then by id: the order of a thread's messages. */
export const compareMessages = (a: ThreadMessage, b: ThreadMessage): number =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Newest first, then by id: the order of the drafts folder. */
export const compareDrafts = (a: ThreadDraft, b: ThreadDraft): number =>
  b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
