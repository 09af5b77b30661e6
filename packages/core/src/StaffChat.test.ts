import { describe, expect, it } from "vitest"
import { OrganisationId, StaffId } from "./Ids.js"
import { CHAT_BODY_MAX, chatBody, chatMembers, compareChatRooms, type ChatRoom, ChatRoomId, isChatMember, pairKey, roomPairKey, unreadCount } from "./index.js"

const org = OrganisationId.make("org_1")
const person = (id: string, overrides: { active?: boolean; organisationId?: OrganisationId } = {}) =>
  ({ id: StaffId.make(id), organisationId: overrides.organisationId ?? org, active: overrides.active ?? true })
const [ana, ben, cy] = [person("s_ana"), person("s_ben"), person("s_cy")]
const room = (id: string, memberIds: ReadonlyArray<string>, createdAt = 0, lastMessageAt?: number): ChatRoom => ({
  id: ChatRoomId.make(id),
  organisationId: org,
  memberIds: memberIds.map((m) => StaffId.make(m)),
  startedBy: StaffId.make(memberIds[0]!),
  createdAt,
  lastSeq: 0,
  ...(lastMessageAt === undefined ? {} : { lastMessageAt })
})

describe("chat members (S4)", () => {
  it("puts the starter first, drops repeats and the starter, keeps the chosen order", () => {
    expect(chatMembers(ana, [cy.id, ben.id, cy.id, ana.id], [ben, cy])).toEqual({ ok: true, memberIds: [ana.id, cy.id, ben.id] })
  })

  it("needs at least one colleague and at most eight people in all", () => {
    expect(chatMembers(ana, [], [])).toEqual({ ok: false, refusal: "TooFewMembers" })
    expect(chatMembers(ana, [ana.id], [])).toEqual({ ok: false, refusal: "TooFewMembers" })
    const seven = Array.from({ length: 7 }, (_, i) => person(`s_${i}`))
    expect(chatMembers(ana, seven.map((s) => s.id), seven)).toMatchObject({ ok: true })
    const eight = [...seven, person("s_8")]
    expect(chatMembers(ana, eight.map((s) => s.id), eight)).toEqual({ ok: false, refusal: "TooManyMembers" })
  })

  it("admits only active colleagues of the starter's organisation, and an active starter", () => {
    expect(chatMembers(ana, [StaffId.make("s_nobody")], [])).toEqual({ ok: false, refusal: "NotAColleague" })
    expect(chatMembers(ana, ["s_gone" as StaffId], [person("s_gone", { active: false })])).toEqual({ ok: false, refusal: "NotAColleague" })
    const elsewhere = person("s_far", { organisationId: OrganisationId.make("org_2") })
    expect(chatMembers(ana, [elsewhere.id], [elsewhere])).toEqual({ ok: false, refusal: "NotAColleague" })
    expect(chatMembers(person("s_ana", { active: false }), [ben.id], [ben])).toEqual({ ok: false, refusal: "NotAColleague" })
  })
})

describe("chat bodies", () => {
  it("trims, and accepts 1–2000 characters", () => {
    expect(chatBody("  hi  ")).toEqual({ ok: true, body: "hi" })
    expect(chatBody("x".repeat(CHAT_BODY_MAX))).toMatchObject({ ok: true })
    expect(chatBody("x".repeat(CHAT_BODY_MAX + 1))).toEqual({ ok: false, refusal: "MessageTooLong" })
    expect(chatBody("   ")).toEqual({ ok: false, refusal: "EmptyMessage" })
  })

  it("refuses control characters (a NUL above all), keeps markup as text", () => {
    for (const bad of ["a\u0000b", "line\nbreak", "tab\there", "esc\u001b[0m", "del\u007f"]) expect(chatBody(bad)).toEqual({ ok: false, refusal: "ControlCharacters" })
    expect(chatBody("<script>alert(1)</script> ✓ 😀")).toEqual({ ok: true, body: "<script>alert(1)</script> ✓ 😀" })
  })
})

describe("rooms", () => {
  it("a pair's key is the same whoever starts; a group has none", () => {
    expect(pairKey(ana.id, ben.id)).toBe(pairKey(ben.id, ana.id))
    expect(roomPairKey(room("r1", ["s_ben", "s_ana"]))).toBe(pairKey(ana.id, ben.id))
    expect(roomPairKey(room("r2", ["s_ben", "s_ana", "s_cy"]))).toBeUndefined()
  })

  it("members only, and only in the room's organisation", () => {
    const r = room("r1", ["s_ana", "s_ben"])
    expect(isChatMember(r, ana)).toBe(true)
    expect(isChatMember(r, cy)).toBe(false)
    expect(isChatMember(r, person("s_ana", { organisationId: OrganisationId.make("org_2") }))).toBe(false)
  })

  it("counts others' messages after what was read; orders by latest activity", () => {
    const messages = [{ authorId: ana.id, seq: 1 }, { authorId: ben.id, seq: 2 }, { authorId: ben.id, seq: 3 }]
    expect(unreadCount(messages, ana.id, 0)).toBe(2)
    expect(unreadCount(messages, ana.id, 2)).toBe(1)
    expect(unreadCount(messages, ben.id, 0)).toBe(1)
    const rooms = [room("a", ["s_ana", "s_ben"], 10), room("b", ["s_ana", "s_cy"], 5, 50), room("c", ["s_ben", "s_cy"], 10)]
    expect([...rooms].sort(compareChatRooms).map((r) => r.id)).toEqual(["b", "a", "c"])
  })
})
