import { Context, type Effect, type Option } from "effect"
import type { DraftId, ThreadId, ThreadMessageId } from "../Ids.js"
import type { ThreadDraft, ThreadListing, ThreadMessage, ThreadRecord, ThreadState } from "../PortalThread.js"
import type { ParticipantRef } from "../Thread.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/**
 * Portal secure-message threads (S1): threads, their messages, each participant's state (unread,
 * archived) and drafts. Deletes are hard: what is removed is gone from the store. The rules (who may
 * reply, delete, see) are the application's: the store keeps what it is given.
 *
 * @example
 * ```ts
 * yield* PortalThreads.use((t) => t.startThread(thread, firstMessage))
 * const inbox = yield* PortalThreads.use((t) => t.threadsOf({ _tag: "Client", clientId })) // newest first
 * ```
 */
export class PortalThreads extends Context.Service<PortalThreads, {
  /**
   * Stores a new thread with its first message: the author's state is read, every other
   * participant's unread; nobody's archived.
   */
  readonly startThread: (thread: ThreadRecord, first: ThreadMessage) => Io<void>
  /**
   * Adds a message to its thread: the thread's activity moves to the message's time, the author has
   * read it, every other participant has it unread and back out of their archive.
   */
  readonly addMessage: (message: ThreadMessage) => Io<void>
  readonly getThread: (id: ThreadId) => Io<Option.Option<ThreadRecord>>
  /** The thread's messages, oldest first (then by id). */
  readonly messagesOf: (threadId: ThreadId) => Io<ReadonlyArray<ThreadMessage>>
  readonly stateOf: (threadId: ThreadId, participant: ParticipantRef) => Io<Option.Option<ThreadState>>
  /** Every thread the participant has a state in, newest activity first (then by id). */
  readonly threadsOf: (participant: ParticipantRef) => Io<ReadonlyArray<ThreadListing>>
  /** Sets the flags given on the participant's states of these threads; threads they have no state in are left alone. */
  readonly updateStates: (
    threadIds: ReadonlyArray<ThreadId>,
    participant: ParticipantRef,
    change: { readonly unread?: boolean; readonly archived?: boolean }
  ) => Io<void>
  /** Marks these messages as sent to the clinical record at `at` (a message already marked keeps its time). */
  readonly markCharted: (messageIds: ReadonlyArray<ThreadMessageId>, at: number) => Io<void>
  /** Removes one message for good; the message removed, or none. */
  readonly deleteMessage: (id: ThreadMessageId) => Io<Option.Option<ThreadMessage>>
  /** Removes a thread for good with its messages, states and the drafts replying to it; the messages removed. */
  readonly deleteThread: (id: ThreadId) => Io<ReadonlyArray<ThreadMessage>>
  /** Stores the draft, replacing any stored under its id. */
  readonly saveDraft: (draft: ThreadDraft) => Io<void>
  readonly getDraft: (id: DraftId) => Io<Option.Option<ThreadDraft>>
  /** The author's drafts, newest first (then by id). */
  readonly draftsOf: (author: ParticipantRef) => Io<ReadonlyArray<ThreadDraft>>
  /** Removes the draft; false when there was none. */
  readonly deleteDraft: (id: DraftId) => Io<boolean>
}>()("@careline/core/PortalThreads") {}
