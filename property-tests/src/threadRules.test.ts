import {
  deleteMessageRefusal,
  deleteThreadRefusal,
  inactiveClientRefusal,
  quickNoteRefusal,
  repliesAllowed,
  replyRefusal
} from "@careline/core"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { arbParticipants, arbPerson, arbPick, arbThread, someoneOf } from "./threadRules/ThreadArbitrary.js"
import {
  expectedDeleteMessageRefusal,
  expectedDeleteThreadRefusal,
  expectedInactiveRefusal,
  expectedQuickNoteRefusal,
  expectedReplyRefusal,
  expectedRepliesAllowed
} from "./threadRules/ThreadTable.js"
import { numRuns } from "./World.js"

/** Every answer a property saw, so each suite can insist its generator reached every row of its table. */
const seen = () => new Set<string>()
const show = (answer: string | boolean | undefined) => String(answer ?? "allowed")

describe("portal thread rules (truth tables)", () => {
  it("6a: the group-reply rule and who may reply to all", () => {
    const rows = seen()
    fc.assert(
      fc.property(arbThread, arbPick, (thread, pick) => {
        const actor = someoneOf(thread.participants, pick)
        expect(repliesAllowed(thread)).toBe(expectedRepliesAllowed(thread))
        const expected = expectedReplyRefusal(thread, actor)
        expect(replyRefusal(thread, actor)).toBe(expected)
        rows.add(show(expected))
      }),
      { numRuns: numRuns() }
    )
    if (numRuns() >= 100) {
      expect([...rows].sort()).toEqual(["GroupWithSeveralClients", "InactiveClientToProvider", "NotAParticipant", "allowed"])
    }
  })

  it("6b: an inactive client may send only when every recipient is front office", () => {
    const rows = seen()
    fc.assert(
      fc.property(arbPerson, arbParticipants, (sender, recipients) => {
        const expected = expectedInactiveRefusal(sender, recipients)
        expect(inactiveClientRefusal(sender, recipients)).toBe(expected)
        rows.add(show(expected))
      }),
      { numRuns: numRuns() }
    )
    if (numRuns() >= 100) expect([...rows].sort()).toEqual(["InactiveClientToProvider", "allowed"])
  })

  it("6c: only staff delete; a message only its author, a thread only its starter", () => {
    const rows = seen()
    fc.assert(
      fc.property(arbThread, arbPick, arbPick, fc.boolean(), (thread, actorPick, authorPick, ownMessage) => {
        const actor = someoneOf(thread.participants, actorPick)
        const author = ownMessage ? actor : someoneOf(thread.participants, authorPick)
        const message = expectedDeleteMessageRefusal(actor, author)
        const whole = expectedDeleteThreadRefusal(actor, thread)
        expect(deleteMessageRefusal(actor, author)).toBe(message)
        expect(deleteThreadRefusal(actor, thread)).toBe(whole)
        rows.add(`message:${show(message)}`).add(`thread:${show(whole)}`)
      }),
      { numRuns: numRuns() }
    )
    if (numRuns() >= 100) {
      expect([...rows].sort()).toEqual([
        "message:ClientsCannotDelete", "message:NotTheAuthor", "message:allowed",
        "thread:ClientsCannotDelete", "thread:NotTheStarter", "thread:allowed"
      ])
    }
  })

  it("6d: a quick note to the chart needs exactly one client", () => {
    const rows = seen()
    fc.assert(
      fc.property(arbThread, (thread) => {
        const expected = expectedQuickNoteRefusal(thread)
        expect(quickNoteRefusal(thread)).toBe(expected)
        rows.add(show(expected))
      }),
      { numRuns: numRuns() }
    )
    if (numRuns() >= 100) expect([...rows].sort()).toEqual(["NeedsExactlyOneClient", "allowed"])
  })
})
