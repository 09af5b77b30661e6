import { NotificationLog } from "@careline/adapter-memory"
import { type ChatRoom, ChatRoomId, Directory, listMyChats, openChat, pairKey, postChatMessage, type StaffId, startChat } from "@careline/core"
import { Effect } from "effect"
import * as fc from "fast-check"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { seedScenario, staff } from "./Scenario.js"
import { auditTrail } from "./scenarios/Harness.js"
import { makeWorld, numRuns, outcomeTag, type World } from "./World.js"

let world: World
beforeEach(async () => {
  world = await makeWorld(seedScenario)
})
afterEach(() => world.dispose())

const colleagues = [staff.spec1, staff.spec2, staff.coord, staff.sup, staff.admin, staff.front] as const
const everyone: ReadonlyArray<StaffId> = [...colleagues, staff.outsider]
const chatNotifications = NotificationLog.use((log) => Effect.map(log.all, (all) => all.filter((n) => n._tag === "StaffChatActivity")))

describe("staff chat (S4) through the services", () => {
  it("a 1:1 is reused whoever starts it; a group is new; outsiders, strangers and too many people are refused", async () => {
    const first = await world.run(startChat({ staffId: staff.spec1, with: [staff.coord] }))
    const again = await world.run(startChat({ staffId: staff.coord, with: [staff.spec1, staff.coord] }))
    expect(again.id).toBe(first.id)
    const group = await world.run(startChat({ staffId: staff.spec1, with: [staff.coord, staff.front] }))
    expect(group.id).not.toBe(first.id)
    expect(group.memberIds).toEqual([staff.spec1, staff.coord, staff.front])
    expect(outcomeTag(await world.exit(startChat({ staffId: staff.spec1, with: [staff.outsider] })))).toBe("ChatRefused")
    expect(outcomeTag(await world.exit(startChat({ staffId: staff.spec1, with: [] })))).toBe("ChatRefused")
    await world.run(Directory.use((d) => d.updateStaff(staff.spec2, (s) => ({ ...s, active: false }))))
    expect(outcomeTag(await world.exit(startChat({ staffId: staff.spec1, with: [staff.spec2] })))).toBe("ChatRefused")
    expect(outcomeTag(await world.exit(postChatMessage({ staffId: staff.spec1, roomId: first.id, body: "" })))).toBe("ChatRefused")
    expect(outcomeTag(await world.exit(postChatMessage({ staffId: staff.spec1, roomId: first.id, body: "a\u0000b" })))).toBe("ChatRefused")
    expect((await world.run(auditTrail)).filter((e) => e.action === "chat.start").map((e) => e.detail)).toEqual([`room=${first.id} members=2`, `room=${group.id} members=3`])
  })

  it("property: only members post, open and list a room; unread counts what others wrote since one last looked; audit and live events carry ids only", () =>
    fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ _tag: fc.constant("Start" as const), by: fc.constantFrom(...everyone), with: fc.uniqueArray(fc.constantFrom(...everyone), { maxLength: 4 }) }),
            fc.record({ _tag: fc.constant("Post" as const), by: fc.constantFrom(...everyone), room: fc.nat(5), text: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /^[\x20-\x7e]+$/.test(s) && s.trim() !== "") }),
            fc.record({ _tag: fc.constant("Open" as const), by: fc.constantFrom(...everyone), room: fc.nat(5) })
          ),
          { maxLength: 14 }
        ),
        async (commands) => {
          const w = await makeWorld(seedScenario)
          try {
            const rooms: Array<ChatRoom> = []
            const messages = new Map<string, Array<{ author: StaffId; body: string }>>()
            const read = new Map<string, number>()
            const pairs = new Map<string, string>()
            const bodies: Array<string> = []
            for (const command of commands) {
              if (command._tag === "Start") {
                const others = command.with.filter((id) => id !== command.by)
                const allowed = command.by !== staff.outsider && others.length >= 1 && others.every((id) => id !== staff.outsider)
                const exit = await w.exit(startChat({ staffId: command.by, with: command.with }))
                expect(outcomeTag(exit)).toBe(allowed ? "ok" : "ChatRefused")
                if (exit._tag !== "Success") continue
                const room = exit.value
                const key = others.length === 1 ? pairKey(command.by, others[0]!) : undefined
                if (key !== undefined && pairs.has(key)) expect(room.id).toBe(pairs.get(key))
                else {
                  if (key !== undefined) pairs.set(key, room.id)
                  rooms.push(room)
                }
                continue
              }
              const room = rooms[command.room]
              const roomId = room?.id ?? ChatRoomId.make("chr_none")
              const member = room !== undefined && room.memberIds.includes(command.by)
              if (command._tag === "Post") {
                const exit = await w.exit(postChatMessage({ staffId: command.by, roomId, body: `Msg:${command.text}` }))
                expect(outcomeTag(exit)).toBe(member ? "ok" : "NotFound")
                if (member) {
                  const list = messages.get(roomId) ?? []
                  list.push({ author: command.by, body: `Msg:${command.text}`.trim() })
                  messages.set(roomId, list)
                  read.set(`${roomId}|${command.by}`, list.length)
                  bodies.push(`Msg:${command.text}`.trim())
                }
              } else {
                const exit = await w.exit(openChat({ staffId: command.by, roomId }))
                expect(outcomeTag(exit)).toBe(member ? "ok" : "NotFound")
                if (exit._tag === "Success") {
                  expect(exit.value.messages.map((m) => m.body)).toEqual((messages.get(roomId) ?? []).map((m) => m.body))
                  read.set(`${roomId}|${command.by}`, (messages.get(roomId) ?? []).length)
                }
              }
            }
            for (const who of colleagues) {
              const mine = await w.run(listMyChats({ staffId: who }))
              const expected = rooms.filter((r) => r.memberIds.includes(who))
              expect(new Set(mine.map((s) => s.room.id))).toEqual(new Set(expected.map((r) => r.id)))
              for (const summary of mine) {
                const list = messages.get(summary.room.id) ?? []
                const seen = read.get(`${summary.room.id}|${who}`) ?? 0
                expect(summary.unread).toBe(list.slice(seen).filter((m) => m.author !== who).length)
                expect(summary.others.map((o) => o.staffId)).not.toContain(who)
              }
            }
            expect(outcomeTag(await w.exit(listMyChats({ staffId: staff.outsider })))).toBe("ok")
            expect(await w.run(listMyChats({ staffId: staff.outsider }))).toEqual([])
            for (const n of await w.run(chatNotifications)) {
              const room = rooms.find((r) => r.id === n.roomId)!
              expect(n.staffIds).toEqual(room.memberIds)
            }
            const trail = JSON.stringify(await w.run(auditTrail)) + JSON.stringify(await w.run(chatNotifications))
            for (const body of bodies) expect(trail).not.toContain(JSON.stringify(body).slice(1, -1))
          } finally {
            await w.dispose()
          }
        }
      ),
      { numRuns: Math.min(numRuns(), 60) }
    ), 120_000)
})
