import {
  BlobId,
  compareByActivity,
  type Directory,
  DraftId,
  type ParticipantRef,
  PortalThreads,
  sameRef,
  type StoredFile,
  type ThreadDraft,
  ThreadId,
  type ThreadMessage,
  ThreadMessageId,
  type ThreadRecord
} from "@careline/core"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parentIdPools, T0 } from "./fixtures.js"
import { pooledDirectory, seedDirectory } from "./ParentRecords.js"
import { runWith } from "./runEffect.js"

const [org1] = parentIdPools.organisations
const staffRef = (i: number): ParticipantRef => ({ _tag: "Staff", staffId: parentIdPools.staff[i]! })
const clientRef = (i: number): ParticipantRef => ({ _tag: "Client", clientId: parentIdPools.clients[i]! })
const [s1, s2, s3] = [staffRef(0), staffRef(1), staffRef(2)]
const [c1, c2] = [clientRef(0), clientRef(1)]

const file = (n: number): StoredFile => ({
  blobId: BlobId.make(`blob_${String(n).padStart(6, "0")}`),
  name: `scan ${n}.pdf`,
  contentType: "application/pdf",
  size: 1000 + n,
  sha256: String(n % 10).repeat(64)
})

const threadOf = (n: number, overrides: Partial<ThreadRecord> = {}): ThreadRecord => ({
  id: ThreadId.make(`thr_${n}`),
  organisationId: org1!,
  subject: `Subject ${n}`,
  startedBy: s1,
  participants: [s1, c1, s2],
  createdAt: T0 + n,
  lastActivityAt: T0 + n,
  ...overrides
})

const messageOf = (thread: ThreadRecord, n: number, overrides: Partial<ThreadMessage> = {}): ThreadMessage => ({
  id: ThreadMessageId.make(`${thread.id}_m${n}`),
  threadId: thread.id,
  author: thread.startedBy,
  body: `Body ${n} of ${thread.id}, more than ten characters`,
  at: thread.lastActivityAt + n,
  attachments: [],
  ...overrides
})

const draftOf = (n: number, overrides: Partial<ThreadDraft> = {}): ThreadDraft => ({
  id: DraftId.make(`drf_${n}`),
  organisationId: org1!,
  author: s1,
  recipients: [c1, s2],
  subject: `Draft ${n}`,
  body: "Not finished",
  updatedAt: T0 + n,
  ...overrides
})

/**
 * The behaviour every `PortalThreads` adapter must show, after storing the organisations, staff and
 * clients the threads refer to through the layer's `Directory`.
 *
 * @example
 * ```ts
 * portalThreadsSuite("memory", MemoryStores.layer)
 * ```
 */
export const portalThreadsSuite = (name: string, layer: Layer.Layer<PortalThreads | Directory, unknown>) =>
  describe(`PortalThreads (${name})`, () => {
    const run = runWith(layer)
    const seed = seedDirectory(pooledDirectory)

    it("gives back a thread and its first message as stored; the author has read it, the others not", () =>
      run(Effect.gen(function* () {
        const threads = yield* PortalThreads
        yield* seed
        const thread = threadOf(1)
        const first = messageOf(thread, 0, { attachments: [file(1), file(2)] })
        yield* threads.startThread(thread, first)
        expect(yield* threads.getThread(thread.id)).toEqual(Option.some(thread))
        expect(yield* threads.getThread(ThreadId.make("thr_none"))).toEqual(Option.none())
        expect(yield* threads.messagesOf(thread.id)).toEqual([first])
        expect(yield* threads.stateOf(thread.id, s1)).toEqual(Option.some({ threadId: thread.id, participant: s1, unread: false, archived: false }))
        expect(yield* threads.stateOf(thread.id, c1)).toEqual(Option.some({ threadId: thread.id, participant: c1, unread: true, archived: false }))
        expect(yield* threads.stateOf(thread.id, s3)).toEqual(Option.none())
        expect((yield* threads.threadsOf(s1)).map((l) => [l.thread.id, l.sent, l.received])).toEqual([[thread.id, true, false]])
        expect((yield* threads.threadsOf(c1)).map((l) => [l.thread.id, l.sent, l.received, l.state.unread])).toEqual([[thread.id, false, true, true]])
        expect(yield* threads.threadsOf(s3)).toEqual([])
      })))

    it("a message moves the thread's activity, is read by its author and unread (and unarchived) for the others", () =>
      run(Effect.gen(function* () {
        const threads = yield* PortalThreads
        yield* seed
        const thread = threadOf(1)
        yield* threads.startThread(thread, messageOf(thread, 0))
        yield* threads.updateStates([thread.id], c1, { unread: false })
        yield* threads.updateStates([thread.id], s2, { archived: true, unread: false })
        yield* threads.updateStates([thread.id], s1, { archived: true })
        const reply = messageOf(thread, 5, { author: c1, at: T0 + 100, attachments: [file(3)] })
        yield* threads.addMessage(reply)
        expect(yield* threads.getThread(thread.id)).toEqual(Option.some({ ...thread, lastActivityAt: T0 + 100 }))
        expect(Option.getOrThrow(yield* threads.stateOf(thread.id, c1))).toMatchObject({ unread: false, archived: false })
        expect(Option.getOrThrow(yield* threads.stateOf(thread.id, s2))).toMatchObject({ unread: true, archived: false })
        expect(Option.getOrThrow(yield* threads.stateOf(thread.id, s1))).toMatchObject({ unread: true, archived: false })
        expect((yield* threads.messagesOf(thread.id)).map((m) => m.id)).toEqual([`${thread.id}_m0`, `${thread.id}_m5`])
        expect((yield* threads.threadsOf(c1))[0]).toMatchObject({ sent: true, received: true })
      })))

    it("an author's own archived thread stays archived when they write in it", () =>
      run(Effect.gen(function* () {
        const threads = yield* PortalThreads
        yield* seed
        const thread = threadOf(1)
        yield* threads.startThread(thread, messageOf(thread, 0))
        yield* threads.updateStates([thread.id], s1, { archived: true })
        yield* threads.addMessage(messageOf(thread, 1))
        expect(Option.getOrThrow(yield* threads.stateOf(thread.id, s1))).toMatchObject({ unread: false, archived: true })
      })))

    it("lists a participant's threads newest activity first; updateStates leaves other people's threads alone", () =>
      run(Effect.gen(function* () {
        const threads = yield* PortalThreads
        yield* seed
        const a = threadOf(1, { lastActivityAt: T0 + 50 })
        const b = threadOf(2, { participants: [s1, c2], lastActivityAt: T0 + 10 })
        const c = threadOf(3, { startedBy: s2, participants: [s2, c2], lastActivityAt: T0 + 90 })
        for (const t of [a, b, c]) yield* threads.startThread(t, messageOf(t, 0, { at: t.lastActivityAt, author: t.startedBy }))
        expect((yield* threads.threadsOf(s1)).map((l) => l.thread.id)).toEqual([a.id, b.id])
        expect((yield* threads.threadsOf(c2)).map((l) => l.thread.id)).toEqual([c.id, b.id])
        yield* threads.updateStates([a.id, b.id, c.id], s1, { unread: true, archived: true })
        expect((yield* threads.threadsOf(s1)).map((l) => [l.state.unread, l.state.archived])).toEqual([[true, true], [true, true]])
        expect(Option.getOrThrow(yield* threads.stateOf(c.id, s2))).toMatchObject({ unread: false, archived: false })
        expect(yield* threads.stateOf(c.id, s1)).toEqual(Option.none())
      })))

    it("marks messages charted once (a second mark keeps the first time)", () =>
      run(Effect.gen(function* () {
        const threads = yield* PortalThreads
        yield* seed
        const thread = threadOf(1)
        const [m0, m1] = [messageOf(thread, 0), messageOf(thread, 1, { author: c1 })]
        yield* threads.startThread(thread, m0)
        yield* threads.addMessage(m1)
        yield* threads.markCharted([m0.id], T0 + 500)
        yield* threads.markCharted([m0.id, m1.id], T0 + 900)
        expect((yield* threads.messagesOf(thread.id)).map((m) => m.chartedAt)).toEqual([T0 + 500, T0 + 900])
      })))

    it("deletes one message for good and gives it back; the thread and the other messages stay", () =>
      run(Effect.gen(function* () {
        const threads = yield* PortalThreads
        yield* seed
        const thread = threadOf(1)
        const [m0, m1] = [messageOf(thread, 0, { attachments: [file(1)] }), messageOf(thread, 1, { author: c1 })]
        yield* threads.startThread(thread, m0)
        yield* threads.addMessage(m1)
        expect(yield* threads.deleteMessage(m0.id)).toEqual(Option.some(m0))
        expect(yield* threads.deleteMessage(m0.id)).toEqual(Option.none())
        expect(yield* threads.messagesOf(thread.id)).toEqual([m1])
        expect((yield* threads.threadsOf(s1))[0]).toMatchObject({ sent: false, received: true })
      })))

    it("deletes a whole thread: messages, every state and the drafts replying to it; other drafts stay", () =>
      run(Effect.gen(function* () {
        const threads = yield* PortalThreads
        yield* seed
        const thread = threadOf(1)
        const other = threadOf(2)
        const [m0, m1] = [messageOf(thread, 0, { attachments: [file(1)] }), messageOf(thread, 1, { author: c1, attachments: [file(2)] })]
        yield* threads.startThread(thread, m0)
        yield* threads.addMessage(m1)
        yield* threads.startThread(other, messageOf(other, 0))
        yield* threads.saveDraft(draftOf(1, { replyTo: thread.id }))
        yield* threads.saveDraft(draftOf(2, { author: c1, recipients: [], replyTo: thread.id }))
        yield* threads.saveDraft(draftOf(3, { replyTo: other.id }))
        yield* threads.saveDraft(draftOf(4))
        expect(yield* threads.deleteThread(thread.id)).toEqual([m0, m1])
        expect(yield* threads.deleteThread(thread.id)).toEqual([])
        expect(yield* threads.getThread(thread.id)).toEqual(Option.none())
        expect(yield* threads.messagesOf(thread.id)).toEqual([])
        for (const p of [s1, s2, c1]) expect(yield* threads.stateOf(thread.id, p)).toEqual(Option.none())
        expect((yield* threads.threadsOf(s1)).map((l) => l.thread.id)).toEqual([other.id])
        expect((yield* threads.draftsOf(s1)).map((d) => d.id)).toEqual(["drf_4", "drf_3"])
        expect(yield* threads.draftsOf(c1)).toEqual([])
      })))

    it("stores drafts by id, lists an author's newest first, and removes them", () =>
      run(Effect.gen(function* () {
        const threads = yield* PortalThreads
        yield* seed
        const thread = threadOf(1)
        yield* threads.startThread(thread, messageOf(thread, 0))
        const first = draftOf(1, { subject: "", body: "", recipients: [] })
        yield* threads.saveDraft(first)
        yield* threads.saveDraft(draftOf(2, { replyTo: thread.id }))
        yield* threads.saveDraft(draftOf(3, { author: c1, recipients: [s1] }))
        expect(yield* threads.getDraft(first.id)).toEqual(Option.some(first))
        const edited = draftOf(1, { subject: "Now", body: "Written <b>", recipients: [c2, s3], updatedAt: T0 + 10 })
        yield* threads.saveDraft(edited)
        expect(yield* threads.getDraft(first.id)).toEqual(Option.some(edited))
        expect((yield* threads.draftsOf(s1)).map((d) => d.id)).toEqual(["drf_1", "drf_2"])
        expect(yield* threads.draftsOf(c1)).toEqual([draftOf(3, { author: c1, recipients: [s1] })])
        expect(yield* threads.deleteDraft(first.id)).toBe(true)
        expect(yield* threads.deleteDraft(first.id)).toBe(false)
        expect(yield* threads.getDraft(first.id)).toEqual(Option.none())
      })))

    it("property: after any starts, replies, state changes and deletes, the store answers like its model", () => {
      const people = [s1, s2, s3, c1, c2]
      type Command =
        | { readonly _tag: "Start"; readonly n: number; readonly starter: number; readonly others: ReadonlyArray<number> }
        | { readonly _tag: "Reply"; readonly n: number; readonly author: number }
        | { readonly _tag: "State"; readonly n: number; readonly who: number; readonly unread: boolean; readonly archived: boolean }
        | { readonly _tag: "DeleteMessage"; readonly n: number; readonly index: number }
        | { readonly _tag: "DeleteThread"; readonly n: number }
      const arbCommand: fc.Arbitrary<Command> = fc.oneof(
        fc.record({ _tag: fc.constant("Start" as const), n: fc.integer({ min: 1, max: 4 }), starter: fc.integer({ min: 0, max: 2 }), others: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }) }),
        fc.record({ _tag: fc.constant("Reply" as const), n: fc.integer({ min: 1, max: 4 }), author: fc.integer({ min: 0, max: 4 }) }),
        fc.record({ _tag: fc.constant("State" as const), n: fc.integer({ min: 1, max: 4 }), who: fc.integer({ min: 0, max: 4 }), unread: fc.boolean(), archived: fc.boolean() }),
        fc.record({ _tag: fc.constant("DeleteMessage" as const), n: fc.integer({ min: 1, max: 4 }), index: fc.nat(5) }),
        fc.record({ _tag: fc.constant("DeleteThread" as const), n: fc.integer({ min: 1, max: 4 }) })
      )
      return fc.assert(
        fc.asyncProperty(fc.array(arbCommand, { maxLength: 20 }), (commands) =>
          run(Effect.gen(function* () {
            const threads = yield* PortalThreads
            yield* seed
            const model = new Map<string, { thread: ThreadRecord; messages: Array<ThreadMessage>; states: Map<number, { unread: boolean; archived: boolean }> }>()
            let clock = T0
            let counter = 0
            for (const command of commands) {
              clock += 1
              const id = ThreadId.make(`thr_${command.n}`)
              const entry = model.get(id)
              if (command._tag === "Start") {
                if (entry !== undefined) continue
                const starter = people[command.starter]!
                const participants = [starter, ...command.others.map((i) => people[i]!).filter((p) => !sameRef(p, starter))]
                const thread = threadOf(command.n, { startedBy: starter, participants, createdAt: clock, lastActivityAt: clock })
                const first = messageOf(thread, counter++, { author: starter, at: clock })
                yield* threads.startThread(thread, first)
                const states = new Map(participants.map((p) => [people.findIndex((q) => sameRef(p, q)), { unread: !sameRef(p, starter), archived: false }]))
                model.set(id, { thread, messages: [first], states })
              } else if (command._tag === "Reply") {
                const author = people[command.author]!
                if (entry === undefined || !entry.thread.participants.some((p) => sameRef(p, author))) continue
                const message = messageOf(entry.thread, counter++, { author, at: clock })
                yield* threads.addMessage(message)
                entry.messages.push(message)
                entry.thread = { ...entry.thread, lastActivityAt: clock }
                for (const [who, state] of entry.states) {
                  entry.states.set(who, who === command.author ? { unread: false, archived: state.archived } : { unread: true, archived: false })
                }
              } else if (command._tag === "State") {
                yield* threads.updateStates([id], people[command.who]!, { unread: command.unread, archived: command.archived })
                if (entry?.states.has(command.who)) entry.states.set(command.who, { unread: command.unread, archived: command.archived })
              } else if (command._tag === "DeleteMessage") {
                const message = entry?.messages[command.index]
                if (entry === undefined || message === undefined) continue
                expect(yield* threads.deleteMessage(message.id)).toEqual(Option.some(message))
                entry.messages.splice(command.index, 1)
              } else {
                expect(yield* threads.deleteThread(id)).toEqual(entry?.messages ?? [])
                model.delete(id)
              }
            }
            for (let n = 1; n <= 4; n++) {
              const id = ThreadId.make(`thr_${n}`)
              const entry = model.get(id)
              expect(yield* threads.getThread(id)).toEqual(Option.fromUndefinedOr(entry?.thread))
              expect(yield* threads.messagesOf(id)).toEqual(entry?.messages ?? [])
            }
            for (const [i, person] of people.entries()) {
              const expected = [...model.values()]
                .filter((e) => e.states.has(i))
                .map((e) => e.thread)
                .sort(compareByActivity)
                .map((t) => {
                  const e = model.get(t.id)!
                  return {
                    thread: t,
                    state: { threadId: t.id, participant: person, ...e.states.get(i)! },
                    sent: e.messages.some((m) => sameRef(m.author, person)),
                    received: e.messages.some((m) => !sameRef(m.author, person))
                  }
                })
              expect(yield* threads.threadsOf(person)).toEqual(expected)
            }
          }))
        ),
        { numRuns: 25 }
      )
    })
  })
