import { AuditLog, ClientCredentials, ClientLists, Conversations, Directory, OutboxStore, type ParticipantRef, PortalThreads, StaffChats } from "@careline/core"
import { Effect, Option } from "effect"
import { Roster } from "../Roster.js"
import { world } from "../testing/TestServer.js"
import type { SecurityWorld } from "./SecurityWorld.js"

/** Audit actions that record a read, not a change: a refused form may show a page, and showing is a read. */
const outboxStates = ["pending", "sending", "sent", "failed", "unknown"] as const

const reads = new Set(["channel.read", "inbox.view_colleague", "audit.export", "chat.read", "thread.read", "portal.sms_read"])

/**
 * Everything a request could change, in one comparable string: audited changes, messages and outbox
 * entries of every channel, the directory (staff, clients, lines, queues, assignments), every staff
 * member's saved client lists, secure-message threads and drafts, portal accounts and invitations,
 * and both organisations' settings. Equal before and after a refused
 * request means nothing was written.
 */
export const fingerprint = (w: SecurityWorld): Promise<string> =>
  w.server.runtime.runPromise(Effect.gen(function* () {
    const directory = yield* Directory
    const conversations = yield* Conversations
    const parts: Array<unknown> = []
    for (const organisationId of [world.staff.admin.organisationId, world.staff.adminB.organisationId]) {
      const audit = yield* AuditLog.use((log) => log.list(organisationId, {}))
      parts.push(audit.filter((e) => !reads.has(e.action)).length)
      parts.push(yield* directory.getOrganisation(organisationId))
      const staff = yield* directory.listStaff(organisationId)
      parts.push(staff)
      for (const member of staff) parts.push(yield* ClientLists.use((l) => l.listsOf(member.id)))
      // Staff chat rooms and how many messages each holds (what one has read is a read, not a write).
      for (const member of staff) parts.push((yield* StaffChats.use((c) => c.roomsOf(member.id))).map((r) => r.room))
      // Secure messages (issue 6): everyone's threads with their messages (and attachments), archived
      // flags (unread is what reading changes) and drafts; clients' portal accounts and invitations.
      const refs: ReadonlyArray<ParticipantRef> = [
        ...staff.map((s): ParticipantRef => ({ _tag: "Staff", staffId: s.id })),
        ...(yield* directory.listClients(organisationId)).map((c): ParticipantRef => ({ _tag: "Client", clientId: c.id }))
      ]
      const threads = yield* PortalThreads
      for (const ref of refs) {
        for (const { thread, state } of yield* threads.threadsOf(ref)) {
          parts.push(thread, state.archived, (yield* threads.messagesOf(thread.id)).map(({ id, body, attachments, chartedAt }) => ({ id, body, attachments, chartedAt })))
        }
        parts.push(yield* threads.draftsOf(ref))
        if (ref._tag === "Client") {
          parts.push(yield* ClientCredentials.use((c) => c.accountOf(ref.clientId)))
          parts.push(yield* ClientCredentials.use((c) => c.latestInvitationOf(ref.clientId)))
        }
      }
      parts.push(yield* directory.listLines(organisationId))
      parts.push(yield* directory.listQueues(organisationId))
      const clientIds = yield* Roster.use((roster) => roster.clientIdsOf(organisationId))
      for (const id of clientIds) {
        parts.push(yield* directory.getClient(id))
        parts.push(yield* directory.assignmentsOfClient(id))
      }
    }
    for (const id of Object.values(w.channels)) {
      // A refused form shows its page again, and showing a conversation reads it (unread → open): a read, not a write.
      parts.push(Option.map(yield* conversations.getChannel(id), ({ unreadCount: _, ...channel }) =>
        channel.status === "unread" ? { ...channel, status: "open" } : channel))
      parts.push((yield* conversations.listMessages(id, { limit: 1000 })).length)
    }
    const outbox = yield* OutboxStore
    for (const state of outboxStates) parts.push((yield* outbox.listByState(state)).length)
    return JSON.stringify(parts)
  }) as Effect.Effect<string, never, never>)
