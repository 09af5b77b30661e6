import type { ChannelId, InboxFilter, InboxRow, Queue, Staff } from "@careline/core"
import { CsrfField } from "../../../web/Layout.js"
import { exactTime, shortTime, statusLabel } from "./Format.js"
import type { InboxParams } from "./Messenger.js"

export const filters: ReadonlyArray<readonly [InboxFilter, string]> = [
  ["all", "All"],
  ["unread", "Unread"],
  ["open", "Open"],
  ["done", "Done"],
  ["archived", "Archived"]
]

/** The query string that keeps the inbox's filter, words and queue ("" when all are defaults). */
export const inboxQuery = (params: InboxParams, changes: Partial<InboxParams> = {}): string => {
  const next = { ...params, ...changes }
  const query = new URLSearchParams()
  if (next.filter !== "all") query.set("filter", next.filter)
  if (next.q.trim() !== "") query.set("q", next.q)
  if (next.queue !== undefined) query.set("queue", next.queue)
  const text = query.toString()
  return text === "" ? "" : `?${text}`
}

export interface RowContext {
  /** `/messages` or `/messages/colleague/<id>`. */
  readonly base: string
  readonly params: InboxParams
  readonly openId: ChannelId | undefined
  readonly timeZone: string
  readonly now: number
  /** Absent in a colleague's inbox: read-only, no buttons. */
  readonly csrfToken: string | undefined
}

/** A status button that posts without leaving the page; the lists listening for `inbox-changed` reload. */
export const StatusButton = (props: { readonly channelId: ChannelId; readonly status: "open" | "done"; readonly label: string; readonly name: string; readonly csrfToken: string; readonly back: string }) => (
  <form method="post" action={`/messages/${props.channelId}/status`} hx-post={`/messages/${props.channelId}/status`} hx-swap="none">
    <CsrfField token={props.csrfToken} />
    <input type="hidden" name="status" value={props.status} />
    <input type="hidden" name="back" value={props.back} />
    <button type="submit" class="small" aria-label={`${props.label}: ${props.name}`}>{props.label}</button>
  </form>
)

const Row = (props: { readonly row: InboxRow; readonly context: RowContext }) => {
  const { row, context } = props
  const { channel } = row
  const href = `${context.base}/${channel.id}${inboxQuery(context.params)}`
  const urgent = channel.urgentSince !== undefined
  // Without JavaScript, a row's button comes back to this same page (not into the channel, which would read it).
  const here = `${context.base}${context.openId === undefined ? "" : `/${context.openId}`}${inboxQuery(context.params)}`
  const classes = ["inbox-row", row.unread ? "unread" : "", urgent ? "urgent" : ""].filter((c) => c !== "").join(" ")
  return (
    <li class={classes}>
      <a
        href={href}
        hx-get={href}
        hx-target="#channel-panes"
        hx-select="#channel-panes"
        hx-select-oob="#inbox-list, #notification-centre"
        hx-swap="outerHTML"
        hx-push-url="true"
        aria-current={channel.id === context.openId ? "true" : undefined}
      >
        <span class="name">{row.contact}</span>
        <span class="row-meta">
          <span class={`badge ${channel.status}`}>{statusLabel[channel.status]}</span>
          {urgent ? <span class="badge urgent">Urgent</span> : null}
          {channel.archived ? <span class="badge">Archived</span> : null}
          {row.muted ? <span class="badge">Muted</span> : null}
          {channel.unreadCount > 0 ? <span class="muted small">{channel.unreadCount} new</span> : null}
          <time class="muted small" datetime={new Date(channel.lastActivityAt).toISOString()} title={exactTime(channel.lastActivityAt, context.timeZone)}>
            {shortTime(channel.lastActivityAt, context.timeZone, context.now)}
          </time>
        </span>
      </a>
      {context.csrfToken === undefined ? null : (
        <div class="row-actions">
          {channel.status === "open" ? null : <StatusButton channelId={channel.id} status="open" label="Mark open" name={row.contact} csrfToken={context.csrfToken} back={here} />}
          {channel.status === "done" ? null : <StatusButton channelId={channel.id} status="done" label="Mark done" name={row.contact} csrfToken={context.csrfToken} back={here} />}
        </div>
      )}
    </li>
  )
}

/**
 * The inbox list. It reloads itself on the staff member's live `inbox` events (a new text moves its
 * channel to the top, bold) and after any change made on this page (`inbox-changed`).
 */
export const InboxList = (props: { readonly rows: ReadonlyArray<InboxRow>; readonly context: RowContext; readonly live: boolean }) => {
  const { context } = props
  const reload = `${context.base}/inbox${inboxQuery(context.params)}${context.openId === undefined ? "" : `${inboxQuery(context.params) === "" ? "?" : "&"}open=${context.openId}`}`
  return (
    <ul
      id="inbox-list"
      class="inbox-list"
      aria-label="Conversations"
      {...(props.live ? { "hx-get": reload, "hx-trigger": "inbox from:#live, inbox-changed from:body", "hx-swap": "outerHTML" } : {})}
    >
      {props.rows.length === 0
        ? <li class="empty muted">No conversations here.</li>
        : props.rows.map((row) => <Row row={row} context={context} />)}
    </ul>
  )
}

export const Filters = (props: { readonly base: string; readonly params: InboxParams }) => (
  <nav class="filters" aria-label="Filter conversations">
    {filters.map(([filter, label]) => (
      <a href={`${props.base}${inboxQuery(props.params, { filter })}`} aria-current={props.params.filter === filter ? "true" : undefined}>{label}</a>
    ))}
  </nav>
)

export const SearchBox = (props: { readonly params: InboxParams }) => (
  <form method="get" action="/messages" role="search" class="inbox-search">
    <label>
      Search by client name or words
      <input type="search" name="q" value={props.params.q} maxlength={200} />
    </label>
    {props.params.filter === "all" ? null : <input type="hidden" name="filter" value={props.params.filter} />}
    {props.params.queue === undefined ? null : <input type="hidden" name="queue" value={props.params.queue} />}
    <div class="row">
      <button type="submit">Search</button>
      {props.params.q === "" ? null : <a href={`/messages${inboxQuery(props.params, { q: "" })}`}>Clear search</a>}
    </div>
  </form>
)

/** S2: staff in queues switch between all their lines and one queue's shared inbox. */
export const QueueSwitcher = (props: { readonly queues: ReadonlyArray<Queue>; readonly params: InboxParams }) =>
  props.queues.length === 0 ? null : (
    <nav class="filters queue-switcher" aria-label="Inboxes">
      <a href={`/messages${inboxQuery(props.params, { queue: undefined })}`} aria-current={props.params.queue === undefined ? "true" : undefined}>All my lines</a>
      {props.queues.map((queue) => (
        <a href={`/messages${inboxQuery(props.params, { queue: queue.id })}`} aria-current={props.params.queue === queue.id ? "true" : undefined}>{queue.name}</a>
      ))}
    </nav>
  )

/** S3: supervisors and admins open a colleague's inbox, read-only. */
export const ColleagueSwitcher = (props: { readonly colleagues: ReadonlyArray<Staff>; readonly current?: Staff }) => (
  <form method="get" action="/messages/colleague" class="colleague-switcher row">
    <label>
      Colleague's inbox
      <select name="staffId">
        {props.colleagues.map((staff) => <option value={staff.id} selected={props.current?.id === staff.id}>{staff.name} ({staff.role.replace("_", " ")})</option>)}
      </select>
    </label>
    <button type="submit">View</button>
  </form>
)

/**
 * The notification centre (S3): the unread channels, each with "Mark as complete". The contents
 * reload on live events; the `<details>` element stays, so it stays open while it updates.
 */
export const NotificationCentre = (props: { readonly rows: ReadonlyArray<InboxRow>; readonly csrfToken: string }) => (
  <details id="notification-centre" class="notification-centre" hx-get="/messages/notifications" hx-trigger="inbox from:#live, inbox-changed from:body" hx-swap="innerHTML">
    <NotificationContent rows={props.rows} csrfToken={props.csrfToken} />
  </details>
)

export const NotificationContent = (props: { readonly rows: ReadonlyArray<InboxRow>; readonly csrfToken: string }) => (
  <>
    <summary aria-label={`Notifications: ${props.rows.length} unread`}>
      <span aria-hidden="true">Notifications</span> <span class={props.rows.length === 0 ? "count" : "count some"} aria-hidden="true">{props.rows.length}</span>
    </summary>
    <div class="notification-panel card">
      <h2>Unread conversations</h2>
      {props.rows.length === 0
        ? <p class="muted">Nothing new.</p>
        : (
          <ul>
            {props.rows.map((row) => (
              <li class={row.channel.urgentSince === undefined ? "" : "urgent"}>
                <a href={`/messages/${row.channel.id}`}>{row.contact}</a>
                <StatusButton channelId={row.channel.id} status="done" label="Mark as complete" name={row.contact} csrfToken={props.csrfToken} back="/messages" />
              </li>
            ))}
          </ul>
        )}
    </div>
  </>
)
