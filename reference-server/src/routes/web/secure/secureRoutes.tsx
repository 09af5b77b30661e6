import { BlobId, DraftId, type StoredFile, ThreadId, ThreadMessageId } from "@careline/core"
import * as Core from "@careline/core"
import { Clock, Effect, Schema } from "effect"
import { type Context, type Env, Hono } from "hono"
import type { HtmlEscapedString } from "hono/utils/html"
import { InvalidRequest } from "../../../http/ApiError.js"
import { pathId } from "../../../http/Input.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { readUpload, serveStoredFile } from "../../../web/Uploads.js"
import { timeZoneOf } from "../messages/Messenger.js"
import { ComposeForm, ComposePage, Problems } from "./ComposeView.js"
import { FolderPage, FolderRegion } from "./FolderView.js"
import { loadChoices, loadDraft, loadFolder, loadThread, loadUnread, organisationOf } from "./SecureLoad.js"
import { decodeBulk, decodeCompose, decodeFolderQuery, decodeQuickNote, decodeReply, fieldsOf, type FormFields } from "./SecureForms.js"
import type { ComposeModel, SecureContext } from "./SecureModel.js"
import { describeFailure, isHtmx, type PageStatus, runSecure, type SecureSide } from "./SecurePages.js"
import { MessageList, QuickNoteEditor, ThreadPage } from "./ThreadView.js"

/** Fixed notices after an action (never user text from the address). */
const notices = {
  sent: "Message sent.",
  replied: "Reply sent.",
  saved: "Draft saved.",
  deleted: "Draft deleted.",
  message_deleted: "The message was deleted for everyone.",
  thread_deleted: "The conversation was deleted for everyone.",
  read: "Marked as read.",
  archived: "Archived.",
  unarchived: "Moved back to the inbox.",
  charted: "The note was sent to the clinical record."
} as const
type NoticeKey = keyof typeof notices
const noticeOf = (c: Context): string | undefined => {
  const key = c.req.query("done")
  return key !== undefined && Object.hasOwn(notices, key) ? notices[key as NoticeKey] : undefined
}

/** After a plain form: back to a page of ours with a notice; after htmx, the same as `HX-Redirect`. */
const goTo = (c: Context, url: string) =>
  Effect.sync(() => (isHtmx(c) ? c.body(null, 200, { "hx-redirect": url }) : c.redirect(url, 303)))

/** Form fields (url-encoded), or fields and uploaded files (multipart, streamed to the BlobStore). */
const readForm = (c: Context) => {
  const type = c.req.header("content-type") ?? ""
  if (type.startsWith("multipart/form-data")) {
    return Effect.map(readUpload(c), (upload): { readonly fields: FormFields; readonly files: ReadonlyArray<StoredFile> } => ({ fields: fieldsOf(upload.fields), files: upload.files }))
  }
  return Effect.promise(async () => ({ fields: fieldsOf(await c.req.parseBody({ all: true })), files: [] as ReadonlyArray<StoredFile> }))
}

/** An htmx fragment (no page around it). */
const fragment = (c: Context, content: HtmlEscapedString | Promise<HtmlEscapedString>, status: PageStatus = 200) =>
  Effect.promise(async (): Promise<Response> => c.html(content, status))

/**
 * A refused htmx send: only the problems, swapped into the form's problems slot, so what was typed
 * and the files chosen stay in the browser.
 */
const problemsFragment = (c: Context, slot: string, problems: ReadonlyArray<string>, status: PageStatus) =>
  Effect.andThen(
    Effect.sync(() => {
      c.header("hx-retarget", slot)
      c.header("hx-reswap", "innerHTML")
    }),
    fragment(c, <Problems problems={problems} />, status)
  )

/** Files stored for a send that did not happen are removed again. */
const discard = (files: ReadonlyArray<StoredFile>) =>
  Effect.forEach(files, (file) => Core.BlobStore.use((blobs) => blobs.delete(file.blobId)).pipe(Effect.ignore), { discard: true })

const problemsOf = (error: unknown): ReadonlyArray<string> => {
  if (error instanceof InvalidRequest) return error.problems
  return [describeFailure(error).text]
}

/**
 * The secure-message pages (S1) for one side: folders with bulk actions, compose with drafts and
 * attachments, a thread with reply, deletes, quick note to chart and attachment downloads. Every
 * read and write goes through the core's `SecureMessages` services (participants only; others 404).
 */
export const secureRoutes = <E extends Env>(runtime: ServerRuntime, side: SecureSide<E>) => {
  const { base } = side
  const contextOf = (c: Context<E>) =>
    Effect.gen(function* () {
      const timeZone = yield* timeZoneOf(organisationOf(side.actor(c)))
      const now = yield* Clock.currentTimeMillis
      return { base, actor: side.actor(c)._tag === "Staff" ? "staff" : "client", csrfToken: side.csrfToken(c), timeZone, now } satisfies SecureContext
    })
  const page = (c: Context<E>, title: string, content: Parameters<SecureSide<E>["page"]>[2], status: PageStatus = 200) =>
    Effect.promise(async () => side.page(c, title, content, status))
  const html = (c: Context<E>, title: string, content: HtmlEscapedString | Promise<HtmlEscapedString>, status: PageStatus = 200) =>
    isHtmx(c) ? fragment(c, content, status) : page(c, title, content, status)
  const threadIdOf = (c: Context<E>) => pathId(c.req.param("id"), "thread", ThreadId.make)
  const threadUrl = (id: string, done?: NoticeKey) => `${base}/threads/${encodeURIComponent(id)}${done === undefined ? "" : `?done=${done}`}`

  const folderRegion = (c: Context<E>, notice?: string) =>
    Effect.gen(function* () {
      const query = yield* decodeFolderQuery(c.req.query())
      const actor = side.actor(c)
      const content = yield* loadFolder(actor, query.folder ?? "inbox")
      const unread = yield* loadUnread(actor)
      const context = yield* contextOf(c)
      return { content, unread, context, ...(notice === undefined ? {} : { notice }) }
    })

  const composePage = (c: Context<E>, model: ComposeModel, status: PageStatus = 200) =>
    Effect.gen(function* () {
      const choices = yield* loadChoices(side.actor(c))
      const context = yield* contextOf(c)
      if (isHtmx(c)) return yield* fragment(c, <ComposeForm model={model} choices={choices} context={context} />, status)
      return yield* page(c, "New message", <ComposePage model={model} choices={choices} context={context} />, status)
    })

  const threadPage = (c: Context<E>, id: ThreadId, reply: Parameters<typeof ThreadPage>[0]["reply"], status: PageStatus = 200) =>
    Effect.gen(function* () {
      const thread = yield* loadThread(side.actor(c), id)
      const context = yield* contextOf(c)
      const notice = noticeOf(c)
      return yield* page(c, thread.subject, <ThreadPage thread={thread} context={context} {...(reply === undefined ? {} : { reply })} {...(notice === undefined ? {} : { notice })} />, status)
    })

  /**
   * A send refused for the person's input: with htmx, the problems alone into the form's slot; a plain
   * form gets the whole page again (404 and unexpected failures go on to the page's failure answer).
   */
  const refusedSend = <R,>(c: Context<E>, slot: string, error: unknown, whole: () => Effect.Effect<Response, unknown, R>): Effect.Effect<Response, unknown, R> => {
    const failure = describeFailure(error)
    if (failure.status === 404 || failure.status === 500) return Effect.fail(error)
    if (isHtmx(c)) return problemsFragment(c, slot, problemsOf(error), failure.status)
    return whole()
  }

  return new Hono<E>()
    .get(base, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const region = yield* folderRegion(c, noticeOf(c))
        return yield* page(c, "Secure messages", <FolderPage {...region} />)
      })))
    // The folder region alone: what the live `secure` event reloads.
    .get(`${base}/folder`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const region = yield* folderRegion(c)
        return yield* fragment(c, <FolderRegion {...region} />)
      })))
    .post(`${base}/bulk`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const { fields } = yield* readForm(c)
        const form = yield* decodeBulk(fields)
        const actor = side.actor(c)
        if (form.action === "read") yield* Core.markThreadsRead(actor, form.threadIds)
        else if (form.action === "archive") yield* Core.archiveThreads(actor, form.threadIds)
        else yield* Core.unarchiveThreads(actor, form.threadIds)
        const done: NoticeKey = form.action === "read" ? "read" : form.action === "archive" ? "archived" : "unarchived"
        return yield* goTo(c, `${base}?folder=${form.folder}&done=${done}`)
      })))
    .get(`${base}/new`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const query = yield* decodeFolderQuery(c.req.query())
        const notice = noticeOf(c)
        const draft = query.draft === undefined ? undefined : yield* loadDraft(side.actor(c), DraftId.make(query.draft))
        if (draft?.replyTo !== undefined) return yield* goTo(c, `${threadUrl(draft.replyTo)}?draft=${encodeURIComponent(draft.id)}`)
        const to = c.req.query("to")
        const model: ComposeModel = draft === undefined
          ? { recipients: to === undefined ? [] : [to], subject: "", body: "" }
          : { draftId: draft.id, recipients: draft.recipients, subject: draft.subject, body: draft.body }
        return yield* composePage(c, notice === undefined ? model : { ...model, notice })
      })))
    .post(`${base}/new`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const actor = side.actor(c)
        const read = yield* Effect.result(readForm(c))
        if (read._tag === "Failure") return yield* refusedSend(c, "#compose-problems", read.failure, () => composePage(c, { recipients: [], subject: "", body: "", problems: problemsOf(read.failure) }, describeFailure(read.failure).status))
        const { fields, files } = read.success
        const typed: ComposeModel = {
          recipients: fields["to"] ?? [],
          subject: fields["subject"]?.[0] ?? "",
          body: fields["body"]?.[0] ?? "",
          ...(fields["draftId"]?.[0] ? { draftId: fields["draftId"][0] } : {})
        }
        const outcome = yield* Effect.gen(function* () {
          const form = yield* decodeCompose(fields)
          if (form.action === "delete") {
            yield* discard(files)
            if (form.draftId !== undefined) yield* Core.deleteDraft(actor, form.draftId)
            return yield* goTo(c, `${base}?folder=drafts&done=deleted`)
          }
          if (form.action === "save") {
            yield* discard(files)
            const draftId = yield* Core.saveDraft(actor, {
              ...(form.draftId === undefined ? {} : { draftId: form.draftId }),
              recipients: form.recipients,
              subject: form.subject,
              body: form.body
            })
            return yield* goTo(c, `${base}/new?draft=${encodeURIComponent(draftId)}&done=saved`)
          }
          const threadId = yield* Core.composeThread(actor, {
            recipients: form.recipients,
            subject: form.subject,
            body: form.body,
            attachments: files,
            ...(form.draftId === undefined ? {} : { draftId: form.draftId })
          })
          return yield* goTo(c, threadUrl(threadId, "sent"))
        }).pipe(
          Effect.catch((error: unknown) => {
            const failure = describeFailure(error)
            return Effect.andThen(discard(files), refusedSend(c, "#compose-problems", error, () => composePage(c, {
              ...typed,
              problems: [...problemsOf(error), ...(files.length > 0 ? ["Attach your files again: they were not kept."] : [])]
            }, failure.status)))
          })
        )
        return outcome
      })))
    .get(`${base}/threads/:id`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const id = yield* threadIdOf(c)
        const query = yield* decodeFolderQuery(c.req.query())
        const draft = query.draft === undefined ? undefined : yield* loadDraft(side.actor(c), DraftId.make(query.draft))
        const reply = draft === undefined || draft.replyTo !== id ? undefined : { body: draft.body, draftId: draft.id }
        return yield* threadPage(c, id, reply)
      })))
    // The messages alone: what the live `secure-<id>` event reloads on an open thread (a read, like the page).
    .get(`${base}/threads/:id/messages`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const thread = yield* loadThread(side.actor(c), yield* threadIdOf(c))
        const context = yield* contextOf(c)
        return yield* fragment(c, <MessageList thread={thread} context={context} />)
      })))
    .post(`${base}/threads/:id/reply`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const id = yield* threadIdOf(c)
        const actor = side.actor(c)
        const read = yield* Effect.result(readForm(c))
        if (read._tag === "Failure") return yield* refusedSend(c, "#reply-problems", read.failure, () => threadPage(c, id, { problems: problemsOf(read.failure) }, describeFailure(read.failure).status))
        const { fields, files } = read.success
        const draftField = fields["draftId"]?.[0]
        return yield* Effect.gen(function* () {
          const form = yield* decodeReply(fields)
          if (form.action === "delete") {
            yield* discard(files)
            if (form.draftId !== undefined) yield* Core.deleteDraft(actor, form.draftId)
            return yield* goTo(c, `${threadUrl(id)}?done=deleted`)
          }
          if (form.action === "save") {
            yield* discard(files)
            const thread = yield* loadThread(actor, id)
            const draftId = yield* Core.saveDraft(actor, {
              ...(form.draftId === undefined ? {} : { draftId: form.draftId }),
              recipients: [],
              subject: thread.subject,
              body: form.body,
              replyTo: id
            })
            return yield* goTo(c, `${threadUrl(id)}?draft=${encodeURIComponent(draftId)}&done=saved`)
          }
          yield* Core.replyToThread(actor, id, { body: form.body, attachments: files, ...(form.draftId === undefined ? {} : { draftId: form.draftId }) })
          return yield* goTo(c, `${threadUrl(id, "replied")}#reply`)
        }).pipe(
          Effect.catch((error: unknown) => {
            const failure = describeFailure(error)
            return Effect.andThen(discard(files), refusedSend(c, "#reply-problems", error, () => threadPage(c, id, {
              body: fields["body"]?.[0] ?? "",
              ...(draftField ? { draftId: draftField } : {}),
              problems: [...problemsOf(error), ...(files.length > 0 ? ["Attach your files again: they were not kept."] : [])]
            }, failure.status)))
          })
        )
      })))
    .post(`${base}/threads/:id/messages/:messageId/delete`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const id = yield* threadIdOf(c)
        const messageId = yield* pathId(c.req.param("messageId"), "thread_message", ThreadMessageId.make)
        yield* Core.deleteThreadMessage(side.actor(c), id, messageId)
        return yield* goTo(c, threadUrl(id, "message_deleted"))
      })))
    .post(`${base}/threads/:id/delete`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const id = yield* threadIdOf(c)
        yield* Core.deleteThread(side.actor(c), id)
        return yield* goTo(c, `${base}?done=thread_deleted`)
      })))
    .get(`${base}/threads/:id/quick-note`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const id = yield* threadIdOf(c)
        const text = yield* Core.quickNoteText(side.actor(c), id)
        const context = yield* contextOf(c)
        return yield* html(c, "Quick note to chart", <QuickNoteEditor threadId={id} text={text} context={context} />)
      })))
    .post(`${base}/threads/:id/quick-note`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const id = yield* threadIdOf(c)
        const { fields } = yield* readForm(c)
        return yield* Effect.gen(function* () {
          const text = yield* decodeQuickNote(fields)
          yield* Core.sendQuickNote(side.actor(c), id, text)
          return yield* goTo(c, threadUrl(id, "charted"))
        }).pipe(
          Effect.catch((error: unknown) => {
            const failure = describeFailure(error)
            if (failure.status === 404 || failure.status === 500) return Effect.fail(error)
            return Effect.gen(function* () {
              const context = yield* contextOf(c)
              return yield* html(c, "Quick note to chart", <QuickNoteEditor threadId={id} text={fields["text"]?.[0] ?? ""} context={context} problems={problemsOf(error)} />, failure.status)
            })
          })
        )
      })))
    .get(`${base}/threads/:id/files/:blobId`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const id = yield* threadIdOf(c)
        const blobId = yield* Schema.decodeUnknownEffect(BlobId)(c.req.param("blobId")).pipe(
          Effect.mapError(() => new Core.NotFound({ entity: "thread_message", id: "(not an id)" }))
        )
        const file = yield* Core.threadAttachment(side.actor(c), id, blobId)
        return yield* serveStoredFile(c, file)
      })))
    .post(`${base}/drafts/:draftId/delete`, (c) =>
      runSecure(c, side, runtime, Effect.gen(function* () {
        const draftId = yield* pathId(c.req.param("draftId"), "draft", DraftId.make)
        yield* Core.deleteDraft(side.actor(c), draftId)
        return yield* goTo(c, `${base}?folder=drafts&done=deleted`)
      })))
}
