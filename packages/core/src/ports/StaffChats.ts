import { Context, type Effect, type Option } from "effect"
import type { ChatRoomId, StaffId } from "../Ids.js"
import type { ChatMessage, ChatRoom, ChatRoomStanding } from "../StaffChat.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/**
 * Staff chat rooms, their messages and what each member has read. Membership checks are the
 * application's (`StaffChatActions`): the store keeps what it is given, but it alone keeps a 1:1
 * room unique per pair and numbers a room's messages, so two staff starting or posting at once agree.
 *
 * @example
 * ```ts
 * const room = yield* StaffChats.use((s) => s.createRoom(candidate)) // the pair's existing 1:1, if any
 * const posted = yield* StaffChats.use((s) => s.appendMessage({ id, roomId: room.id, organisationId, authorId, body, at }))
 * ```
 */
export class StaffChats extends Context.Service<StaffChats, {
  /**
   * Stores a new room (its `lastSeq` 0, no `lastMessageAt`) and gives it back — unless it has two
   * members and their 1:1 room exists already: then that room, and nothing is written.
   */
  readonly createRoom: (room: ChatRoom) => Io<ChatRoom>
  readonly getRoom: (id: ChatRoomId) => Io<Option.Option<ChatRoom>>
  /** The rooms the staff member is in, most recent activity first (`compareChatRooms`), with their unread counts. */
  readonly roomsOf: (staffId: StaffId) => Io<ReadonlyArray<ChatRoomStanding>>
  /**
   * Appends a message to its room as the room's next `seq` and moves the room's `lastMessageAt` to
   * its time; gives the message back with its `seq`. A room that does not exist: `Option.none()`.
   */
  readonly appendMessage: (message: Omit<ChatMessage, "seq">) => Io<Option.Option<ChatMessage>>
  /** The room's messages, newest first: at most `limit`, those before `beforeSeq` when given. */
  readonly messagesOf: (roomId: ChatRoomId, page: { readonly limit: number; readonly beforeSeq?: number }) => Io<ReadonlyArray<ChatMessage>>
  /** The member has read up to `seq` (never back: a lower `seq` than they had changes nothing). Not a member: nothing. */
  readonly markRead: (roomId: ChatRoomId, staffId: StaffId, seq: number) => Io<void>
}>()("@careline/core/StaffChats") {}
