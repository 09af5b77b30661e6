import { CsrfField } from "../../../web/Layout.js"
import { exactTime, shortTime } from "../messages/Format.js"
import { type DraftRow, type FolderName, type FolderRow, folders, type SecureContext } from "./SecureModel.js"

const Time = (props: { readonly at: number; readonly context: SecureContext }) => (
  <time datetime={new Date(props.at).toISOString()} title={exactTime(props.at, props.context.timeZone)}>
    {shortTime(props.at, props.context.timeZone, props.context.now)}
  </time>
)

/** Inbox, Sent, Drafts, Archive (S1: "On the right menu, switch between your folders"), the inbox with its unread count. */
export const FolderSwitcher = (props: { readonly current: FolderName; readonly unread: number; readonly context: SecureContext }) => (
  <nav class="secure-folders card" aria-label="Folders">
    <a class="button primary secure-new" href={`${props.context.base}/new`}>New message</a>
    <ul class="plain-list">
      {folders.map((folder) => (
        <li>
          <a href={`${props.context.base}?folder=${folder.name}`} aria-current={folder.name === props.current ? "page" : undefined}>
            {folder.label}
            {folder.name === "inbox" && props.unread > 0
              ? <span class="badge unread" id="secure-unread">{props.unread}<span class="visually-hidden"> unread</span></span>
              : null}
          </a>
        </li>
      ))}
    </ul>
  </nav>
)

const emptyText: Record<FolderName, string> = {
  inbox: "No messages in your inbox.",
  sent: "You have not sent any messages yet.",
  drafts: "No drafts.",
  archive: "Nothing archived."
}

/** A folder's threads with a checkbox each and the actions for the ticked ones ("Mark read", "Archive" or "Move to inbox"). */
export const ThreadList = (props: { readonly folder: Exclude<FolderName, "drafts">; readonly rows: ReadonlyArray<FolderRow>; readonly context: SecureContext }) => {
  const { base, csrfToken } = props.context
  return (
    <form method="post" action={`${base}/bulk`} class="secure-list">
      <CsrfField token={csrfToken} />
      <input type="hidden" name="folder" value={props.folder} />
      <div class="row secure-bulk" role="group" aria-label="Actions for the selected messages">
        <button type="submit" name="do" value="read" class="small">Mark read</button>
        {props.folder === "archive"
          ? <button type="submit" name="do" value="unarchive" class="small">Move to inbox</button>
          : <button type="submit" name="do" value="archive" class="small">Archive</button>}
      </div>
      {props.rows.length === 0
        ? <p class="muted empty">{emptyText[props.folder]}</p>
        : (
          <ul class="secure-rows">
            {props.rows.map((row) => (
              <li class={row.unread ? "secure-row unread" : "secure-row"}>
                <label class="check">
                  <input type="checkbox" name="thread" value={row.id} />
                  <span class="visually-hidden">Select “{row.subject}”</span>
                </label>
                <a href={`${base}/threads/${encodeURIComponent(row.id)}`}>
                  <span class="subject">{row.subject}</span>
                  {row.unread ? <span class="badge unread">Unread</span> : null}
                  <span class="with muted">{row.with}</span>
                </a>
                <Time at={row.at} context={props.context} />
              </li>
            ))}
          </ul>
        )}
    </form>
  )
}

/** The actor's drafts: each opens where it was written (a new message, or the thread it replies to) and can be deleted. */
export const DraftList = (props: { readonly rows: ReadonlyArray<DraftRow>; readonly context: SecureContext }) => {
  const { base, csrfToken } = props.context
  if (props.rows.length === 0) return <p class="muted empty">{emptyText.drafts}</p>
  return (
    <ul class="secure-rows">
      {props.rows.map((row) => (
        <li class="secure-row">
          <a href={row.replyTo === undefined ? `${base}/new?draft=${encodeURIComponent(row.id)}` : `${base}/threads/${encodeURIComponent(row.replyTo)}?draft=${encodeURIComponent(row.id)}`}>
            <span class="subject">{row.subject === "" ? "(no subject)" : row.subject}</span>
            <span class="with muted">{row.to === "" ? "No recipients yet" : `To ${row.to}`}</span>
          </a>
          <Time at={row.at} context={props.context} />
          <form method="post" action={`${base}/drafts/${encodeURIComponent(row.id)}/delete`} data-confirm="Delete this draft? It cannot be recovered.">
            <CsrfField token={csrfToken} />
            <button type="submit" class="small danger">Delete draft</button>
          </form>
        </li>
      ))}
    </ul>
  )
}

export type FolderContent =
  | { readonly folder: Exclude<FolderName, "drafts">; readonly rows: ReadonlyArray<FolderRow> }
  | { readonly folder: "drafts"; readonly rows: ReadonlyArray<DraftRow> }

const headings: Record<FolderName, string> = { inbox: "Inbox", sent: "Sent", drafts: "Drafts", archive: "Archive" }

/**
 * The folder region: the list and the switcher, reloaded as a whole on the live `secure` event (a new
 * message arrived; staff pages' `#live` on `/events`, the portal's on `/portal/events`, which also
 * sends one on connecting), so the unread count and bold rows follow without a reload. A page's notice
 * stands outside it (see `FolderPage`), so a reload does not take it away.
 */
export const FolderRegion = (props: { readonly content: FolderContent; readonly unread: number; readonly context: SecureContext }) => (
  <div
    id="secure-region"
    class="secure-page"
    hx-get={`${props.context.base}/folder?folder=${props.content.folder}`}
    hx-trigger="secure from:#live"
    hx-swap="outerHTML"
  >
    <section class="card secure-main" aria-labelledby="secure-folder-heading">
      <h2 id="secure-folder-heading">{headings[props.content.folder]}</h2>
      {props.content.folder === "drafts"
        ? <DraftList rows={props.content.rows} context={props.context} />
        : <ThreadList folder={props.content.folder} rows={props.content.rows} context={props.context} />}
    </section>
    <FolderSwitcher current={props.content.folder} unread={props.unread} context={props.context} />
  </div>
)

export const FolderPage = ({ notice, ...region }: { readonly content: FolderContent; readonly unread: number; readonly notice?: string; readonly context: SecureContext }) => (
  <>
    <h1>Secure messages</h1>
    <div class="stack">
      {notice === undefined ? null : <p class="notice" role="status">{notice}</p>}
      <FolderRegion {...region} />
    </div>
  </>
)
