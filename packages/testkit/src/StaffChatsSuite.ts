import {
  type ChatMessage,
  ChatMessageId,
  type ChatRoom,
  ChatRoomId,
  compareChatRooms,
  type Directory,
  roomPairKey,
  type StaffId,
  StaffChats,
  unreadCount
} from "@careline/core"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parentIdPools, T0 } from "./fixtures.js"
import { pooledDirectory, seedDirectory } from "./ParentRecords.js"
import { runWith } from "./runEffect.js"

const [org1] = parentIdPools.organisations
const staff = parentIdPools.staff
const [s1, s2, s3, s4] = staff

const roomOf = (n: number, memberIds: ReadonlyArray<StaffId>, at = T0): ChatRoom => ({
  id: ChatRoomId.make(`room_${n}`),
  organisationId: org1!,
  memberIds,
  startedBy: memberIds[0]!,
  createdAt: at,
  lastSeq: 0
})

const messageOf = (n: number, roomId: ChatRoomId, authorId: StaffId, at = T0): Omit<ChatMessage, "seq"> => ({
  id: ChatMessageId.make(`msg_${n}`),
  roomId,
  organisationId: org1!,
  authorId,
  body: `Message ${n} <b>&amp;</b> ✓`,
  at
})

type Command =
  | { readonly _tag: "Create"; readonly n: number; readonly members: ReadonlyArray<StaffId> }
  | { readonly _tag: "Post"; readonly n: number; readonly author: StaffId }
  | { readonly _tag: "Read"; readonly n: number; readonly reader: StaffId; readonly upTo: number }

const arbCommand: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ n: fc.integer({ min: 1, max: 4 }), members: fc.uniqueArray(fc.constantFrom(...staff), { minLength: 2, maxLength: 4 }) }).map((c) => ({ _tag: "Create" as const, ...c })) },
  { weight: 4, arbitrary: fc.record({ n: fc.integer({ min: 1, max: 4 }), author: fc.constantFrom(...staff) }).map((c) => ({ _tag: "Post" as const, ...c })) },
  { weight: 2, arbitrary: fc.record({ n: fc.integer({ min: 1, max: 4 }), reader: fc.constantFrom(...staff), upTo: fc.integer({ min: 0, max: 8 }) }).map((c) => ({ _tag: "Read" as const, ...c })) }
)

/**
 * The behaviour every `StaffChats` adapter must show, after storing the organisations and staff the
 * rooms refer to through the layer's `Directory`.
 *
 * @example
 * ```ts
 * staffChatsSuite("memory", MemoryStores.layer)
 * ```
 */
export const staffChatsSuite = (name: string, layer: Layer.Layer<StaffChats | Directory, unknown>) =>
  describe(`StaffChats (${name})`, () => {
    const run = runWith(layer)
    const seed = seedDirectory(pooledDirectory)

    it("gives back a created room as it was created", () =>
      run(Effect.gen(function* () {
        const chats = yield* StaffChats
        yield* seed
        const room = roomOf(1, [s3!, s1!, s2!])
        expect(yield* chats.createRoom(room)).toEqual(room)
        expect(yield* chats.getRoom(room.id)).toEqual(Option.some(room))
        expect(yield* chats.getRoom(ChatRoomId.make("room_9"))).toEqual(Option.none())
      })))

    it("keeps one 1:1 room per pair, whoever starts it; groups are always new", () =>
      run(Effect.gen(function* () {
        const chats = yield* StaffChats
        yield* seed
        const first = yield* chats.createRoom(roomOf(1, [s1!, s2!]))
        expect(yield* chats.createRoom(roomOf(2, [s2!, s1!], T0 + 5))).toEqual(first)
        expect(yield* chats.getRoom(ChatRoomId.make("room_2"))).toEqual(Option.none())
        expect((yield* chats.createRoom(roomOf(3, [s1!, s3!]))).id).toBe("room_3")
        const group = roomOf(4, [s1!, s2!, s3!])
        expect(yield* chats.createRoom(group)).toEqual(group)
        const again = roomOf(5, [s1!, s2!, s3!])
        expect(yield* chats.createRoom(again)).toEqual(again)
      })))

    it("numbers a room's messages from 1 and moves its last activity", () =>
      run(Effect.gen(function* () {
        const chats = yield* StaffChats
        yield* seed
        const room = yield* chats.createRoom(roomOf(1, [s1!, s2!]))
        const a = yield* chats.appendMessage(messageOf(1, room.id, s1!, T0 + 10))
        const b = yield* chats.appendMessage(messageOf(2, room.id, s2!, T0 + 10))
        expect(a).toEqual(Option.some({ ...messageOf(1, room.id, s1!, T0 + 10), seq: 1 }))
        expect(Option.map(b, (m) => m.seq)).toEqual(Option.some(2))
        expect(yield* chats.getRoom(room.id)).toEqual(Option.some({ ...room, lastSeq: 2, lastMessageAt: T0 + 10 }))
        expect(yield* chats.appendMessage(messageOf(3, ChatRoomId.make("room_9"), s1!))).toEqual(Option.none())
      })))

    it("pages messages newest first, before a seq", () =>
      run(Effect.gen(function* () {
        const chats = yield* StaffChats
        yield* seed
        const room = yield* chats.createRoom(roomOf(1, [s1!, s2!]))
        const other = yield* chats.createRoom(roomOf(2, [s1!, s3!]))
        for (let n = 1; n <= 5; n++) yield* chats.appendMessage(messageOf(n, room.id, n % 2 === 0 ? s2! : s1!, T0 + n))
        yield* chats.appendMessage(messageOf(6, other.id, s3!))
        expect((yield* chats.messagesOf(room.id, { limit: 3 })).map((m) => m.seq)).toEqual([5, 4, 3])
        expect((yield* chats.messagesOf(room.id, { limit: 3, beforeSeq: 3 })).map((m) => m.id)).toEqual(["msg_2", "msg_1"])
        expect((yield* chats.messagesOf(other.id, { limit: 10 })).map((m) => m.id)).toEqual(["msg_6"])
        expect(yield* chats.messagesOf(ChatRoomId.make("room_9"), { limit: 10 })).toEqual([])
      })))

    it("lists a member's rooms, latest activity first, with the unread messages of others", () =>
      run(Effect.gen(function* () {
        const chats = yield* StaffChats
        yield* seed
        const pair = yield* chats.createRoom(roomOf(1, [s1!, s2!], T0))
        const group = yield* chats.createRoom(roomOf(2, [s2!, s3!, s1!], T0 + 1))
        yield* chats.createRoom(roomOf(3, [s3!, s4!], T0 + 2))
        yield* chats.appendMessage(messageOf(1, pair.id, s2!, T0 + 20))
        yield* chats.appendMessage(messageOf(2, pair.id, s1!, T0 + 21))
        yield* chats.appendMessage(messageOf(3, pair.id, s2!, T0 + 22))
        const mine = yield* chats.roomsOf(s1!)
        expect(mine.map((r) => [r.room.id, r.unread])).toEqual([["room_1", 2], ["room_2", 0]])
        yield* chats.markRead(pair.id, s1!, 2)
        yield* chats.markRead(pair.id, s1!, 1) // never back
        yield* chats.markRead(pair.id, s4!, 3) // not a member: nothing
        expect((yield* chats.roomsOf(s1!)).map((r) => r.unread)).toEqual([1, 0])
        expect((yield* chats.roomsOf(s2!)).map((r) => [r.room.id, r.unread])).toEqual([["room_1", 1], ["room_2", 0]])
        expect(yield* chats.roomsOf(s4!)).toHaveLength(1)
        expect(yield* chats.roomsOf(staff[4]!)).toEqual([])
        void group
      })))

    it("property: after any creates, posts and reads, the store answers like the model", () =>
      fc.assert(
        fc.asyncProperty(fc.array(arbCommand, { maxLength: 20 }), (commands) =>
          run(Effect.gen(function* () {
            const chats = yield* StaffChats
            yield* seed
            const rooms = new Map<string, ChatRoom>()
            const messages = new Map<string, Array<ChatMessage>>()
            const read = new Map<string, number>()
            let clock = T0
            let sequence = 0
            for (const command of commands) {
              clock += 1
              const id = ChatRoomId.make(`room_${command.n}`)
              if (command._tag === "Create") {
                if (rooms.has(id)) continue // ids are never reused
                const candidate = roomOf(command.n, command.members, clock)
                const key = roomPairKey(candidate)
                const existing = key === undefined ? undefined : [...rooms.values()].find((r) => roomPairKey(r) === key)
                expect(yield* chats.createRoom(candidate)).toEqual(existing ?? candidate)
                if (existing === undefined) rooms.set(id, candidate)
              } else if (command._tag === "Post") {
                const room = rooms.get(id)
                const appended = yield* chats.appendMessage(messageOf(++sequence, id, command.author, clock))
                if (room === undefined) {
                  expect(appended).toEqual(Option.none())
                  continue
                }
                const message = { ...messageOf(sequence, id, command.author, clock), seq: room.lastSeq + 1 }
                expect(appended).toEqual(Option.some(message))
                rooms.set(id, { ...room, lastSeq: message.seq, lastMessageAt: clock })
                messages.set(id, [...(messages.get(id) ?? []), message])
              } else {
                yield* chats.markRead(id, command.reader, command.upTo)
                const room = rooms.get(id)
                const key = `${id}|${command.reader}`
                if (room !== undefined && room.memberIds.includes(command.reader)) read.set(key, Math.max(read.get(key) ?? 0, command.upTo))
              }
            }
            for (const room of rooms.values()) {
              expect(yield* chats.getRoom(room.id)).toEqual(Option.some(room))
              expect(yield* chats.messagesOf(room.id, { limit: 100 })).toEqual([...(messages.get(room.id) ?? [])].reverse())
            }
            for (const member of staff) {
              const expected = [...rooms.values()]
                .filter((room) => room.memberIds.includes(member))
                .sort(compareChatRooms)
                .map((room) => ({ room, unread: unreadCount(messages.get(room.id) ?? [], member, read.get(`${room.id}|${member}`) ?? 0) }))
              expect(yield* chats.roomsOf(member)).toEqual(expected)
            }
          }))
        ),
        { numRuns: 25 }
      ))
  })
