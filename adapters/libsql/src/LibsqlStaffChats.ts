import { ChatMessage, ChatRoom, type ChatRoomId, compareChatRooms, roomPairKey, StaffChats, type StaffId } from "@careline/core"
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm"
import { Effect, Option } from "effect"
import type { Database } from "./Database.js"
import { decodeAll, decoder, decoderSync, withoutNulls } from "./Decode.js"
import * as t from "./schema.js"
import type { Sql } from "./WriteBatcher.js"

const decodeRoom = decoder("chat room", ChatRoom)
const decodeRoomSync = decoderSync("chat room", ChatRoom)
const decodeMessage = decoder("chat message", ChatMessage)
const decodeMessageSync = decoderSync("chat message", ChatMessage)

type RoomRow = typeof t.chatRooms.$inferSelect

/** The rooms' rows as records: members in their order, no pair key. */
const withMembers = async (db: Sql, rows: ReadonlyArray<RoomRow>) => {
  if (rows.length === 0) return []
  const members = await db
    .select({ roomId: t.chatRoomMembers.roomId, staffId: t.chatRoomMembers.staffId })
    .from(t.chatRoomMembers)
    .where(inArray(t.chatRoomMembers.roomId, rows.map((row) => row.id)))
    .orderBy(asc(t.chatRoomMembers.position))
  return rows.map(({ pairKey: _pairKey, ...row }) =>
    withoutNulls({ ...row, memberIds: members.filter((m) => m.roomId === row.id).map((m) => m.staffId) }))
}

/**
 * `StaffChats` over `chat_rooms`, `chat_room_members` and `chat_messages`. A 1:1 room's pair key is
 * unique per organisation; a message takes its room's next `seq` in the same transaction that moves
 * the room's `last_seq`, so concurrent posts never share a number.
 */
export const make = (database: Database) =>
  StaffChats.of({
    createRoom: (room) =>
      database.write("StaffChats.createRoom", async (tx) => {
        const pairKey = roomPairKey(room) ?? null
        if (pairKey !== null) {
          const existing = await tx.select().from(t.chatRooms).where(and(eq(t.chatRooms.organisationId, room.organisationId), eq(t.chatRooms.pairKey, pairKey)))
          if (existing.length > 0) return decodeRoomSync((await withMembers(tx, existing))[0])
        }
        await tx.insert(t.chatRooms).values({ id: room.id, organisationId: room.organisationId, startedBy: room.startedBy, createdAt: room.createdAt, lastSeq: 0, pairKey })
        await tx.insert(t.chatRoomMembers).values([...new Set(room.memberIds)].map((staffId, position) => ({ roomId: room.id, staffId, position })))
        return decodeRoomSync({ id: room.id, organisationId: room.organisationId, memberIds: [...new Set(room.memberIds)], startedBy: room.startedBy, createdAt: room.createdAt, lastSeq: 0 })
      }),
    getRoom: (id) =>
      database
        .read("StaffChats.getRoom", async (db) => withMembers(db, await db.select().from(t.chatRooms).where(eq(t.chatRooms.id, id))))
        .pipe(Effect.flatMap(decodeAll(decodeRoom("StaffChats.getRoom"))), Effect.map((rooms) => Option.fromUndefinedOr(rooms[0]))),
    roomsOf: (staffId: StaffId) =>
      database
        .read("StaffChats.roomsOf", async (db) => {
          const rows = await db
            .select({
              room: t.chatRooms,
              unread: sql<number>`(select count(*) from ${t.chatMessages} m where m.room_id = ${t.chatRooms.id} and m.seq > ${t.chatRoomMembers.readSeq} and m.author_id <> ${staffId})`
            })
            .from(t.chatRoomMembers)
            .innerJoin(t.chatRooms, eq(t.chatRooms.id, t.chatRoomMembers.roomId))
            .where(eq(t.chatRoomMembers.staffId, staffId))
          const rooms = await withMembers(db, rows.map((row) => row.room))
          return rows.map((row, i) => ({ room: rooms[i], unread: Number(row.unread) }))
        })
        .pipe(
          Effect.flatMap((rows) =>
            Effect.forEach(rows, (row) => Effect.map(decodeRoom("StaffChats.roomsOf")(row.room), (room) => ({ room, unread: row.unread })))),
          Effect.map((standings) => [...standings].sort((a, b) => compareChatRooms(a.room, b.room)))
        ),
    appendMessage: (message) =>
      database.write("StaffChats.appendMessage", async (tx) => {
        const moved = await tx
          .update(t.chatRooms)
          .set({ lastSeq: sql`${t.chatRooms.lastSeq} + 1`, lastMessageAt: message.at })
          .where(eq(t.chatRooms.id, message.roomId))
          .returning({ lastSeq: t.chatRooms.lastSeq })
        if (moved.length === 0) return Option.none()
        const stored = decodeMessageSync({ ...message, seq: moved[0]!.lastSeq })
        await tx.insert(t.chatMessages).values(stored)
        return Option.some(stored)
      }),
    messagesOf: (roomId: ChatRoomId, page) =>
      database
        .read("StaffChats.messagesOf", (db) =>
          db
            .select()
            .from(t.chatMessages)
            .where(page.beforeSeq === undefined ? eq(t.chatMessages.roomId, roomId) : and(eq(t.chatMessages.roomId, roomId), lt(t.chatMessages.seq, page.beforeSeq)))
            .orderBy(desc(t.chatMessages.seq))
            .limit(Math.max(0, page.limit)))
        .pipe(Effect.flatMap(decodeAll(decodeMessage("StaffChats.messagesOf")))),
    markRead: (roomId, staffId, seq) =>
      database.write("StaffChats.markRead", async (tx) => {
        await tx
          .update(t.chatRoomMembers)
          .set({ readSeq: sql`max(${t.chatRoomMembers.readSeq}, ${seq})` })
          .where(and(eq(t.chatRoomMembers.roomId, roomId), eq(t.chatRoomMembers.staffId, staffId)))
      })
  })

