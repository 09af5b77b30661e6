import { Clock, Effect, Option, Schema } from "effect"
import { canAccessClient } from "../AccessPolicy.js"
import { type Assignment, isCurrentlyAssigned } from "../Assignment.js"
import type { BlobId, ClientId, DraftId, StaffId, ThreadId, ThreadMessageId } from "../Ids.js"
import { DraftId as DraftIdSchema, ThreadId as ThreadIdSchema, ThreadMessageId as ThreadMessageIdSchema } from "../Ids.js"
import { NotFound } from "../NotFound.js"
import { BlobStore } from "../ports/BlobStore.js"
import { ChartSink } from "../ports/ChartSink.js"
import { Directory } from "../ports/Directory.js"
import { Ids } from "../ports/Ids.js"
import { Notifier } from "../ports/Notifier.js"
import { PortalThreads } from "../ports/PortalThreads.js"
import type { StorageError } from "../ports/StorageError.js"
import { compareByActivity, type ThreadDraft, type ThreadMessage, type ThreadRecord } from "../PortalThread.js"
import type { StaffRole } from "../Staff.js"
import { StoredFile } from "../StoredFile.js"
import { hasControlCharacters, hasNul } from "../Text.js"
import {
  deleteMessageRefusal,
  deleteThreadRefusal,
  distinctRefs,
  inactiveClientRefusal,
  MIN_BODY_LENGTH,
  type ParticipantRef,
  quickNoteRefusal,
  refKey,
  replyRefusal,
  sameRef,
  type ThreadRefusal
} from "../Thread.js"
import {
  actorOrganisation,
  actorRef,
  auditThread,
  currentActor,
  onlyClient,
  orRefuse,
  participantThread,
  type ParticipantView,
  type PortalActor,
  refusalText,
  refuse,
  resolveParticipants,
  ruleParticipant,
  ruleThread
} from "./ThreadAccess.js"

export { type PortalActor, ThreadRefused, refusalText, type ParticipantView } from "./ThreadAccess.js"

/** A participant's folders (S1). Drafts are listed by {@link listDrafts}. */
export type Folder = "inbox" | "sent" | "drafts" | "archive"

export const MAX_SUBJECT_LENGTH = 200
export const MAX_BODY_LENGTH = 20_000
export const MAX_NOTE_LENGTH = 100_000

/** A thread in a folder list: subject, who takes part (names), newest activity, unread for the actor. */
export interface ThreadSummary {
  readonly thread: ThreadRecord
  /** Everyone but the actor (a client never sees the other clients of a group message). */
  readonly participants: ReadonlyArray<ParticipantView>
  readonly unread: boolean
  readonly archived: boolean
}

export interface ThreadMessageView {
  readonly message: ThreadMessage
  readonly id: ThreadMessageId
  readonly author: ParticipantRef
  readonly authorName: string
  readonly body: string
  readonly at: number
  readonly attachments: ReadonlyArray<StoredFile>
  readonly chartedAt?: number
  /** The actor may delete it (staff, their own message). */
  readonly deletable: boolean
}

/** A thread opened by a participant: everything its page shows and which actions it offers. */
export interface ThreadView {
  readonly thread: ThreadRecord
  /** Everyone taking part, the actor included (a client never sees the other clients of a group message). */
  readonly participants: ReadonlyArray<ParticipantView>
  readonly messages: ReadonlyArray<ThreadMessageView>
  /** Why the actor may not reply, when they may not. */
  readonly replyRefusal?: ThreadRefusal
  /** The sentence to show for {@link replyRefusal}. */
  readonly replyRefusalMessage?: string
  readonly quickNoteAllowed: boolean
  readonly canDeleteThread: boolean
}

export interface RecipientChoices {
  readonly staff: ReadonlyArray<{ readonly staffId: StaffId; readonly name: string; readonly role: StaffRole }>
  readonly clients: ReadonlyArray<{ readonly clientId: ClientId; readonly name: string; readonly active: boolean }>
}

const invalid = (message: string) => refuse("InvalidMessage", message)

const checkSubject = (subject: string) => {
  const s = subject.trim()
  if (s === "") return Effect.fail(invalid("Enter a subject."))
  if (s.length > MAX_SUBJECT_LENGTH) return Effect.fail(invalid(`A subject has at most ${MAX_SUBJECT_LENGTH} characters.`))
  if (hasControlCharacters(s)) return Effect.fail(invalid("A subject cannot contain control characters or line breaks."))
  return Effect.succeed(s)
}

const checkBody = (body: string) => {
  const b = body.trim()
  if (b.length < MIN_BODY_LENGTH) return Effect.fail(invalid(`A message needs at least ${MIN_BODY_LENGTH} characters.`))
  if (b.length > MAX_BODY_LENGTH) return Effect.fail(invalid(`A message has at most ${MAX_BODY_LENGTH.toLocaleString("en")} characters.`))
  if (hasNul(b)) return Effect.fail(invalid("A message cannot contain a NUL character."))
  return Effect.succeed(b)
}

const checkAttachments = (attachments: ReadonlyArray<StoredFile>) =>
  Schema.decodeUnknownEffect(Schema.Array(StoredFile))(attachments).pipe(
    Effect.mapError(() => invalid("An attachment could not be read; attach it again."))
  )

/** Whether the (current) actor may address this recipient (S1). */
const mayAddress = (
  actor: PortalActor,
  recipient: ParticipantView,
  assignments: (clientId: ClientId) => Effect.Effect<ReadonlyArray<Assignment>, StorageError, Directory>
) =>
  Effect.gen(function* () {
    const ref = recipient.ref
    if (actor._tag === "Staff") {
      if (ref._tag === "Staff") return recipient.active
      const client = yield* Directory.use((d) => d.getClient(ref.clientId))
      if (Option.isNone(client)) return false
      return canAccessClient(actor.staff, client.value, yield* assignments(ref.clientId))._tag === "Allowed"
    }
    if (ref._tag === "Client" || !recipient.active) return false
    if (recipient.role === "front_office") return true
    return isCurrentlyAssigned(yield* assignments(actor.client.id), ref.staffId, actor.client.id)
  })

/** Recipients as given: distinct, without the actor, each one the actor may address; or a refusal. */
const checkRecipients = (actor: PortalActor, recipients: ReadonlyArray<ParticipantRef>) =>
  Effect.gen(function* () {
    const me = actorRef(actor)
    const refs = distinctRefs(recipients).filter((r) => !sameRef(r, me))
    if (refs.length === 0) return yield* refuse("NoRecipients")
    const views = yield* resolveParticipants(actorOrganisation(actor), refs)
    const assignments = (clientId: ClientId) => Directory.use((d) => d.assignmentsOfClient(clientId))
    for (const view of views) if (!(yield* mayAddress(actor, view, assignments))) return yield* refuse("RecipientNotAllowed")
    if (actor._tag === "Client") {
      yield* orRefuse(inactiveClientRefusal({ _tag: "Client", clientId: actor.client.id, active: actor.client.active }, views.map(ruleParticipant)))
    }
    return refs
  })

const newMessage = (threadId: ThreadId, author: ParticipantRef, body: string, attachments: ReadonlyArray<StoredFile>, at: number) =>
  Effect.map(Ids.use((ids) => ids.next("tmsg")), (id): ThreadMessage => ({
    id: ThreadMessageIdSchema.make(id),
    threadId,
    author,
    body,
    at,
    attachments: [...attachments]
  }))

const notifyOthers = (thread: ThreadRecord, author: ParticipantRef) =>
  Notifier.use((n) =>
    n.publish({
      _tag: "PortalActivity",
      organisationId: thread.organisationId,
      threadId: thread.id,
      recipients: thread.participants.filter((p) => !sameRef(p, author))
    }))

/** Deletes the actor's own draft if it exists; someone else's (or none) is left alone. */
const discardOwnDraft = (actor: PortalActor, draftId: DraftId | undefined) =>
  Effect.gen(function* () {
    if (draftId === undefined) return
    const draft = yield* PortalThreads.use((t) => t.getDraft(draftId))
    if (Option.isSome(draft) && sameRef(draft.value.author, actorRef(actor))) yield* PortalThreads.use((t) => t.deleteDraft(draftId))
  })

const sendDetail = (thread: ThreadRecord, message: ThreadMessage) =>
  `thread=${thread.id} message=${message.id} recipients=${thread.participants.length - 1} attachments=${message.attachments.length}`

/**
 * Starts a thread (S1): subject required, body of at least 10 characters, any recipients the actor
 * may address (staff: active colleagues and clients they may access; clients: their assigned staff
 * and front office, only front office when inactive). Audited `thread.send`; every recipient is
 * notified (`PortalActivity`, ids only). A draft it was written from is deleted.
 */
export const composeThread = (
  actorIn: PortalActor,
  input: {
    readonly recipients: ReadonlyArray<ParticipantRef>
    readonly subject: string
    readonly body: string
    readonly attachments: ReadonlyArray<StoredFile>
    readonly draftId?: DraftId
  }
) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const subject = yield* checkSubject(input.subject)
    const body = yield* checkBody(input.body)
    const attachments = yield* checkAttachments(input.attachments)
    const recipients = yield* checkRecipients(actor, input.recipients)
    const me = actorRef(actor)
    const now = yield* Clock.currentTimeMillis
    const thread: ThreadRecord = {
      id: ThreadIdSchema.make(yield* Ids.use((ids) => ids.next("thr"))),
      organisationId: actorOrganisation(actor),
      subject,
      startedBy: me,
      participants: [me, ...recipients],
      createdAt: now,
      lastActivityAt: now
    }
    const message = yield* newMessage(thread.id, me, body, attachments, now)
    yield* PortalThreads.use((t) => t.startThread(thread, message))
    yield* discardOwnDraft(actor, input.draftId)
    yield* auditThread(actor, "thread.send", thread.participants, sendDetail(thread, message))
    yield* notifyOthers(thread, me)
    return thread.id
  })

/**
 * Replies to all in a thread the actor takes part in (others: `NotFound`). Refused with two or more
 * clients, and to an inactive client writing to anyone but front office. Audited `thread.send`;
 * every other participant is notified and finds the thread unread (and out of their archive).
 */
export const replyToThread = (
  actorIn: PortalActor,
  threadId: ThreadId,
  input: { readonly body: string; readonly attachments: ReadonlyArray<StoredFile>; readonly draftId?: DraftId }
) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const thread = yield* participantThread(actor, threadId)
    const body = yield* checkBody(input.body)
    const attachments = yield* checkAttachments(input.attachments)
    const views = yield* resolveParticipants(thread.organisationId, thread.participants)
    const me = actorRef(actor)
    const rules = ruleThread(thread, views)
    yield* orRefuse(replyRefusal(rules, ruleParticipant(views.find((v) => sameRef(v.ref, me))!)))
    const message = yield* newMessage(thread.id, me, body, attachments, yield* Clock.currentTimeMillis)
    yield* PortalThreads.use((t) => t.addMessage(message))
    yield* discardOwnDraft(actor, input.draftId)
    yield* auditThread(actor, "thread.send", thread.participants, sendDetail(thread, message))
    yield* notifyOthers(thread, me)
    return message.id
  })

/** What the actor may see of the participants: a client never sees the other clients. */
const visibleTo = (actor: PortalActor, views: ReadonlyArray<ParticipantView>) => {
  const me = actorRef(actor)
  return actor._tag === "Staff" ? views : views.filter((v) => v.ref._tag === "Staff" || sameRef(v.ref, me))
}

/**
 * Opens a thread the actor takes part in (others: `NotFound`) and marks it read for them. Audited
 * `thread.read` (the thread id only).
 */
export const openThread = (actorIn: PortalActor, threadId: ThreadId) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const thread = yield* participantThread(actor, threadId)
    const me = actorRef(actor)
    const threads = yield* PortalThreads
    const messages = yield* threads.messagesOf(thread.id)
    const authors = messages.map((m) => m.author).filter((a) => !thread.participants.some((p) => sameRef(p, a)))
    const views = yield* resolveParticipants(thread.organisationId, [...thread.participants, ...distinctRefs(authors)])
    const rules = ruleThread(thread, views)
    const mine = ruleParticipant(views.find((v) => sameRef(v.ref, me))!)
    const nameOf = (ref: ParticipantRef) => views.find((v) => sameRef(v.ref, ref))?.name ?? ""
    const refusal = replyRefusal(rules, mine)
    yield* threads.updateStates([thread.id], me, { unread: false })
    yield* auditThread(actor, "thread.read", thread.participants, `thread=${thread.id}`)
    const view: ThreadView = {
      thread,
      participants: visibleTo(actor, views.filter((v) => thread.participants.some((p) => sameRef(p, v.ref)))),
      messages: messages.map((message): ThreadMessageView => ({
        message,
        id: message.id,
        author: message.author,
        authorName: nameOf(message.author),
        body: message.body,
        at: message.at,
        attachments: message.attachments,
        ...(message.chartedAt === undefined ? {} : { chartedAt: message.chartedAt }),
        deletable: deleteMessageRefusal(mine, ruleParticipant(views.find((v) => sameRef(v.ref, message.author))!)) === undefined
      })),
      ...(refusal === undefined ? {} : { replyRefusal: refusal, replyRefusalMessage: refusalText(refusal) }),
      quickNoteAllowed: actor._tag === "Staff" && quickNoteRefusal(rules) === undefined,
      canDeleteThread: deleteThreadRefusal(mine, rules) === undefined
    }
    return view
  })

/**
 * One folder of the actor's threads, newest activity first, each with the actor's unread flag:
 * inbox = not archived and written to by someone else; sent = not archived and written by the actor;
 * archive = archived by the actor.
 */
export const listFolder = (actorIn: PortalActor, folder: Exclude<Folder, "drafts">) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const listings = (yield* PortalThreads.use((t) => t.threadsOf(actorRef(actor))))
      .filter((l) => l.thread.organisationId === actorOrganisation(actor))
      .filter((l) =>
        folder === "archive" ? l.state.archived : folder === "sent" ? !l.state.archived && l.sent : !l.state.archived && l.received)
      .sort((a, b) => compareByActivity(a.thread, b.thread))
    const me = actorRef(actor)
    const everyone = distinctRefs(listings.flatMap((l) => l.thread.participants))
    const views = yield* resolveParticipants(actorOrganisation(actor), everyone)
    const byKey = new Map(views.map((v) => [refKey(v.ref), v]))
    return listings.map((l): ThreadSummary => ({
      thread: l.thread,
      participants: visibleTo(actor, l.thread.participants.map((p) => byKey.get(refKey(p))!)).filter((v) => !sameRef(v.ref, me)),
      unread: l.state.unread,
      archived: l.state.archived
    }))
  })

/** How many threads in the actor's inbox are unread. */
export const unreadThreadCount = (actorIn: PortalActor) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const listings = yield* PortalThreads.use((t) => t.threadsOf(actorRef(actor)))
    return listings.filter((l) => l.thread.organisationId === actorOrganisation(actor) && !l.state.archived && l.received && l.state.unread).length
  })

/** The actor's own threads among these ids (others are ignored: an id reveals nothing). */
const ownThreadIds = (actor: PortalActor, threadIds: ReadonlyArray<ThreadId>) =>
  Effect.gen(function* () {
    const mine = new Set((yield* PortalThreads.use((t) => t.threadsOf(actorRef(actor)))).filter((l) => l.thread.organisationId === actorOrganisation(actor)).map((l) => l.thread.id as string))
    return [...new Set(threadIds)].filter((id) => mine.has(id))
  })

const changeStates = (action: "thread.mark_read" | "thread.archive", change: { readonly unread?: boolean; readonly archived?: boolean }, label: string) =>
  (actorIn: PortalActor, threadIds: ReadonlyArray<ThreadId>) =>
    Effect.gen(function* () {
      const actor = yield* currentActor(actorIn)
      const ids = yield* ownThreadIds(actor, threadIds)
      if (ids.length === 0) return
      yield* PortalThreads.use((t) => t.updateStates(ids, actorRef(actor), change))
      yield* auditThread(actor, action, [], `${label} threads=${ids.join(",")}`)
    })

/** Marks the actor's threads among these as read (others are ignored). Audited `thread.mark_read`. */
export const markThreadsRead = changeStates("thread.mark_read", { unread: false }, "read")

/** Moves the actor's threads among these to their archive (a new message brings one back). Audited `thread.archive`. */
export const archiveThreads = changeStates("thread.archive", { archived: true }, "archived")

/** Brings the actor's threads among these back from their archive. Audited `thread.archive`. */
export const unarchiveThreads = changeStates("thread.archive", { archived: false }, "unarchived")

const removeBlobs = (messages: ReadonlyArray<ThreadMessage>) =>
  Effect.forEach(messages.flatMap((m) => m.attachments), (file) => BlobStore.use((b) => b.delete(file.blobId)), { discard: true })

/**
 * Permanently deletes a message: only its staff author may (S1). Its text is gone from the store and
 * its attachments' bytes from the `BlobStore`; the audit event (`thread.delete_message`, ids) stays.
 */
export const deleteThreadMessage = (actorIn: PortalActor, threadId: ThreadId, messageId: ThreadMessageId) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const thread = yield* participantThread(actor, threadId)
    const threads = yield* PortalThreads
    const message = (yield* threads.messagesOf(thread.id)).find((m) => m.id === messageId)
    if (message === undefined) return yield* new NotFound({ entity: "thread_message", id: messageId })
    const views = yield* resolveParticipants(thread.organisationId, [actorRef(actor), message.author])
    yield* orRefuse(deleteMessageRefusal(ruleParticipant(views[0]!), ruleParticipant(views[1]!)))
    yield* threads.deleteMessage(message.id)
    yield* removeBlobs([message])
    yield* auditThread(actor, "thread.delete_message", thread.participants, `thread=${thread.id} message=${message.id} attachments=${message.attachments.length}`)
  })

/**
 * Permanently deletes a whole thread: only the staff member who started it may (S1). Messages,
 * everyone's states, drafts replying to it and attachment bytes are gone; `thread.delete` stays.
 */
export const deleteThread = (actorIn: PortalActor, threadId: ThreadId) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const thread = yield* participantThread(actor, threadId)
    const views = yield* resolveParticipants(thread.organisationId, thread.participants)
    const me = ruleParticipant(views.find((v) => sameRef(v.ref, actorRef(actor)))!)
    yield* orRefuse(deleteThreadRefusal(me, ruleThread(thread, views)))
    const removed = yield* PortalThreads.use((t) => t.deleteThread(thread.id))
    yield* removeBlobs(removed)
    yield* auditThread(actor, "thread.delete", thread.participants, `thread=${thread.id} messages=${removed.length}`)
  })

/** A staff participant's thread that may go to the chart (exactly one client), with its client. */
const chartableThread = (actor: PortalActor, threadId: ThreadId) =>
  Effect.gen(function* () {
    const thread = yield* participantThread(actor, threadId)
    if (actor._tag !== "Staff") return yield* refuse("StaffOnly")
    const views = yield* resolveParticipants(thread.organisationId, thread.participants)
    yield* orRefuse(quickNoteRefusal(ruleThread(thread, views)))
    return { thread, views, clientId: onlyClient(thread.participants)! }
  })

const pad = (n: number) => String(n).padStart(2, "0")

/** `2024-05-01 14:03` in the time zone. */
const localTime = (timeZone: string, at: number) => {
  const parts: Record<string, string> = {}
  const format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" })
  for (const part of format.formatToParts(at)) parts[part.type] = part.value
  return `${parts["year"]}-${pad(Number(parts["month"]))}-${pad(Number(parts["day"]))} ${pad(Number(parts["hour"]))}:${parts["minute"]}`
}

/**
 * A proposed quick note for the client's chart (S1): the thread as plain text, oldest message first,
 * in the organisation's time zone. Staff participants only, threads with exactly one client.
 */
export const quickNoteText = (actorIn: PortalActor, threadId: ThreadId) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const { thread, views } = yield* chartableThread(actor, threadId)
    const organisation = yield* Directory.use((d) => d.getOrganisation(thread.organisationId))
    const timeZone = Option.match(organisation, { onNone: () => "UTC", onSome: (o) => o.businessHours.timeZone })
    const messages = yield* PortalThreads.use((t) => t.messagesOf(thread.id))
    const authorViews = yield* resolveParticipants(thread.organisationId, distinctRefs(messages.map((m) => m.author)))
    const nameOf = (ref: ParticipantRef) => [...views, ...authorViews].find((v) => sameRef(v.ref, ref))?.name ?? ""
    const lines = [
      `Secure message: ${thread.subject}`,
      `Participants: ${views.map((v) => v.name).join(", ")}`,
      ...messages.flatMap((m) => [
        "",
        `${localTime(timeZone, m.at)} ${nameOf(m.author)}:`,
        m.body,
        ...(m.attachments.length === 0 ? [] : [`Attachments: ${m.attachments.map((a) => a.name).join(", ")}`])
      ])
    ]
    return lines.join("\n")
  })

/**
 * Sends a quick note (the staff member's edited text) to the client's clinical record through the
 * `ChartSink`, then marks every message of the thread "sent to clinical record". Audited
 * `thread.quick_note` (ids only).
 */
export const sendQuickNote = (actorIn: PortalActor, threadId: ThreadId, text: string) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const { thread, clientId } = yield* chartableThread(actor, threadId)
    const note = text.trim()
    if (note === "") return yield* invalid("The note is empty.")
    if (note.length > MAX_NOTE_LENGTH) return yield* invalid(`A note has at most ${MAX_NOTE_LENGTH.toLocaleString("en")} characters.`)
    if (hasNul(note)) return yield* invalid("A note cannot contain a NUL character.")
    if (actor._tag !== "Staff") return yield* refuse("StaffOnly")
    const at = yield* Clock.currentTimeMillis
    yield* ChartSink.use((sink) => sink.record({ organisationId: thread.organisationId, clientId, author: actor.staff.id, text: note, at }))
    const messages = yield* PortalThreads.use((t) => t.messagesOf(thread.id))
    yield* PortalThreads.use((t) => t.markCharted(messages.map((m) => m.id), at))
    yield* auditThread(actor, "thread.quick_note", thread.participants, `thread=${thread.id} messages=${messages.length}`)
  })

/**
 * Whom the actor may address, by name: for staff, active colleagues (not themselves) and the clients
 * they may access; for a client, their assigned staff and front office (front office only when inactive).
 */
export const recipientChoices = (actorIn: PortalActor) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const directory = yield* Directory
    const organisationId = actorOrganisation(actor)
    const colleagues = (yield* directory.listStaff(organisationId)).filter((s) => s.active)
    const byName = <A extends { readonly name: string }>(a: A, b: A) => a.name.localeCompare(b.name)
    if (actor._tag === "Staff") {
      const clients: Array<{ clientId: ClientId; name: string; active: boolean }> = []
      for (const client of yield* directory.listClients(organisationId)) {
        if (canAccessClient(actor.staff, client, yield* directory.assignmentsOfClient(client.id))._tag === "Allowed") {
          clients.push({ clientId: client.id, name: client.name, active: client.active })
        }
      }
      return {
        staff: colleagues.filter((s) => s.id !== actor.staff.id).map((s) => ({ staffId: s.id, name: s.name, role: s.role })).sort(byName),
        clients: clients.sort(byName)
      }
    }
    const assignments = yield* directory.assignmentsOfClient(actor.client.id)
    const reachable = colleagues.filter((s) =>
      s.role === "front_office" || (actor.client.active && isCurrentlyAssigned(assignments, s.id, actor.client.id)))
    return { staff: reachable.map((s) => ({ staffId: s.id, name: s.name, role: s.role })).sort(byName), clients: [] }
  })

/** The actor's drafts, newest first. */
export const listDrafts = (actorIn: PortalActor) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const drafts = yield* PortalThreads.use((t) => t.draftsOf(actorRef(actor)))
    return drafts.filter((d) => d.organisationId === actorOrganisation(actor))
  })

/** One of the actor's drafts; anyone else's (or none) is `NotFound`. */
export const openDraft = (actorIn: PortalActor, draftId: DraftId) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    return yield* ownDraft(actor, draftId)
  })

const ownDraft = (actor: PortalActor, draftId: DraftId) =>
  Effect.gen(function* () {
    const found = yield* PortalThreads.use((t) => t.getDraft(draftId))
    if (Option.isNone(found) || !sameRef(found.value.author, actorRef(actor)) || found.value.organisationId !== actorOrganisation(actor)) {
      return yield* new NotFound({ entity: "draft", id: draftId })
    }
    return found.value
  })

/**
 * Saves a draft (new, or the actor's own `draftId`): unfinished subject and body are fine, but no
 * NUL and no recipient the actor may not address; `replyTo` must be a thread they take part in.
 * Audited `thread.draft_save` (ids only).
 */
export const saveDraft = (
  actorIn: PortalActor,
  input: {
    readonly draftId?: DraftId
    readonly recipients: ReadonlyArray<ParticipantRef>
    readonly subject: string
    readonly body: string
    readonly replyTo?: ThreadId
  }
) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const existing = input.draftId === undefined ? undefined : yield* ownDraft(actor, input.draftId)
    if (input.replyTo !== undefined) yield* participantThread(actor, input.replyTo)
    const subject = input.subject.trim()
    if (subject.length > MAX_SUBJECT_LENGTH) return yield* invalid(`A subject has at most ${MAX_SUBJECT_LENGTH} characters.`)
    if (hasControlCharacters(subject)) return yield* invalid("A subject cannot contain control characters or line breaks.")
    if (input.body.length > MAX_BODY_LENGTH) return yield* invalid(`A message has at most ${MAX_BODY_LENGTH.toLocaleString("en")} characters.`)
    if (hasNul(input.body)) return yield* invalid("A message cannot contain a NUL character.")
    const recipients: ReadonlyArray<ParticipantRef> = input.recipients.length === 0 ? [] : yield* checkRecipients(actor, input.recipients).pipe(
      Effect.catchTag("ThreadRefused", (e) => (e.reason === "NoRecipients" ? Effect.succeed([]) : Effect.fail(e)))
    )
    const draft: ThreadDraft = {
      id: existing?.id ?? DraftIdSchema.make(yield* Ids.use((ids) => ids.next("drf"))),
      organisationId: actorOrganisation(actor),
      author: actorRef(actor),
      recipients,
      subject,
      body: input.body,
      ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
      updatedAt: yield* Clock.currentTimeMillis
    }
    yield* PortalThreads.use((t) => t.saveDraft(draft))
    yield* auditThread(actor, "thread.draft_save", recipients, `draft=${draft.id}${input.replyTo === undefined ? "" : ` thread=${input.replyTo}`}`)
    return draft.id
  })

/** Deletes one of the actor's drafts (others: `NotFound`). Audited `thread.draft_delete`. */
export const deleteDraft = (actorIn: PortalActor, draftId: DraftId) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const draft = yield* ownDraft(actor, draftId)
    yield* PortalThreads.use((t) => t.deleteDraft(draft.id))
    yield* auditThread(actor, "thread.draft_delete", draft.recipients, `draft=${draft.id}`)
  })

/**
 * An attachment of a thread the actor takes part in, to serve (others, or a blob not in the thread:
 * `NotFound`). Audited `thread.read` with the thread, message and blob ids.
 */
export const threadAttachment = (actorIn: PortalActor, threadId: ThreadId, blobId: BlobId) =>
  Effect.gen(function* () {
    const actor = yield* currentActor(actorIn)
    const thread = yield* participantThread(actor, threadId)
    const messages = yield* PortalThreads.use((t) => t.messagesOf(thread.id))
    for (const message of messages) {
      const file = message.attachments.find((a) => a.blobId === blobId)
      if (file !== undefined) {
        yield* auditThread(actor, "thread.read", thread.participants, `thread=${thread.id} message=${message.id} file=${blobId}`)
        return file
      }
    }
    return yield* new NotFound({ entity: "thread_message", id: blobId })
  })
