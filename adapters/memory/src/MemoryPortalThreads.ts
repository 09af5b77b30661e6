import {
  compareByActivity,
  compareDrafts,
  compareMessages,
  type DraftId,
  type ParticipantRef,
  PortalThreads,
  refKey,
  sameRef,
  type ThreadDraft,
  type ThreadId,
  type ThreadMessage,
  type ThreadRecord,
  type ThreadState
} from "@careline/core"
import { Effect, Option, Ref } from "effect"

interface State {
  readonly threads: ReadonlyMap<string, ThreadRecord>
  readonly messages: ReadonlyMap<string, ThreadMessage>
  /** Keyed by {@link stateKey}. */
  readonly states: ReadonlyMap<string, ThreadState>
  readonly drafts: ReadonlyMap<string, ThreadDraft>
}

const empty: State = { threads: new Map(), messages: new Map(), states: new Map(), drafts: new Map() }

const stateKey = (threadId: ThreadId, participant: ParticipantRef) => `${threadId}\u0000${refKey(participant)}`

/** Each participant's state after `author` wrote in the thread: theirs read, everyone else's unread and out of the archive. */
const statesAfterMessage = (states: Map<string, ThreadState>, thread: ThreadRecord, author: ParticipantRef) => {
  for (const participant of thread.participants) {
    const key = stateKey(thread.id, participant)
    const before = states.get(key)
    const mine = sameRef(participant, author)
    states.set(key, { threadId: thread.id, participant, unread: !mine, archived: mine ? (before?.archived ?? false) : false })
  }
}

const copyMessage = (message: ThreadMessage): ThreadMessage => ({ ...message, attachments: [...message.attachments] })

/** `PortalThreads` in memory over its own state; each build starts empty. */
export const makePortalThreads = Effect.map(Ref.make<State>(empty), (ref) => {
  const read = <A>(f: (state: State) => A) => Effect.map(Ref.get(ref), f)
  const messagesIn = (state: State, threadId: ThreadId) => [...state.messages.values()].filter((m) => m.threadId === threadId)
  return PortalThreads.of({
    startThread: (thread, first) =>
      Ref.update(ref, (s) => {
        const states = new Map(s.states)
        statesAfterMessage(states, thread, first.author)
        return {
          ...s,
          threads: new Map(s.threads).set(thread.id, { ...thread, participants: [...thread.participants] }),
          messages: new Map(s.messages).set(first.id, copyMessage(first)),
          states
        }
      }),
    addMessage: (message) =>
      Ref.update(ref, (s) => {
        const thread = s.threads.get(message.threadId)
        if (thread === undefined) return s
        const states = new Map(s.states)
        statesAfterMessage(states, thread, message.author)
        return {
          ...s,
          threads: new Map(s.threads).set(thread.id, { ...thread, lastActivityAt: Math.max(thread.lastActivityAt, message.at) }),
          messages: new Map(s.messages).set(message.id, copyMessage(message)),
          states
        }
      }),
    getThread: (id) => read((s) => Option.fromUndefinedOr(s.threads.get(id))),
    messagesOf: (threadId) => read((s) => messagesIn(s, threadId).sort(compareMessages)),
    stateOf: (threadId, participant) => read((s) => Option.fromUndefinedOr(s.states.get(stateKey(threadId, participant)))),
    threadsOf: (participant) =>
      read((s) =>
        [...s.threads.values()].sort(compareByActivity).flatMap((thread) => {
          const state = s.states.get(stateKey(thread.id, participant))
          if (state === undefined) return []
          const authors = messagesIn(s, thread.id).map((m) => m.author)
          return [{
            thread,
            state,
            sent: authors.some((a) => sameRef(a, participant)),
            received: authors.some((a) => !sameRef(a, participant))
          }]
        })),
    updateStates: (threadIds, participant, change) =>
      Ref.update(ref, (s) => {
        const states = new Map(s.states)
        for (const threadId of threadIds) {
          const key = stateKey(threadId, participant)
          const before = states.get(key)
          if (before !== undefined) states.set(key, { ...before, ...change })
        }
        return { ...s, states }
      }),
    markCharted: (messageIds, at) =>
      Ref.update(ref, (s) => {
        const messages = new Map(s.messages)
        for (const id of messageIds) {
          const message = messages.get(id)
          if (message !== undefined && message.chartedAt === undefined) messages.set(id, { ...message, chartedAt: at })
        }
        return { ...s, messages }
      }),
    deleteMessage: (id) =>
      Ref.modify(ref, (s) => {
        const message = s.messages.get(id)
        if (message === undefined) return [Option.none(), s]
        const messages = new Map(s.messages)
        messages.delete(id)
        return [Option.some(message), { ...s, messages }]
      }),
    deleteThread: (id) =>
      Ref.modify(ref, (s) => {
        const removed = messagesIn(s, id).sort(compareMessages)
        const threads = new Map(s.threads)
        threads.delete(id)
        const messages = new Map([...s.messages].filter(([, m]) => m.threadId !== id))
        const states = new Map([...s.states].filter(([, state]) => state.threadId !== id))
        const drafts = new Map([...s.drafts].filter(([, d]) => d.replyTo !== id))
        return [removed, { threads, messages, states, drafts }]
      }),
    saveDraft: (draft) => Ref.update(ref, (s) => ({ ...s, drafts: new Map(s.drafts).set(draft.id, { ...draft, recipients: [...draft.recipients] }) })),
    getDraft: (id: DraftId) => read((s) => Option.fromUndefinedOr(s.drafts.get(id))),
    draftsOf: (author) => read((s) => [...s.drafts.values()].filter((d) => sameRef(d.author, author)).sort(compareDrafts)),
    deleteDraft: (id) =>
      Ref.modify(ref, (s) => {
        if (!s.drafts.has(id)) return [false, s]
        const drafts = new Map(s.drafts)
        drafts.delete(id)
        return [true, { ...s, drafts }]
      })
  })
})
