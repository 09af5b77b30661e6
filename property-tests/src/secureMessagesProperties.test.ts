import {
  composeThread,
  deleteThread,
  deleteThreadMessage,
  openThread,
  type ParticipantRef,
  PortalThreads,
  quickNoteText,
  replyToThread,
  sameRef,
  type Thread,
  type ThreadParticipant
} from "@careline/core"
import { Effect, Exit, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { clients, initialRoles, org, staff } from "./Scenario.js"
import { clientActor, makeThreadWorld, setClientActive, staffActor } from "./secureMessages/ThreadWorld.js"
import {
  expectedDeleteMessageRefusal,
  expectedDeleteThreadRefusal,
  expectedQuickNoteRefusal,
  expectedReplyRefusal
} from "./threadRules/ThreadTable.js"
import { numRuns } from "./World.js"

/** Staff of the organisation who reach every client (so any client may be a recipient), and everyone who could act. */
const starters = [staff.coord, staff.sup, staff.admin, staff.front] as const
const orgStaff = [staff.spec1, staff.spec2, staff.coord, staff.sup, staff.admin, staff.front] as const
const everyone: ReadonlyArray<ParticipantRef> = [
  ...orgStaff.map((staffId) => ({ _tag: "Staff", staffId }) as const),
  { _tag: "Staff", staffId: staff.outsider },
  ...clients.map((clientId) => ({ _tag: "Client", clientId }) as const)
]

const outcome = (exit: Exit.Exit<unknown, { readonly _tag: string; readonly reason?: string }>) =>
  Exit.isSuccess(exit) ? "ok" : Option.match(Exit.findErrorOption(exit), { onNone: () => "defect", onSome: (e) => (e._tag === "ThreadRefused" ? e.reason! : e._tag) })

const arbCase = fc.record({
  starter: fc.constantFrom(...starters),
  staffRecipients: fc.subarray([...orgStaff]),
  clientRecipients: fc.subarray([...clients]),
  inactive: fc.subarray([...clients]),
  body: fc.string({ minLength: 10, maxLength: 40 }).filter((s) => s.trim().length >= 10 && !s.includes("\u0000"))
})

describe("secure messages through the services (properties)", () => {
  it("property: replies follow the group-reply and inactive-client tables; delete, quick note and access follow theirs; a non-participant always gets NotFound", async () => {
    const replies = new Set<string>()
    await fc.assert(
      fc.asyncProperty(arbCase, async (c) => {
        const recipients: Array<ParticipantRef> = [
          ...c.staffRecipients.filter((s) => s !== c.starter).map((staffId) => ({ _tag: "Staff", staffId }) as const),
          ...c.clientRecipients.map((clientId) => ({ _tag: "Client", clientId }) as const)
        ]
        fc.pre(recipients.length > 0)
        const world = await makeThreadWorld()
        try {
          const starter = await world.run(staffActor(c.starter))
          const threadId = await world.run(composeThread(starter, { recipients, subject: "Property", body: c.body, attachments: [] }))
          for (const clientId of c.inactive) await world.run(setClientActive(clientId, false))
          const participants: Array<ParticipantRef> = [{ _tag: "Staff", staffId: c.starter }, ...recipients]
          const asRule = (ref: ParticipantRef): ThreadParticipant =>
            ref._tag === "Staff" ? { ...ref, role: initialRoles[ref.staffId]! } : { ...ref, active: !c.inactive.includes(ref.clientId) }
          const thread: Thread = { id: threadId, organisationId: org, subject: "Property", startedBy: asRule(participants[0]!), participants: participants.map(asRule), createdAt: 0 }
          const [first] = await world.run(PortalThreads.use((t) => t.messagesOf(threadId)))
          // The starter acts last: once they delete the first message, it is gone for everyone.
          const inTurn = [...everyone.filter((p) => !sameRef(p, participants[0]!)), participants[0]!]
          for (const person of inTurn) {
            const actor = await world.run(person._tag === "Staff" ? staffActor(person.staffId) : clientActor(person.clientId))
            const isParticipant = participants.some((p) => sameRef(p, person))
            const open = outcome(await world.exit(openThread(actor, threadId)))
            const reply = outcome(await world.exit(replyToThread(actor, threadId, { body: "A reply of enough length.", attachments: [] }).pipe(Effect.as(undefined))))
            replies.add(reply)
            const note = outcome(await world.exit(quickNoteText(actor, threadId)))
            const removeMessage = outcome(await world.exit(deleteThreadMessage(actor, threadId, first!.id).pipe(Effect.flip, Effect.flip)))
            if (!isParticipant) {
              expect([open, reply, note, removeMessage]).toEqual(["NotFound", "NotFound", "NotFound", "NotFound"])
              continue
            }
            expect(open).toBe("ok")
            expect(reply).toBe(expectedReplyRefusal(thread, asRule(person)) ?? "ok")
            expect(note).toBe(person._tag === "Client" ? "StaffOnly" : (expectedQuickNoteRefusal(thread) ?? "ok"))
            const expectedDelete = expectedDeleteMessageRefusal(asRule(person), thread.startedBy)
            if (expectedDelete === undefined) {
              expect(removeMessage).toBe("ok")
              expect((await world.run(PortalThreads.use((t) => t.messagesOf(threadId)))).some((m) => m.id === first!.id)).toBe(false)
            } else {
              expect(removeMessage).toBe(expectedDelete)
            }
          }
          for (const person of everyone) {
            if (!participants.some((p) => sameRef(p, person)) || sameRef(person, participants[0]!)) continue
            const actor = await world.run(person._tag === "Staff" ? staffActor(person.staffId) : clientActor(person.clientId))
            expect(outcome(await world.exit(deleteThread(actor, threadId)))).toBe(expectedDeleteThreadRefusal(asRule(person), thread))
          }
          expect(outcome(await world.exit(deleteThread(starter, threadId)))).toBe("ok")
          expect(await world.run(PortalThreads.use((t) => t.getThread(threadId)))).toEqual(Option.none())
          expect(await world.run(PortalThreads.use((t) => t.messagesOf(threadId)))).toEqual([])
        } finally {
          await world.dispose()
        }
      }),
      { numRuns: Math.min(numRuns(), 40) }
    )
    // The generator reached every row of the reply table.
    expect([...replies].sort()).toEqual(["GroupWithSeveralClients", "InactiveClientToProvider", "NotFound", "ok"])
  })
})
