import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  applyChannelEvent,
  byNewestActivity,
  type Channel,
  type ChannelEvent,
  type ChannelStatus,
  defaultPreference,
  type InboxFilter,
  matchesFilter,
  newChannel,
  nextStatus
} from "./Channel.js"
import type { ChannelId, ClientId, LineId, OrganisationId } from "./Ids.js"
import type { PhoneNumber } from "./PhoneNumber.js"

const statuses: ReadonlyArray<ChannelStatus> = ["unread", "open", "done"]
const T0 = 1_700_000_000_000

const base = (overrides: Partial<Channel> = {}): Channel => ({
  id: "ch-1" as ChannelId,
  organisationId: "org-1" as OrganisationId,
  lineId: "line-1" as LineId,
  phone: "+15551234567" as PhoneNumber,
  clientId: "client-1" as ClientId,
  status: "done",
  archived: false,
  repliesAllowed: true,
  unreadCount: 0,
  createdAt: T0,
  lastActivityAt: T0,
  ...overrides
})

describe("nextStatus", () => {
  const table: ReadonlyArray<readonly [ChannelEvent, Record<ChannelStatus, ChannelStatus>]> = [
    [{ _tag: "InboundReceived", at: T0 }, { unread: "unread", open: "unread", done: "unread" }],
    [{ _tag: "OutboundSent", at: T0 }, { unread: "open", open: "open", done: "done" }],
    [{ _tag: "Opened" }, { unread: "open", open: "open", done: "done" }],
    [{ _tag: "MarkedOpen" }, { unread: "open", open: "open", done: "open" }],
    [{ _tag: "MarkedDone" }, { unread: "done", open: "done", done: "done" }],
    [{ _tag: "Archived" }, { unread: "unread", open: "open", done: "done" }],
    [{ _tag: "Unarchived" }, { unread: "unread", open: "open", done: "done" }]
  ]
  for (const [event, expected] of table) {
    for (const from of statuses) {
      it(`${event._tag} from ${from} → ${expected[from]}`, () => {
        expect(nextStatus(from, event)).toBe(expected[from])
      })
    }
  }
})

describe("applyChannelEvent", () => {
  describe("InboundReceived", () => {
    it("makes the channel unread from any status, counts the message and un-archives", () => {
      for (const status of statuses) {
        for (const archived of [false, true]) {
          const after = applyChannelEvent(base({ status, archived, unreadCount: 2 }), { _tag: "InboundReceived", at: T0 + 10 })
          expect(after.status).toBe("unread")
          expect(after.archived).toBe(false)
          expect(after.unreadCount).toBe(3)
          expect(after.lastActivityAt).toBe(T0 + 10)
        }
      }
    })

    it("moves lastActivityAt only forward (late delivery of an older message)", () => {
      const after = applyChannelEvent(base({ lastActivityAt: T0 + 1000 }), { _tag: "InboundReceived", at: T0 + 5 })
      expect(after.lastActivityAt).toBe(T0 + 1000)
      expect(after.unreadCount).toBe(1)
      expect(after.status).toBe("unread")
    })

    it("leaves identity and settings untouched", () => {
      const before = base({ repliesAllowed: false, replyToken: "tok", status: "open" })
      const after = applyChannelEvent(before, { _tag: "InboundReceived", at: T0 + 1 })
      expect(after).toEqual({ ...before, status: "unread", unreadCount: 1, lastActivityAt: T0 + 1 })
    })

    it("does not mutate its input", () => {
      const before = base({ archived: true })
      const copy = structuredClone(before)
      applyChannelEvent(before, { _tag: "InboundReceived", at: T0 + 1 })
      expect(before).toEqual(copy)
    })
  })

  describe("OutboundSent", () => {
    it("turns unread into open and clears the count; keeps open and done", () => {
      expect(applyChannelEvent(base({ status: "unread", unreadCount: 4 }), { _tag: "OutboundSent", at: T0 + 1 })).toMatchObject({
        status: "open",
        unreadCount: 0,
        lastActivityAt: T0 + 1
      })
      expect(applyChannelEvent(base({ status: "open" }), { _tag: "OutboundSent", at: T0 + 1 })).toMatchObject({ status: "open", unreadCount: 0 })
      expect(applyChannelEvent(base({ status: "done" }), { _tag: "OutboundSent", at: T0 + 1 })).toMatchObject({ status: "done", unreadCount: 0 })
    })

    it("moves lastActivityAt only forward", () => {
      expect(applyChannelEvent(base({ lastActivityAt: T0 + 50 }), { _tag: "OutboundSent", at: T0 }).lastActivityAt).toBe(T0 + 50)
      expect(applyChannelEvent(base({ lastActivityAt: T0 }), { _tag: "OutboundSent", at: T0 + 50 }).lastActivityAt).toBe(T0 + 50)
    })
  })

  for (const tag of ["Opened", "MarkedOpen", "MarkedDone"] as const) {
    it(`${tag} resets unreadCount and leaves activity time and archive flag alone`, () => {
      for (const status of statuses) {
        for (const archived of [false, true]) {
          const after = applyChannelEvent(base({ status, archived, unreadCount: 3, lastActivityAt: T0 + 7 }), { _tag: tag })
          expect(after.unreadCount).toBe(0)
          expect(after.lastActivityAt).toBe(T0 + 7)
          expect(after.archived).toBe(archived)
          expect(after.status).toBe(nextStatusExpected(tag, status))
        }
      }
    })
  }

  it("Archived and Unarchived flip only the archive flag", () => {
    for (const status of statuses) {
      const before = base({ status, unreadCount: 2, lastActivityAt: T0 + 9 })
      expect(applyChannelEvent(before, { _tag: "Archived" })).toEqual({ ...before, archived: true })
      expect(applyChannelEvent({ ...before, archived: true }, { _tag: "Unarchived" })).toEqual({ ...before, archived: false })
    }
  })

  it("a sequence: inbound, inbound, opened, reply, done, archive, inbound", () => {
    const events: ReadonlyArray<ChannelEvent> = [
      { _tag: "InboundReceived", at: T0 + 1 },
      { _tag: "InboundReceived", at: T0 + 2 },
      { _tag: "Opened" },
      { _tag: "OutboundSent", at: T0 + 3 },
      { _tag: "MarkedDone" },
      { _tag: "Archived" },
      { _tag: "InboundReceived", at: T0 + 4 }
    ]
    const seen: Array<Pick<Channel, "status" | "unreadCount" | "archived" | "lastActivityAt">> = []
    let channel = base()
    for (const event of events) {
      channel = applyChannelEvent(channel, event)
      seen.push({ status: channel.status, unreadCount: channel.unreadCount, archived: channel.archived, lastActivityAt: channel.lastActivityAt })
    }
    expect(seen).toEqual([
      { status: "unread", unreadCount: 1, archived: false, lastActivityAt: T0 + 1 },
      { status: "unread", unreadCount: 2, archived: false, lastActivityAt: T0 + 2 },
      { status: "open", unreadCount: 0, archived: false, lastActivityAt: T0 + 2 },
      { status: "open", unreadCount: 0, archived: false, lastActivityAt: T0 + 3 },
      { status: "done", unreadCount: 0, archived: false, lastActivityAt: T0 + 3 },
      { status: "done", unreadCount: 0, archived: true, lastActivityAt: T0 + 3 },
      { status: "unread", unreadCount: 1, archived: false, lastActivityAt: T0 + 4 }
    ])
  })

  it("property: unread exactly when unreadCount > 0, starting from a new channel", () => {
    const event: fc.Arbitrary<ChannelEvent> = fc.oneof(
      fc.integer({ min: 0, max: 10_000 }).map((d) => ({ _tag: "InboundReceived" as const, at: T0 + d })),
      fc.integer({ min: 0, max: 10_000 }).map((d) => ({ _tag: "OutboundSent" as const, at: T0 + d })),
      fc.constantFrom<ChannelEvent>({ _tag: "Opened" }, { _tag: "MarkedOpen" }, { _tag: "MarkedDone" }, { _tag: "Archived" }, { _tag: "Unarchived" })
    )
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        let channel = base()
        let maxAt = T0
        for (const e of events) {
          channel = applyChannelEvent(channel, e)
          if ("at" in e) maxAt = Math.max(maxAt, e.at)
          expect(channel.status === "unread").toBe(channel.unreadCount > 0)
          expect(channel.lastActivityAt).toBe(maxAt)
          if (e._tag === "InboundReceived") expect(channel.archived).toBe(false)
        }
      })
    )
  })
})

function nextStatusExpected(tag: "Opened" | "MarkedOpen" | "MarkedDone", from: ChannelStatus): ChannelStatus {
  if (tag === "MarkedOpen") return "open"
  if (tag === "MarkedDone") return "done"
  return from === "unread" ? "open" : from
}

describe("newChannel", () => {
  const input = {
    id: "ch-9" as ChannelId,
    organisationId: "org-1" as OrganisationId,
    lineId: "line-2" as LineId,
    phone: "+15557654321" as PhoneNumber,
    now: T0 + 42
  }

  it("starts done, unarchived, replies allowed, nothing unread, no reply link, created and active now", () => {
    expect(newChannel({ ...input, clientId: "client-3" as ClientId })).toEqual({
      id: "ch-9",
      organisationId: "org-1",
      lineId: "line-2",
      phone: "+15557654321",
      clientId: "client-3",
      status: "done",
      archived: false,
      repliesAllowed: true,
      unreadCount: 0,
      createdAt: T0 + 42,
      lastActivityAt: T0 + 42
    })
  })

  it("an unknown contact has no clientId key at all", () => {
    const channel = newChannel({ ...input, clientId: undefined })
    expect("clientId" in channel).toBe(false)
    expect("replyToken" in channel).toBe(false)
    expect("afterHoursRepliedFor" in channel).toBe(false)
  })

  it("the default preference is unmuted and not hidden", () => {
    expect(defaultPreference).toEqual({ muted: false, hidden: false })
  })
})

describe("matchesFilter", () => {
  const filters: ReadonlyArray<InboxFilter> = ["all", "unread", "open", "done", "archived"]
  const expected: Record<ChannelStatus, Record<"live" | "archived", Record<InboxFilter, boolean>>> = {
    unread: {
      live: { all: true, unread: true, open: false, done: false, archived: false },
      archived: { all: false, unread: false, open: false, done: false, archived: true }
    },
    open: {
      live: { all: true, unread: false, open: true, done: false, archived: false },
      archived: { all: false, unread: false, open: false, done: false, archived: true }
    },
    done: {
      live: { all: true, unread: false, open: false, done: true, archived: false },
      archived: { all: false, unread: false, open: false, done: false, archived: true }
    }
  }
  for (const status of statuses) {
    for (const archived of [false, true]) {
      for (const filter of filters) {
        const want = expected[status][archived ? "archived" : "live"][filter]
        it(`${status}${archived ? " (archived)" : ""} ${want ? "is" : "is not"} in "${filter}"`, () => {
          expect(matchesFilter(base({ status, archived }), filter)).toBe(want)
        })
      }
    }
  }
})

describe("byNewestActivity", () => {
  const channel = fc
    .record({ id: fc.constantFrom("a", "b", "c", "d"), at: fc.integer({ min: 0, max: 3 }) })
    .map(({ id, at }) => base({ id: id as ChannelId, lastActivityAt: T0 + at }))
  const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0)

  it("newest first, ties by id ascending", () => {
    const channels = [
      base({ id: "b" as ChannelId, lastActivityAt: T0 + 1 }),
      base({ id: "c" as ChannelId, lastActivityAt: T0 + 5 }),
      base({ id: "a" as ChannelId, lastActivityAt: T0 + 1 }),
      base({ id: "d" as ChannelId, lastActivityAt: T0 + 3 })
    ]
    expect([...channels].sort(byNewestActivity).map((c) => c.id)).toEqual(["c", "d", "a", "b"])
  })

  it("is a total order: reflexive zero, antisymmetric, transitive, zero only for same id and time", () => {
    fc.assert(
      fc.property(channel, channel, channel, (a, b, c) => {
        expect(byNewestActivity(a, a)).toBe(0)
        expect(sign(byNewestActivity(a, b)) + sign(byNewestActivity(b, a))).toBe(0)
        if (byNewestActivity(a, b) === 0) expect([a.id, a.lastActivityAt]).toEqual([b.id, b.lastActivityAt])
        if (byNewestActivity(a, b) <= 0 && byNewestActivity(b, c) <= 0) expect(byNewestActivity(a, c)).toBeLessThanOrEqual(0)
      })
    )
  })

  it("sorting gives the same order whatever the input order", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(channel, { selector: (c) => c.id, maxLength: 4 }).chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length }))),
        ([xs, ys]) => {
          const sorted = [...xs].sort(byNewestActivity)
          expect([...ys].sort(byNewestActivity)).toEqual(sorted)
          for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]!.lastActivityAt).toBeGreaterThanOrEqual(sorted[i]!.lastActivityAt)
        }
      )
    )
  })
})
