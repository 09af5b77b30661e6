import type { Message, RepliesNotAllowed } from "@careline/core"
import { Document } from "../../../web/Layout.js"

const time = (at: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(at)

export interface ReplyView {
  readonly token: string
  readonly organisationName: string
  readonly timeZone: string
  /** Newest first, as the store pages them. */
  readonly messages: ReadonlyArray<Message>
  readonly refusal: RepliesNotAllowed | undefined
}

/**
 * The reply page (S3): the conversation as the client sees it — their own texts and the
 * organisation's, nothing else — and a reply box unless replies are refused.
 */
export const ReplyPage = (props: { readonly view: ReplyView; readonly body?: string; readonly error?: string; readonly sent?: boolean }) => {
  const { view } = props
  return (
    <Document title={`Messages with ${view.organisationName}`}>
      <main id="main" class="reply-page stack">
        <h1>Messages with {view.organisationName}</h1>
        {props.sent === true ? <p class="notice" role="status">Your reply was sent.</p> : null}
        <section class="card" aria-label="Conversation">
          <div class="messages reply-messages" data-autoscroll="" tabindex={0} aria-label="Messages">
            {view.messages.length === 0 ? <p class="muted">No messages yet.</p> : null}
            {[...view.messages].reverse().map((message) => (
              <article class={`message ${message.direction}`}>
                <div class="body">{message.body}</div>
                <span class="meta">
                  <time datetime={new Date(message.at).toISOString()}>{time(message.at, view.timeZone)}</time>
                  {" · "}
                  {message.direction === "inbound" ? "You" : view.organisationName}
                </span>
              </article>
            ))}
          </div>
        </section>
        {view.refusal === undefined ? (
          <form method="post" action={`/r/${view.token}`} class="card stack">
            {props.error === undefined ? null : <p class="error" role="alert">{props.error}</p>}
            <label for="reply-body">Your reply</label>
            <textarea id="reply-body" name="body" rows={4} maxlength={1600} required>{props.body ?? ""}</textarea>
            <button type="submit" class="primary">Send reply</button>
          </form>
        ) : <p class="notice" role="status">{view.refusal.message}</p>}
        <p class="muted small">Keep this link private: anyone who has it can read this conversation.</p>
      </main>
    </Document>
  )
}

/** A link that no longer opens anything, or a refusal before the conversation could be shown. */
export const ReplyRefusedPage = (props: { readonly message: string }) => (
  <Document title="Reply link">
    <main id="main" class="reply-page stack">
      <h1>Reply link</h1>
      <p class="notice" role="alert">{props.message}</p>
      <p class="muted">If you need to reach your care team, text them or call them as usual.</p>
    </main>
  </Document>
)
