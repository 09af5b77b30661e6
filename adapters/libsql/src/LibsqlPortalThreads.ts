import {
  compareByActivity,
  compareDrafts,
  compareMessages,
  type ParticipantRef,
  PortalThreads,
  refKey,
  sameRef,
  ThreadDraft,
  type ThreadId,
  ThreadMessage,
  type ThreadMessageId,
  ThreadRecord,
  ThreadState
} from "@careline/core"
import { and, asc, eq, inArray, isNull } from "drizzle-orm"
import { Effect, Option } from "effect"
import type { Database } from "./Database.js"
import { decodeAll, decodeFirst, decoder, parseJson, withoutNulls } from "./Decode.js"
import * as t from "./schema.js"
import type { Sql, Tx } from "./WriteBatcher.js"

const decodeThread = decoder("portal thread", ThreadRecord)
const decodeMessage = decoder("portal thread message", ThreadMessage)
const decodeState = decoder("portal thread state", ThreadState)
const decodeDraft = decoder("portal thread draft", ThreadDraft)

type ThreadRow = typeof t.portalThreads.$inferSelect
type ParticipantRow = typeof t.portalThreadParticipants.$inferSelect
type MessageRow = typeof t.portalThreadMessages.$inferSelect
type DraftRow = typeof t.portalThreadDrafts.$inferSelect

const refColumns = (ref: ParticipantRef) =>
  ref._tag === "Staff" ? { staffId: ref.staffId, clientId: null } : { staffId: null, clientId: ref.clientId }

const refOfColumns = (staffId: string | null, clientId: string | null): unknown =>
  staffId !== null ? { _tag: "Staff", staffId } : { _tag: "Client", clientId }

const threadFromRows = (row: ThreadRow, participants: ReadonlyArray<ParticipantRow>) => ({
  id: row.id,
  organisationId: row.organisationId,
  subject: row.subject,
  startedBy: row.starterKind === "Staff" ? { _tag: "Staff", staffId: row.starterStaffId } : { _tag: "Client", clientId: row.starterClientId },
  participants: participants.filter((p) => p.threadId === row.id).sort((a, b) => a.position - b.position).map((p) => refOfColumns(p.staffId, p.clientId)),
  createdAt: row.createdAt,
  lastActivityAt: row.lastActivityAt
})

const messageFromRow = (row: MessageRow) =>
  withoutNulls({
    id: row.id,
    threadId: row.threadId,
    author: refOfColumns(row.authorStaffId, row.authorClientId),
    body: row.body,
    at: row.at,
    attachments: parseJson(row.attachments),
    chartedAt: row.chartedAt
  })

const stateFromRow = (row: ParticipantRow) => ({
  threadId: row.threadId,
  participant: refOfColumns(row.staffId, row.clientId),
  unread: row.unread,
  archived: row.archived
})

const draftFromRow = (row: DraftRow) =>
  withoutNulls({
    id: row.id,
    organisationId: row.organisationId,
    author: refOfColumns(row.authorStaffId, row.authorClientId),
    recipients: parseJson(row.recipients),
    subject: row.subject,
    body: row.body,
    replyTo: row.replyTo,
    updatedAt: row.updatedAt
  })

const messageRow = (message: ThreadMessage) => {
  const author = refColumns(message.author)
  return {
    id: message.id,
    threadId: message.threadId,
    authorKey: refKey(message.author),
    authorStaffId: author.staffId,
    authorClientId: author.clientId,
    body: message.body,
    at: message.at,
    attachments: JSON.stringify(message.attachments),
    chartedAt: message.chartedAt ?? null
  }
}

/** The threads' rows with their participants, as `ThreadRecord` inputs. */
const withParticipants = async (db: Sql, rows: ReadonlyArray<ThreadRow>) => {
  if (rows.length === 0) return []
  const participants = await db
    .select()
    .from(t.portalThreadParticipants)
    .where(inArray(t.portalThreadParticipants.threadId, rows.map((row) => row.id)))
  return rows.map((row) => threadFromRows(row, participants))
}

/** After `author` wrote in the thread: their state read (archive kept), everyone else's unread and unarchived. */
const afterMessage = async (tx: Tx, threadId: ThreadId, author: ParticipantRef) => {
  const key = refKey(author)
  await tx.update(t.portalThreadParticipants).set({ unread: false })
    .where(and(eq(t.portalThreadParticipants.threadId, threadId), eq(t.portalThreadParticipants.participantKey, key)))
  const others = await tx.select({ key: t.portalThreadParticipants.participantKey }).from(t.portalThreadParticipants)
    .where(eq(t.portalThreadParticipants.threadId, threadId))
  const otherKeys = others.map((o) => o.key).filter((k) => k !== key)
  if (otherKeys.length > 0) {
    await tx.update(t.portalThreadParticipants).set({ unread: true, archived: false })
      .where(and(eq(t.portalThreadParticipants.threadId, threadId), inArray(t.portalThreadParticipants.participantKey, otherKeys)))
  }
}

/**
 * `PortalThreads` over `portal_threads`, `portal_thread_participants` (order and each one's state),
 * `portal_thread_messages` and `portal_thread_drafts`. Deletes are hard: the connection runs with
 * `secure_delete`, so freed cells and pages are zeroed, and a file database's WAL is checkpointed
 * and truncated afterwards, so the deleted text is left in neither file.
 */
export const make = (database: Database) => {
  /** Moves the WAL into the database file and empties it: the old pages there still hold deleted text. */
  const forgetDeleted = database.kind === "file"
    ? Effect.ignore(Effect.tryPromise(() => database.batcher.exclusive(() => database.client.execute("PRAGMA wal_checkpoint(TRUNCATE)"))))
    : Effect.void
  const messagesOf = (db: Sql, threadId: ThreadId) =>
    db.select().from(t.portalThreadMessages).where(eq(t.portalThreadMessages.threadId, threadId))
  return PortalThreads.of({
    startThread: (thread, first) =>
      database.write("PortalThreads.startThread", async (tx) => {
        const starter = refColumns(thread.startedBy)
        await tx.insert(t.portalThreads).values({
          id: thread.id,
          organisationId: thread.organisationId,
          subject: thread.subject,
          starterKind: thread.startedBy._tag,
          starterStaffId: starter.staffId,
          starterClientId: starter.clientId,
          createdAt: thread.createdAt,
          lastActivityAt: thread.lastActivityAt
        })
        const seen = new Set<string>()
        const rows = thread.participants.flatMap((p, position) => {
          if (seen.has(refKey(p))) return []
          seen.add(refKey(p))
          return [{ threadId: thread.id, participantKey: refKey(p), ...refColumns(p), position, unread: !sameRef(p, first.author), archived: false }]
        })
        if (rows.length > 0) await tx.insert(t.portalThreadParticipants).values(rows)
        await tx.insert(t.portalThreadMessages).values(messageRow(first))
      }),
    addMessage: (message) =>
      database.write("PortalThreads.addMessage", async (tx) => {
        const [thread] = await tx.select().from(t.portalThreads).where(eq(t.portalThreads.id, message.threadId))
        if (thread === undefined) return
        await tx.insert(t.portalThreadMessages).values(messageRow(message))
        await tx.update(t.portalThreads).set({ lastActivityAt: Math.max(thread.lastActivityAt, message.at) }).where(eq(t.portalThreads.id, thread.id))
        await afterMessage(tx, message.threadId, message.author)
      }),
    getThread: (id) =>
      database
        .read("PortalThreads.getThread", async (db) => withParticipants(db, await db.select().from(t.portalThreads).where(eq(t.portalThreads.id, id))))
        .pipe(Effect.flatMap(decodeFirst(decodeThread("PortalThreads.getThread")))),
    messagesOf: (threadId) =>
      database
        .read("PortalThreads.messagesOf", async (db) => (await messagesOf(db, threadId)).map(messageFromRow))
        .pipe(Effect.flatMap(decodeAll(decodeMessage("PortalThreads.messagesOf"))), Effect.map((messages) => [...messages].sort(compareMessages))),
    stateOf: (threadId, participant) =>
      database
        .read("PortalThreads.stateOf", async (db) =>
          (await db.select().from(t.portalThreadParticipants).where(and(
            eq(t.portalThreadParticipants.threadId, threadId),
            eq(t.portalThreadParticipants.participantKey, refKey(participant))
          ))).map(stateFromRow))
        .pipe(Effect.flatMap(decodeFirst(decodeState("PortalThreads.stateOf")))),
    threadsOf: (participant) =>
      database
        .read("PortalThreads.threadsOf", async (db) => {
          const key = refKey(participant)
          const states = await db.select().from(t.portalThreadParticipants).where(eq(t.portalThreadParticipants.participantKey, key))
          if (states.length === 0) return []
          const ids = states.map((s) => s.threadId)
          const threads = await withParticipants(db, await db.select().from(t.portalThreads).where(inArray(t.portalThreads.id, ids)))
          const authors = await db
            .selectDistinct({ threadId: t.portalThreadMessages.threadId, authorKey: t.portalThreadMessages.authorKey })
            .from(t.portalThreadMessages)
            .where(inArray(t.portalThreadMessages.threadId, ids))
          return threads.map((thread) => ({
            thread,
            state: stateFromRow(states.find((s) => s.threadId === thread.id)!),
            sent: authors.some((a) => a.threadId === thread.id && a.authorKey === key),
            received: authors.some((a) => a.threadId === thread.id && a.authorKey !== key)
          }))
        })
        .pipe(
          Effect.flatMap((rows) =>
            Effect.forEach(rows, (row) =>
              Effect.map(
                Effect.all([decodeThread("PortalThreads.threadsOf")(row.thread), decodeState("PortalThreads.threadsOf")(row.state)]),
                ([thread, state]) => ({ thread, state, sent: row.sent, received: row.received })
              ))),
          Effect.map((listings) => [...listings].sort((a, b) => compareByActivity(a.thread, b.thread)))
        ),
    updateStates: (threadIds, participant, change) =>
      threadIds.length === 0 || (change.unread === undefined && change.archived === undefined)
        ? Effect.void
        : database.write("PortalThreads.updateStates", async (tx) => {
            await tx.update(t.portalThreadParticipants)
              .set({ ...(change.unread === undefined ? {} : { unread: change.unread }), ...(change.archived === undefined ? {} : { archived: change.archived }) })
              .where(and(
                inArray(t.portalThreadParticipants.threadId, [...threadIds]),
                eq(t.portalThreadParticipants.participantKey, refKey(participant))
              ))
          }),
    markCharted: (messageIds, at) =>
      messageIds.length === 0
        ? Effect.void
        : database.write("PortalThreads.markCharted", async (tx) => {
            await tx.update(t.portalThreadMessages).set({ chartedAt: at })
              .where(and(inArray(t.portalThreadMessages.id, [...messageIds]), isNull(t.portalThreadMessages.chartedAt)))
          }),
    deleteMessage: (id: ThreadMessageId) =>
      database
        .write("PortalThreads.deleteMessage", async (tx) =>
          (await tx.delete(t.portalThreadMessages).where(eq(t.portalThreadMessages.id, id)).returning()).map(messageFromRow))
        .pipe(
          Effect.flatMap(decodeFirst(decodeMessage("PortalThreads.deleteMessage"))),
          Effect.tap((removed) => (Option.isSome(removed) ? forgetDeleted : Effect.void))
        ),
    deleteThread: (id) =>
      database
        .write("PortalThreads.deleteThread", async (tx) => {
          const removed = (await tx.delete(t.portalThreadMessages).where(eq(t.portalThreadMessages.threadId, id)).returning()).map(messageFromRow)
          await tx.delete(t.portalThreadDrafts).where(eq(t.portalThreadDrafts.replyTo, id))
          await tx.delete(t.portalThreadParticipants).where(eq(t.portalThreadParticipants.threadId, id))
          const threads = await tx.delete(t.portalThreads).where(eq(t.portalThreads.id, id)).returning({ id: t.portalThreads.id })
          return { removed, existed: threads.length > 0 }
        })
        .pipe(
          Effect.tap(({ existed }) => (existed ? forgetDeleted : Effect.void)),
          Effect.flatMap(({ removed }) => decodeAll(decodeMessage("PortalThreads.deleteThread"))(removed)),
          Effect.map((messages) => [...messages].sort(compareMessages))
        ),
    saveDraft: (draft) =>
      database.write("PortalThreads.saveDraft", async (tx) => {
        const author = refColumns(draft.author)
        const row = {
          organisationId: draft.organisationId,
          authorKey: refKey(draft.author),
          authorStaffId: author.staffId,
          authorClientId: author.clientId,
          recipients: JSON.stringify(draft.recipients),
          subject: draft.subject,
          body: draft.body,
          replyTo: draft.replyTo ?? null,
          updatedAt: draft.updatedAt
        }
        await tx.insert(t.portalThreadDrafts).values({ id: draft.id, ...row }).onConflictDoUpdate({ target: t.portalThreadDrafts.id, set: row })
      }),
    getDraft: (id) =>
      database
        .read("PortalThreads.getDraft", async (db) => (await db.select().from(t.portalThreadDrafts).where(eq(t.portalThreadDrafts.id, id))).map(draftFromRow))
        .pipe(Effect.flatMap(decodeFirst(decodeDraft("PortalThreads.getDraft")))),
    draftsOf: (author) =>
      database
        .read("PortalThreads.draftsOf", async (db) =>
          (await db.select().from(t.portalThreadDrafts).where(eq(t.portalThreadDrafts.authorKey, refKey(author))).orderBy(asc(t.portalThreadDrafts.id))).map(draftFromRow))
        .pipe(Effect.flatMap(decodeAll(decodeDraft("PortalThreads.draftsOf"))), Effect.map((drafts) => [...drafts].sort(compareDrafts))),
    deleteDraft: (id) =>
      database
        .write("PortalThreads.deleteDraft", async (tx) =>
          (await tx.delete(t.portalThreadDrafts).where(eq(t.portalThreadDrafts.id, id)).returning({ id: t.portalThreadDrafts.id })).length > 0)
        .pipe(Effect.tap((removed) => (removed ? forgetDeleted : Effect.void)))
  })
}
