import { Schema } from "effect"
import { ChatMessageId, ChatRoomId, Millis, OrganisationId, StaffId } from "./Ids.js"
import type { Staff } from "./Staff.js"
import { hasControlCharacters } from "./Text.js"

/** A chat room has at least two members (a 1:1) and at most eight (S4: small group chats). */
export const CHAT_MIN_MEMBERS = 2
export const CHAT_MAX_MEMBERS = 8
/** The longest chat message, in characters. */
export const CHAT_BODY_MAX = 2000

/**
 * An internal chat between staff of one organisation (S4: "Users on the system will show Chat
 * only": never SMS). Members are fixed when the room starts; a room of two is the pair's one 1:1
 * room. `lastSeq` counts its messages (each message's `seq` is its place, from 1).
 */
export const ChatRoom = Schema.Struct({
  id: ChatRoomId,
  organisationId: OrganisationId,
  /** The starter first, then the others in the order chosen; no repeats. */
  memberIds: Schema.Array(StaffId),
  startedBy: StaffId,
  createdAt: Millis,
  lastSeq: Schema.Number.check(Schema.isInt()),
  lastMessageAt: Schema.optional(Millis)
})
export type ChatRoom = typeof ChatRoom.Type

export const ChatMessage = Schema.Struct({
  id: ChatMessageId,
  roomId: ChatRoomId,
  organisationId: OrganisationId,
  authorId: StaffId,
  body: Schema.String,
  at: Millis,
  /** The message's place in its room, from 1; given by the store when it is appended. */
  seq: Schema.Number.check(Schema.isInt())
})
export type ChatMessage = typeof ChatMessage.Type

/** A room as one member sees it in their list: with how many messages of others they have not read. */
export interface ChatRoomStanding {
  readonly room: ChatRoom
  readonly unread: number
}

/** Why a chat cannot be started or a message posted, for the person to act on. */
export const ChatRefusal = Schema.Literals(["TooFewMembers", "TooManyMembers", "NotAColleague", "EmptyMessage", "MessageTooLong", "ControlCharacters"])
export type ChatRefusal = typeof ChatRefusal.Type

export const chatRefusalText: Record<ChatRefusal, string> = {
  TooFewMembers: "Pick at least one colleague to chat with.",
  TooManyMembers: `A chat has at most ${CHAT_MAX_MEMBERS} people, you included.`,
  NotAColleague: "You can only chat with active colleagues of your organisation.",
  EmptyMessage: "Write a message first.",
  MessageTooLong: `Keep a chat message to ${CHAT_BODY_MAX} characters.`,
  ControlCharacters: "Write the message as one paragraph: no line breaks or other control characters."
}

/** The key of the 1:1 room of two staff: the same whoever starts it. */
export const pairKey = (a: StaffId, b: StaffId): string => (a < b ? `${a}|${b}` : `${b}|${a}`)

/** The pair key of a 1:1 room; none for a group. */
export const roomPairKey = (room: Pick<ChatRoom, "memberIds">): string | undefined =>
  room.memberIds.length === 2 ? pairKey(room.memberIds[0]!, room.memberIds[1]!) : undefined

export const isChatMember = (room: Pick<ChatRoom, "memberIds" | "organisationId">, staff: Pick<Staff, "id" | "organisationId">): boolean =>
  room.organisationId === staff.organisationId && room.memberIds.includes(staff.id)

/**
 * The members of a new room: the starter first, then the chosen colleagues (repeats and the starter
 * dropped). Every colleague must be active staff of the starter's organisation (`colleagues` are the
 * ones found); 2–8 people in all.
 */
export const chatMembers = (
  starter: Pick<Staff, "id" | "organisationId" | "active">,
  chosen: ReadonlyArray<StaffId>,
  colleagues: ReadonlyArray<Pick<Staff, "id" | "organisationId" | "active">>
): { readonly ok: true; readonly memberIds: ReadonlyArray<StaffId> } | { readonly ok: false; readonly refusal: ChatRefusal } => {
  if (!starter.active) return { ok: false, refusal: "NotAColleague" }
  const others = [...new Set(chosen)].filter((id) => id !== starter.id)
  if (others.length + 1 < CHAT_MIN_MEMBERS) return { ok: false, refusal: "TooFewMembers" }
  if (others.length + 1 > CHAT_MAX_MEMBERS) return { ok: false, refusal: "TooManyMembers" }
  const found = new Map(colleagues.map((s) => [s.id as string, s]))
  for (const id of others) {
    const colleague = found.get(id)
    if (colleague === undefined || !colleague.active || colleague.organisationId !== starter.organisationId) return { ok: false, refusal: "NotAColleague" }
  }
  return { ok: true, memberIds: [starter.id, ...others] }
}

/** A message as typed: trimmed at the ends, 1–2000 characters, no control characters (Enter sends: a message is one paragraph). */
export const chatBody = (text: string): { readonly ok: true; readonly body: string } | { readonly ok: false; readonly refusal: ChatRefusal } => {
  const body = text.trim()
  if (body === "") return { ok: false, refusal: "EmptyMessage" }
  if (body.length > CHAT_BODY_MAX) return { ok: false, refusal: "MessageTooLong" }
  if (hasControlCharacters(body)) return { ok: false, refusal: "ControlCharacters" }
  return { ok: true, body }
}

/** Messages of others after what the member has read (`readSeq`): their unread count. */
export const unreadCount = (messages: ReadonlyArray<Pick<ChatMessage, "authorId" | "seq">>, memberId: StaffId, readSeq: number): number =>
  messages.filter((m) => m.seq > readSeq && m.authorId !== memberId).length

/** Most recent activity first (a message, else the start), then by id: the order every store lists rooms in. */
export const compareChatRooms = (a: ChatRoom, b: ChatRoom): number => {
  const at = (room: ChatRoom) => room.lastMessageAt ?? room.createdAt
  return at(b) - at(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}
