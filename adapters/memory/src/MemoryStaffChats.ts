import { type ChatMessage, type ChatRoom, compareChatRooms, roomPairKey, StaffChats, unreadCount } from "@careline/core"
import { Effect, Option, Ref } from "effect"

interface ChatState {
  readonly rooms: ReadonlyMap<string, ChatRoom>
  /** Per room, in `seq` order. */
  readonly messages: ReadonlyMap<string, ReadonlyArray<ChatMessage>>
  /** Per room and member (`room\u0000staff`): the `seq` read up to. */
  readonly read: ReadonlyMap<string, number>
}

const readKey = (roomId: string, staffId: string) => `${roomId}\u0000${staffId}`

/** `StaffChats` in memory over its own state (each operation one `Ref` step, so atomic); each build starts empty. */
export const makeStaffChats = Effect.map(
  Ref.make<ChatState>({ rooms: new Map(), messages: new Map(), read: new Map() }),
  (ref) =>
    StaffChats.of({
      createRoom: (room) =>
        Ref.modify(ref, (state) => {
          const key = roomPairKey(room)
          const existing = key === undefined
            ? undefined
            : [...state.rooms.values()].find((r) => r.organisationId === room.organisationId && roomPairKey(r) === key)
          if (existing !== undefined) return [existing, state]
          const stored: ChatRoom = { id: room.id, organisationId: room.organisationId, memberIds: [...room.memberIds], startedBy: room.startedBy, createdAt: room.createdAt, lastSeq: 0 }
          return [stored, { ...state, rooms: new Map(state.rooms).set(room.id, stored) }]
        }),
      getRoom: (id) => Effect.map(Ref.get(ref), (state) => Option.fromUndefinedOr(state.rooms.get(id))),
      roomsOf: (staffId) =>
        Effect.map(Ref.get(ref), (state) =>
          [...state.rooms.values()]
            .filter((room) => room.memberIds.includes(staffId))
            .sort(compareChatRooms)
            .map((room) => ({ room, unread: unreadCount(state.messages.get(room.id) ?? [], staffId, state.read.get(readKey(room.id, staffId)) ?? 0) }))),
      appendMessage: (message) =>
        Ref.modify(ref, (state): [Option.Option<ChatMessage>, ChatState] => {
          const room = state.rooms.get(message.roomId)
          if (room === undefined) return [Option.none(), state]
          const stored: ChatMessage = { ...message, seq: room.lastSeq + 1 }
          return [Option.some(stored), {
            ...state,
            rooms: new Map(state.rooms).set(room.id, { ...room, lastSeq: stored.seq, lastMessageAt: stored.at }),
            messages: new Map(state.messages).set(room.id, [...(state.messages.get(room.id) ?? []), stored])
          }]
        }),
      messagesOf: (roomId, page) =>
        Effect.map(Ref.get(ref), (state) =>
          [...(state.messages.get(roomId) ?? [])]
            .filter((m) => page.beforeSeq === undefined || m.seq < page.beforeSeq)
            .reverse()
            .slice(0, Math.max(0, page.limit))),
      markRead: (roomId, staffId, seq) =>
        Ref.update(ref, (state) => {
          const room = state.rooms.get(roomId)
          const key = readKey(roomId, staffId)
          if (room === undefined || !room.memberIds.includes(staffId) || (state.read.get(key) ?? 0) >= seq) return state
          return { ...state, read: new Map(state.read).set(key, seq) }
        })
    })
)
