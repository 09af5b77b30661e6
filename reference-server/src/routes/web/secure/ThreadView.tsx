import { CsrfField } from "../../../web/Layout.js"
import { exactTime, shortTime } from "../messages/Format.js"
import { BodyFields, Problems } from "./ComposeView.js"
import { FormattedBody } from "./FormattedBody.js"
import { type MessageModel, type SecureContext, sizeText, type ThreadModel } from "./SecureModel.js"

const threadPath = (context: SecureContext, id: string) => `${context.base}/threads/${encodeURIComponent(id)}`

/** A plain form whose submit asks first (app.js reads `data-confirm`); each carries the CSRF field. */
const ConfirmForm = (props: { readonly action: string; readonly confirm: string; readonly label: string; readonly csrfToken: string }) => (
  <form method="post" action={props.action} data-confirm={props.confirm} class="inline-action">
    <CsrfField token={props.csrfToken} />
    <button type="submit" class="small danger">{props.label}</button>
  </form>
)

const MessageItem = (props: { readonly threadId: string; readonly message: MessageModel; readonly context: SecureContext }) => {
  const { message, context } = props
  return (
    <article class={message.mine ? "secure-message mine" : "secure-message"} id={`message-${message.id}`} aria-label={`From ${message.authorName}`}>
      <header class="row">
        <strong>{message.authorName}</strong>
        <time datetime={new Date(message.at).toISOString()} title={exactTime(message.at, context.timeZone)}>{shortTime(message.at, context.timeZone, context.now)}</time>
        {message.charted ? <span class="badge charted">Sent to clinical record</span> : null}
      </header>
      <div class="body formatted"><FormattedBody text={message.body} /></div>
      {message.attachments.length === 0 ? null : (
        <ul class="attachments plain-list" aria-label="Attachments">
          {message.attachments.map((file) => (
            <li>
              <a href={`${threadPath(context, props.threadId)}/files/${encodeURIComponent(file.blobId)}`} download>{file.name}</a>
              <span class="muted small"> ({sizeText(file.size)})</span>
            </li>
          ))}
        </ul>
      )}
      {message.deletable
        ? <ConfirmForm
            action={`${threadPath(context, props.threadId)}/messages/${encodeURIComponent(message.id)}/delete`}
            confirm="Delete this message for everyone? This is permanent and cannot be recovered."
            label="Delete message"
            csrfToken={context.csrfToken}
          />
        : null}
    </article>
  )
}

/**
 * The thread's messages, oldest first. It reloads itself on the live `secure-<threadId>` event (for
 * staff and for a client in the portal alike), so a reply shows up while the thread is open.
 */
export const MessageList = (props: { readonly thread: ThreadModel; readonly context: SecureContext }) => (
  <section
    id="secure-messages"
    class="secure-messages stack"
    aria-label="Messages"
    aria-live="polite"
    hx-get={`${threadPath(props.context, props.thread.id)}/messages`}
    hx-trigger={`secure-${props.thread.id} from:#live`}
    hx-swap="outerHTML"
  >
    {props.thread.messages.map((message) => <MessageItem threadId={props.thread.id} message={message} context={props.context} />)}
  </section>
)

/** Reply to all (S1), or why not and a way to write a new message instead. */
export const ReplyArea = (props: {
  readonly thread: ThreadModel
  readonly context: SecureContext
  readonly body?: string
  readonly draftId?: string
  readonly problems?: ReadonlyArray<string>
  readonly notice?: string
}) => {
  const { thread, context } = props
  if (thread.replyRefusal !== undefined) {
    return (
      <section class="card secure-reply refused" id="reply">
        <h2>Reply</h2>
        <p class="notice" role="note">{thread.replyRefusal}</p>
        <p><a class="button primary" href={`${context.base}/new`}>New message</a></p>
      </section>
    )
  }
  const action = `${threadPath(context, thread.id)}/reply`
  return (
    <form
      id="reply"
      class="card stack secure-reply"
      method="post"
      action={action}
      enctype="multipart/form-data"
      hx-post={action}
      hx-encoding="multipart/form-data"
      hx-target="this"
      hx-swap="outerHTML"
    >
      <h2>Reply to all</h2>
      <CsrfField token={context.csrfToken} />
      {props.draftId === undefined ? null : <input type="hidden" name="draftId" value={props.draftId} />}
      {props.notice === undefined ? null : <p class="notice" role="status">{props.notice}</p>}
      <div id="reply-problems"><Problems problems={props.problems} /></div>
      <BodyFields body={props.body ?? ""} label="Your reply" id="reply-body" />
      <div class="row secure-form-buttons">
        <button type="submit" name="do" value="send" class="primary">Send reply</button>
        <button type="submit" name="do" value="save" formnovalidate>Save draft</button>
        {props.draftId === undefined
          ? null
          : <button type="submit" name="do" value="delete" class="danger" formnovalidate data-confirm="Delete this draft? It cannot be recovered.">Delete draft</button>}
      </div>
    </form>
  )
}

/** The quick-note editor (staff, one client): the proposed note, editable, then saved to the chart. */
export const QuickNoteEditor = (props: { readonly threadId: string; readonly text: string; readonly context: SecureContext; readonly problems?: ReadonlyArray<string> }) => (
  <form id="quick-note" class="card stack quick-note" method="post" action={`${threadPath(props.context, props.threadId)}/quick-note`}>
    <h2>Quick note to chart</h2>
    <CsrfField token={props.context.csrfToken} />
    <Problems problems={props.problems} />
    <label>
      Note for the client's clinical record
      <span class="hint muted small" id="quick-note-hint">Add or remove anything before saving.</span>
      <textarea name="text" rows={12} required maxlength={100000} aria-describedby="quick-note-hint">{props.text}</textarea>
    </label>
    <div class="row secure-form-buttons">
      <button type="submit" class="primary">Save to chart</button>
      <a href={threadPath(props.context, props.threadId)}>Cancel</a>
    </div>
  </form>
)

/**
 * A thread (S1): every message oldest first with its author, time, attachments, "Sent to clinical
 * record" and (own messages, staff) "Delete message"; then the reply form or the refusal; then, for
 * staff, "Quick note to chart" and "Delete thread" when allowed.
 */
export const ThreadPage = (props: {
  readonly thread: ThreadModel
  readonly context: SecureContext
  readonly reply?: { readonly body?: string; readonly draftId?: string; readonly problems?: ReadonlyArray<string>; readonly notice?: string }
  readonly notice?: string
}) => {
  const { thread, context } = props
  return (
    <div class="secure-thread stack">
      <p><a href={context.base}>← Secure messages</a></p>
      <header class="secure-thread-head">
        <h1>{thread.subject}</h1>
        <p class="muted">Between you and {thread.participants.join(", ")}</p>
      </header>
      {props.notice === undefined ? null : <p class="notice" role="status">{props.notice}</p>}
      <MessageList thread={thread} context={context} />
      <ReplyArea thread={thread} context={context} {...props.reply} />
      {thread.quickNoteAllowed || thread.canDeleteThread
        ? (
          <div class="row secure-thread-actions">
            {thread.quickNoteAllowed
              ? <a class="button" href={`${threadPath(context, thread.id)}/quick-note`}>Quick note to chart</a>
              : null}
            {thread.canDeleteThread
              ? <ConfirmForm
                  action={`${threadPath(context, thread.id)}/delete`}
                  confirm="Delete this whole conversation for everyone, with every message and attachment? This is permanent and cannot be recovered."
                  label="Delete thread"
                  csrfToken={context.csrfToken}
                />
              : null}
          </div>
        )
        : null}
    </div>
  )
}
