import { Clock, Effect, Option, Schema } from "effect"
import { AccessDenied } from "../AccessPolicy.js"
import { ChatMessageId, ChatRoomId, type StaffId } from "../Ids.js"
import { NotFound } from "../NotFound.js"
import { Directory } from "../ports/Directory.js"
import { Ids } from "../ports/Ids.js"
import { Notifier } from "../ports/Notifier.js"
import { StaffChats } from "../ports/StaffChats.js"
import type { Staff } from "../Staff.js"
import { type ChatMessage, ChatRefusal, chatBody, chatMembers, chatRefusalText, type ChatRoom, isChatMember } from "../StaffChat.js"
import { audit } from "./Audit.js"
import { requireStaff } from "./Lookup.js"

/** A chat that cannot be started, or a message that cannot be posted, with what to fix. */
export class ChatRefused extends Schema.TaggedError<ChatRefused>()("ChatRefused", {
  reason: ChatRefusal
}) {
  override get message() {
    return chatRefusalText[this.reason]
  }
}

/** A room member as shown to the others. */
export interface ChatMember {
  readonly staffId: StaffId
  readonly name: string
  readonly active: boolean
}

/** A room in "my chats": the other members by name, unread messages of theirs, and the last activity. */
export interface ChatSummary {
  readonly room: ChatRoom
  readonly others: ReadonlyArray<ChatMember>
  readonly unread: number
}

/** An opened room: its members and its latest messages, oldest first. */
export interface ChatView {
  readonly room: ChatRoom
  readonly members: ReadonlyArray<ChatMember>
  readonly messages: ReadonlyArray<ChatMessage>
}

const activeStaff = (staffId: StaffId) =>
  Effect.gen(function* () {
    const staff = yield* requireStaff(staffId)
    if (!staff.active) return yield* new AccessDenied({ reason: "StaffInactive" })
    return staff
  })

const asActor = (staff: Staff) => ({ organisationId: staff.organisationId, actor: { _tag: "Staff", staffId: staff.id } as const })

/** The room, when the staff member is in it; any other room (or none) is `NotFound`, so an id reveals nothing. */
const memberRoom = (staff: Staff, roomId: ChatRoomId) =>
  Effect.gen(function* () {
    const found = yield* StaffChats.use((s) => s.getRoom(roomId))
    if (Option.isNone(found) || !isChatMember(found.value, staff)) return yield* new NotFound({ entity: "chat_room", id: roomId })
    return found.value
  })

const membersOf = (staffIds: ReadonlyArray<StaffId>) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const members: Array<ChatMember> = []
    for (const id of staffIds) {
      const staff = yield* directory.getStaff(id)
      members.push({ staffId: id, name: Option.isSome(staff) ? staff.value.name : "Former colleague", active: Option.isSome(staff) && staff.value.active })
    }
    return members
  })

/** The active colleagues one may chat with (their organisation's active staff but themselves), by name. */
export const chatColleagues = (input: { readonly staffId: StaffId }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const all = yield* Directory.use((d) => d.listStaff(staff.organisationId))
    return all
      .filter((s) => s.active && s.id !== staff.id && s.organisationId === staff.organisationId)
      .sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || (a.id < b.id ? -1 : 1))
  })

/**
 * Starts a chat with colleagues (S4), or reuses the pair's 1:1 room when there is one other person.
 * Everyone must be active staff of the starter's organisation; 2–8 people in all, the starter
 * included. A new room is audited `chat.start` (room id and size).
 */
export const startChat = (input: { readonly staffId: StaffId; readonly with: ReadonlyArray<StaffId> }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const directory = yield* Directory
    const colleagues: Array<Staff> = []
    for (const id of new Set(input.with)) {
      if (id === staff.id) continue
      const found = yield* directory.getStaff(id)
      if (Option.isSome(found)) colleagues.push(found.value)
    }
    const decided = chatMembers(staff, input.with, colleagues)
    if (!decided.ok) return yield* new ChatRefused({ reason: decided.refusal })
    const candidate: ChatRoom = {
      id: ChatRoomId.make(yield* Ids.use((ids) => ids.next("chr"))),
      organisationId: staff.organisationId,
      memberIds: decided.memberIds,
      startedBy: staff.id,
      createdAt: yield* Clock.currentTimeMillis,
      lastSeq: 0
    }
    const room = yield* StaffChats.use((s) => s.createRoom(candidate))
    if (room.id === candidate.id) yield* audit({ ...asActor(staff), action: "chat.start", detail: `room=${room.id} members=${room.memberIds.length}` })
    return room
  })

/**
 * Posts a message in a room the staff member is in (others: `NotFound`). Audited `chat.send` (room
 * and message ids only); every member's live events hear of it (`StaffChatActivity`, ids only), and
 * the author has read up to their own message.
 */
export const postChatMessage = (input: { readonly staffId: StaffId; readonly roomId: ChatRoomId; readonly body: string }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const room = yield* memberRoom(staff, input.roomId)
    const parsed = chatBody(input.body)
    if (!parsed.ok) return yield* new ChatRefused({ reason: parsed.refusal })
    const chats = yield* StaffChats
    const appended = yield* chats.appendMessage({
      id: ChatMessageId.make(yield* Ids.use((ids) => ids.next("chm"))),
      roomId: room.id,
      organisationId: room.organisationId,
      authorId: staff.id,
      body: parsed.body,
      at: yield* Clock.currentTimeMillis
    })
    if (Option.isNone(appended)) return yield* new NotFound({ entity: "chat_room", id: room.id })
    const message = appended.value
    yield* chats.markRead(room.id, staff.id, message.seq)
    yield* audit({ ...asActor(staff), action: "chat.send", detail: `room=${room.id} message=${message.id}` })
    yield* Notifier.use((n) =>
      n.publish({ _tag: "StaffChatActivity", organisationId: room.organisationId, roomId: room.id, staffIds: room.memberIds, authorId: staff.id }))
    return message
  })

/** The staff member's rooms, most recent activity first, with their unread counts and the other members' names. */
export const listMyChats = (input: { readonly staffId: StaffId }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const standings = yield* StaffChats.use((s) => s.roomsOf(staff.id))
    const summaries: Array<ChatSummary> = []
    for (const { room, unread } of standings) {
      if (!isChatMember(room, staff)) continue
      summaries.push({ room, unread, others: yield* membersOf(room.memberIds.filter((id) => id !== staff.id)) })
    }
    return summaries
  })

/** How many chat messages of others the staff member has not read, over all their rooms. */
export const unreadChatCount = (input: { readonly staffId: StaffId }) =>
  Effect.map(listMyChats(input), (rooms) => rooms.reduce((n, r) => n + r.unread, 0))

/**
 * Opens a room the staff member is in (others: `NotFound`): its members and latest messages (oldest
 * first), marked read for them. Audited `chat.read` (room id only).
 */
export const openChat = (input: { readonly staffId: StaffId; readonly roomId: ChatRoomId; readonly limit?: number }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const room = yield* memberRoom(staff, input.roomId)
    const chats = yield* StaffChats
    const newestFirst = yield* chats.messagesOf(room.id, { limit: Math.max(1, Math.min(input.limit ?? 50, 200)) })
    if (newestFirst.length > 0) yield* chats.markRead(room.id, staff.id, newestFirst[0]!.seq)
    yield* audit({ ...asActor(staff), action: "chat.read", detail: `room=${room.id}` })
    const view: ChatView = { room, members: yield* membersOf(room.memberIds), messages: [...newestFirst].reverse() }
    return view
  })

/**
 * Earlier messages of a room the staff member is in (others: `NotFound`), before the message numbered
 * `beforeSeq`, oldest first; "scroll up to see previous messages" (S4). Audited `chat.read`.
 */
export const olderChatMessages = (input: { readonly staffId: StaffId; readonly roomId: ChatRoomId; readonly beforeSeq: number; readonly limit?: number }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const room = yield* memberRoom(staff, input.roomId)
    const newestFirst = yield* StaffChats.use((s) => s.messagesOf(room.id, { limit: Math.max(1, Math.min(input.limit ?? 50, 200)), beforeSeq: input.beforeSeq }))
    yield* audit({ ...asActor(staff), action: "chat.read", detail: `room=${room.id} older` })
    const view: ChatView = { room, members: yield* membersOf(room.memberIds), messages: [...newestFirst].reverse() }
    return view
  })
