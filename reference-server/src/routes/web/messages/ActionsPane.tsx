import { type ChannelId, contactLabel, mayBlock } from "@careline/core"
import { CsrfField } from "../../../web/Layout.js"
import { statusLabel } from "./Format.js"
import type { ActionsView } from "./Messenger.js"

/** One button posting one change; the answer is this pane, fresh (or with the reason it was refused). */
const Action = (props: {
  readonly channelId: ChannelId
  readonly path: string
  readonly fields?: Record<string, string>
  readonly label: string
  readonly csrfToken: string
  readonly className?: string
  readonly confirm?: string
  readonly pressed?: boolean
  readonly role?: string
}) => (
  <form
    method="post"
    action={`/messages/${props.channelId}/${props.path}`}
    hx-post={`/messages/${props.channelId}/${props.path}`}
    hx-target="#channel-actions"
    hx-swap="outerHTML"
    {...(props.confirm === undefined ? {} : { "hx-confirm": props.confirm })}
  >
    <CsrfField token={props.csrfToken} />
    {Object.entries(props.fields ?? {}).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
    <button
      type="submit"
      class={props.className}
      {...(props.role === undefined ? {} : { role: props.role, "aria-checked": props.pressed === true ? "true" : "false" })}
    >
      {props.label}
    </button>
  </form>
)

/** `PUBLIC_BASE_URL` when set (behind a proxy), else the origin this page was asked on. */
export const replyUrl = (origin: string, token: string) => `${origin}/r/${token}`

/**
 * The right-hand pane (S3): who this is (with a link to the client's profile), status, archive, mute,
 * delete for me, replies and the reply link, transcript, and block for supervisors and admins. It
 * reloads on the channel's live events and after changes made elsewhere on the page.
 */
export const ActionsPane = (props: { readonly view: ActionsView; readonly csrfToken: string; readonly origin: string; readonly error?: string; readonly notice?: string }) => {
  const { staff, channel, client, muted } = props.view
  const id = channel.id
  const common = { channelId: id, csrfToken: props.csrfToken }
  const link = channel.replyToken === undefined ? undefined : replyUrl(props.origin, channel.replyToken)
  return (
    <aside
      id="channel-actions"
      class="card channel-actions stack"
      aria-labelledby="channel-actions-title"
      hx-get={`/messages/${id}/actions`}
      hx-trigger={`channel-${id} from:#live, inbox-changed from:body`}
      hx-swap="outerHTML"
    >
      {props.error === undefined ? null : <p class="error" role="alert">{props.error}</p>}
      {props.notice === undefined ? null : <p class="notice" role="status">{props.notice}</p>}
      <div>
        <h2 id="channel-actions-title">{client?.name ?? channel.phone}</h2>
        <p class="muted small">{contactLabel(client, channel.phone)}{client === undefined ? "" : ` · ${channel.phone}`}</p>
        {client === undefined ? null : <p><a href={`/clients/${client.id}`}>Open client profile</a></p>}
        {client?.blocked === true ? <p><span class="badge urgent">Blocked</span></p> : null}
      </div>

      <section aria-labelledby="status-title">
        <h3 id="status-title">Status <span class={`badge ${channel.status}`}>{statusLabel[channel.status]}</span>{channel.urgentSince === undefined ? null : <> <span class="badge urgent">Urgent</span></>}</h3>
        <div class="row">
          <Action {...common} path="status" fields={{ status: "open" }} label="Mark open" />
          <Action {...common} path="status" fields={{ status: "done" }} label="Mark done" className="primary" />
        </div>
      </section>

      <section aria-labelledby="conversation-title-actions">
        <h3 id="conversation-title-actions">Conversation</h3>
        <div class="row">
          {channel.archived
            ? <Action {...common} path="archive" fields={{ archived: "false" }} label="Unarchive" />
            : <Action {...common} path="archive" fields={{ archived: "true" }} label="Archive" />}
          {muted
            ? <Action {...common} path="mute" fields={{ muted: "false" }} label="Unmute notifications" />
            : <Action {...common} path="mute" fields={{ muted: "true" }} label="Mute notifications" />}
          <Action {...common} path="hide" label="Delete for me" className="danger" confirm="Remove this conversation from your inbox? Its history stays; a new message from the client brings it back." />
        </div>
      </section>

      <section aria-labelledby="replies-title">
        <h3 id="replies-title">Client replies</h3>
        <Action {...common} path="replies" fields={{ allowed: channel.repliesAllowed ? "false" : "true" }} label="Allow replies" role="switch" pressed={channel.repliesAllowed} className="switch" />
        <p class="muted small">{channel.repliesAllowed ? "The client can reply through the reply link." : "Replies through the reply link are off. Texts are still received."}</p>
        {link === undefined
          ? (
            <div class="row">
              <span class="muted small">No reply link.</span>
              <Action {...common} path="reply-link" fields={{ do: "renew" }} label="Create reply link" />
            </div>
          )
          : (
            <div class="stack">
              <label>
                Reply link
                <input id={`reply-link-${id}`} type="text" readonly value={link} />
              </label>
              <div class="row">
                <button type="button" data-copy={`#reply-link-${id}`}>Copy link</button>
                <Action {...common} path="reply-link" fields={{ do: "renew" }} label="New link" confirm="Make a new reply link? The current one stops working." />
                <Action {...common} path="reply-link" fields={{ do: "revoke" }} label="Revoke link" className="danger" confirm="Revoke the reply link? It stops working at once." />
              </div>
            </div>
          )}
      </section>

      <section aria-labelledby="transcript-title">
        <h3 id="transcript-title">Transcript</h3>
        <div class="row">
          <button type="button" data-copy={`#transcript-${id}`}>Copy transcript</button>
          <a class="button" href={`/messages/${id}/transcript.txt`} download="">Export as text</a>
          {client === undefined
            ? null
            : <Action {...common} path="chart" label="Send to clinical record" confirm="Send the whole conversation to the client's clinical record?" />}
        </div>
      </section>

      {client !== undefined && mayBlock(staff)
        ? (
          <section aria-labelledby="block-title">
            <h3 id="block-title">Block</h3>
            {client.blocked
              ? <Action {...common} path="block" fields={{ blocked: "false" }} label="Unblock client" />
              : <Action {...common} path="block" fields={{ blocked: "true" }} label="Block client" className="danger" confirm="Block this client? Their texts are still stored, but nothing is sent to them and nobody is notified." />}
          </section>
        )
        : null}
    </aside>
  )
}
