import {
  type DraftId,
  listDrafts,
  listFolder,
  openDraft,
  openThread,
  type ParticipantView,
  type PortalActor,
  recipientChoices,
  refKey,
  type ThreadId,
  unreadThreadCount
} from "@careline/core"
import { Effect } from "effect"
import type { FolderContent } from "./FolderView.js"
import type { FolderName, RecipientGroups, ThreadModel } from "./SecureModel.js"

export const organisationOf = (actor: PortalActor) => (actor._tag === "Staff" ? actor.staff.organisationId : actor.client.organisationId)

const actorKey = (actor: PortalActor) => (actor._tag === "Staff" ? `staff:${actor.staff.id}` : `client:${actor.client.id}`)

const names = (people: ReadonlyArray<ParticipantView>) => people.map((p) => p.name).join(", ")

const roleLabel: Record<string, string> = {
  specialist: "therapist / specialist",
  coordinator: "coordinator",
  supervisor: "supervisor",
  admin: "admin",
  front_office: "front office"
}

/** A folder's rows (or the drafts) for the actor, as the folder page shows them. */
export const loadFolder = (actor: PortalActor, folder: FolderName) =>
  Effect.gen(function* () {
    if (folder === "drafts") {
      const drafts = yield* listDrafts(actor)
      const choices = yield* loadChoices(actor)
      const labels = new Map([...choices.staff, ...choices.clients].map((o) => [o.value, o.label.replace(/ \(.*\)$/, "")]))
      return {
        folder,
        rows: drafts.map((d) => ({
          id: d.id,
          subject: d.subject,
          to: d.recipients.map((r) => labels.get(refKey(r)) ?? "someone").join(", "),
          at: d.updatedAt,
          ...(d.replyTo === undefined ? {} : { replyTo: d.replyTo })
        }))
      } satisfies FolderContent
    }
    const summaries = yield* listFolder(actor, folder)
    return {
      folder,
      rows: summaries.map((s) => ({ id: s.thread.id, subject: s.thread.subject, with: names(s.participants), at: s.thread.lastActivityAt, unread: s.unread }))
    } satisfies FolderContent
  })

export const loadUnread = (actor: PortalActor) => unreadThreadCount(actor)

/**
 * The thread for its page (an audited read that marks it read): messages with author names, the
 * reply refusal in words, and what the actor may do.
 */
export const loadThread = (actor: PortalActor, threadId: ThreadId) =>
  Effect.map(openThread(actor, threadId), (view): ThreadModel => {
    const me = actorKey(actor)
    return {
      id: view.thread.id,
      subject: view.thread.subject,
      participants: view.participants.filter((p) => refKey(p.ref) !== me).map((p) => p.name),
      messages: view.messages.map((m) => ({
        id: m.id,
        authorName: refKey(m.author) === me ? `${m.authorName} (you)` : m.authorName,
        mine: refKey(m.author) === me,
        body: m.body,
        at: m.at,
        attachments: m.attachments.map((f) => ({ blobId: f.blobId, name: f.name, size: f.size })),
        charted: m.chartedAt !== undefined,
        deletable: m.deletable
      })),
      ...(view.replyRefusalMessage === undefined ? {} : { replyRefusal: view.replyRefusalMessage }),
      quickNoteAllowed: view.quickNoteAllowed,
      canDeleteThread: view.canDeleteThread
    }
  })

/** Whom the actor may address, as the To picker lists them (`staff:<id>` / `client:<id>`). */
export const loadChoices = (actor: PortalActor) =>
  Effect.map(recipientChoices(actor), (choices): RecipientGroups => ({
    staff: choices.staff.map((s) => ({ value: `staff:${s.staffId}`, label: `${s.name} (${roleLabel[s.role] ?? s.role})` })),
    clients: choices.clients.map((c) => ({ value: `client:${c.clientId}`, label: c.active ? `${c.name} (client)` : `${c.name} (client, inactive)` }))
  }))

/** One of the actor's drafts, with its recipients as picker values. */
export const loadDraft = (actor: PortalActor, draftId: DraftId) =>
  Effect.map(openDraft(actor, draftId), (draft) => ({
    id: draft.id as string,
    recipients: draft.recipients.map(refKey),
    subject: draft.subject,
    body: draft.body,
    ...(draft.replyTo === undefined ? {} : { replyTo: draft.replyTo as string })
  }))
