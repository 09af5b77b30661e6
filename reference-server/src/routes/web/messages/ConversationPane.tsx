import { type Channel, type ChannelId, type Client, type ConsentState, type LineId, measureSms, type Message } from "@careline/core"
import { CsrfField } from "../../../web/Layout.js"
import { authorName, consentLabel, deliveryText, exactTime, isProblem, shortTime, transcriptText } from "./Format.js"
import { COPY_LIMIT, PAGE } from "./Messenger.js"

export interface MessageContext {
  readonly clientName: string
  readonly staffNames: ReadonlyMap<string, string>
  readonly timeZone: string
  readonly now: number
  /** Where attachments open: `/messages` (default) or a colleague's inbox, `/messages/colleague/<id>`. */
  readonly attachmentBase?: string
  /** Offer "Send to clinical record" on each message (one's own view of a client's conversation, S3). */
  readonly chart?: { readonly csrfToken: string }
}

/** "Sent to clinical record" once charted, else (when offered) a button that sends this one message. */
const ChartMark = (props: { readonly message: Message; readonly chart: MessageContext["chart"] }) => {
  const { message, chart } = props
  if (message.chartedAt !== undefined) return <>{" · "}<span class="charted">Sent to clinical record</span></>
  if (chart === undefined) return null
  return (
    <form class="chart-message" method="post" action={`/messages/${message.channelId}/chart`} hx-post={`/messages/${message.channelId}/chart`} hx-target="#channel-actions" hx-swap="outerHTML">
      <CsrfField token={chart.csrfToken} />
      <input type="hidden" name="messageId" value={message.id} />
      <button type="submit" class="link small">Send to clinical record</button>
    </form>
  )
}

/** An inbound MMS's pictures or files, as links through the access-checked attachment route (never the provider's URL). */
const Attachments = (props: { readonly message: Message; readonly base: string }) => {
  const media = props.message.media ?? []
  if (media.length === 0) return null
  return (
    <ul class="attachments plain-list">
      {media.map((item, index) => (
        <li>
          <a href={`${props.base}/${encodeURIComponent(props.message.channelId)}/attachments/${encodeURIComponent(props.message.id)}/${index}`} target="_blank" rel="noopener">
            Attachment ({item.contentType})
          </a>
        </li>
      ))}
    </ul>
  )
}

const MessageItem = (props: { readonly message: Message; readonly context: MessageContext }) => {
  const { message, context } = props
  return (
    <article class={`message ${message.direction}`} id={`message-${message.id}`}>
      <div class="body">{message.body}</div>
      <Attachments message={message} base={context.attachmentBase ?? "/messages"} />
      <span class="meta">
        <time datetime={new Date(message.at).toISOString()} title={exactTime(message.at, context.timeZone)}>{shortTime(message.at, context.timeZone, context.now)}</time>
        {" · "}
        {authorName(message, context.clientName, context.staffNames)}
        {" · "}
        <span class={`medium ${message.medium ?? "sms"}`}>{message.medium === "email" ? "Email" : "SMS"}</span>
        {message.direction === "outbound"
          ? <>{" · "}<span class={isProblem(message.status) ? "delivery failed" : "delivery"}>{deliveryText(message)}</span></>
          : null}
        {message.receivedWhileRepliesOff === true ? <>{" · "}<span class="muted">received while replies were off</span></> : null}
        <ChartMark message={message} chart={context.chart} />
      </span>
    </article>
  )
}

/** `before` for the page older than `oldest`: its time and id. */
export const cursorOf = (oldest: Message) => `${oldest.at}.${oldest.id}`

/** "Load older" at the top: replaces itself with the older page (and its own "Load older" if there is more). */
const LoadOlder = (props: { readonly url: string; readonly oldest: Message }) => (
  <div class="load-older">
    <button type="button" hx-get={`${props.url}?before=${encodeURIComponent(cursorOf(props.oldest))}`} hx-target="closest .load-older" hx-swap="outerHTML" data-keep-scroll="">
      Load older messages
    </button>
  </div>
)

/**
 * Messages oldest → newest, given newest first as the store pages them; "Load older" when the page is
 * full (there may be more).
 */
export const MessageRun = (props: { readonly newestFirst: ReadonlyArray<Message>; readonly limit: number; readonly olderUrl: string; readonly context: MessageContext }) => {
  const shown = props.newestFirst.slice(0, PAGE)
  const oldest = shown.at(-1)
  const more = props.newestFirst.length > PAGE || props.newestFirst.length === props.limit
  return (
    <>
      {oldest !== undefined && more
        ? <LoadOlder url={props.olderUrl} oldest={oldest} />
        : null}
      {[...shown].reverse().map((message) => <MessageItem message={message} context={props.context} />)}
    </>
  )
}

/** The hidden text the "Copy transcript" button copies (the newest {@link COPY_LIMIT} messages). */
const TranscriptCopy = (props: { readonly channel: Channel; readonly title: string; readonly newestFirst: ReadonlyArray<Message>; readonly context: MessageContext }) => (
  <textarea id={`transcript-${props.channel.id}`} class="transcript-copy" hidden readonly aria-hidden="true">
    {transcriptText({
      title: props.title,
      messages: [...props.newestFirst].reverse(),
      clientName: props.context.clientName,
      staffNames: props.context.staffNames,
      timeZone: props.context.timeZone
    })}
  </textarea>
)

/** What the messages area of a conversation shows, and where its live reloads and older pages come from. */
interface MessagesProps {
  readonly channel: Channel
  readonly title: string
  readonly newestFirst: ReadonlyArray<Message>
  readonly base: string
  readonly context: MessageContext
  readonly withTranscript: boolean
}

/**
 * The messages region. It reloads itself on the channel's live events and after a send
 * (`message-sent`), and stays scrolled to the newest message (`data-autoscroll`).
 */
export const MessagesRegion = (props: MessagesProps) => (
  <div
    id="messages"
    class="messages"
    data-autoscroll=""
    aria-label="Messages"
    tabindex={0}
    hx-get={`${props.base}/${props.channel.id}/messages`}
    hx-trigger={`channel-${props.channel.id} from:#live, message-sent from:body, charted from:body`}
    hx-swap="innerHTML"
  >
    <MessagesContent {...props} />
  </div>
)

export const MessagesContent = (props: MessagesProps) => (
  <>
    {props.newestFirst.length === 0 ? <p class="muted empty">No messages yet.</p> : null}
    <MessageRun newestFirst={props.newestFirst} limit={COPY_LIMIT} olderUrl={`${props.base}/${props.channel.id}/older`} context={props.context} />
    {props.withTranscript ? <TranscriptCopy channel={props.channel} title={props.title} newestFirst={props.newestFirst} context={props.context} /> : null}
  </>
)

export interface ComposerProps {
  readonly channelId: ChannelId
  readonly contact: string
  readonly client: Client | undefined
  readonly consent: ConsentState
  readonly lines: ReadonlyArray<{ readonly id: LineId; readonly label: string }>
  readonly channelLineId: LineId
  readonly csrfToken: string
  readonly body?: string
  readonly lineId?: LineId
  readonly error?: string
  readonly sent?: boolean
  /** Text (default) or email; the choice is offered when the client has an email address (S3). */
  readonly medium?: "sms" | "email"
}

const counterText = (body: string) => {
  const measure = measureSms(body)
  return `${measure.units} characters · ${measure.encoding} · ${measure.segments} segment${measure.segments === 1 ? "" : "s"}`
}

/** "Send by": text or email, when the client has an email address (S3); the email carries the reply link. */
const MediumChoice = (props: ComposerProps) => {
  const email = props.client?.email
  if (email === undefined || email === "") return null
  return (
    <fieldset class="medium-choice small">
      <legend>Send by</legend>
      <label class="inline"><input type="radio" name="medium" value="sms" checked={props.medium !== "email"} /> Text message</label>
      <label class="inline"><input type="radio" name="medium" value="email" checked={props.medium === "email"} /> Email to {email}</label>
    </fieldset>
  )
}

/**
 * The composer: the consent state of the number, a live segment counter (`data-segments`, app.js),
 * the sending line when there is a choice, and the core's reason when sending is refused.
 */
export const Composer = (props: ComposerProps) => {
  const body = props.body ?? ""
  const textable = props.consent === "opted_in" && props.client?.blocked !== true
  return (
    <form id="composer" class="composer" method="post" action={`/messages/${props.channelId}/send`} hx-post={`/messages/${props.channelId}/send`} hx-target="this" hx-swap="outerHTML">
      <CsrfField token={props.csrfToken} />
      {props.error === undefined ? null : <p class="error" role="alert">{props.error}</p>}
      {props.sent === true ? <p class="visually-hidden" role="status">{props.medium === "email" ? "Email sent." : "Message queued."}</p> : null}
      <p class={textable ? "consent muted small" : "consent notice small"}>
        <strong>Consent:</strong> {consentLabel[props.consent]}
        {props.client?.blocked === true ? " · This client is blocked: nothing is sent to them." : ""}
        {props.client === undefined ? " · Unknown number (not a client yet)." : ""}
      </p>
      <label for={`composer-body-${props.channelId}`}>Message to {props.contact}</label>
      <textarea id={`composer-body-${props.channelId}`} name="body" rows={3} maxlength={1600} required data-segments={`#segments-${props.channelId}`}>{body}</textarea>
      <div class="row composer-row">
        <output id={`segments-${props.channelId}`} class="muted small" aria-live="polite">{counterText(body)}</output>
        {props.lines.length > 1 && props.client !== undefined
          ? (
            <label class="inline">
              Send from
              <select name="lineId">
                {props.lines.map((line) => <option value={line.id} selected={(props.lineId ?? props.channelLineId) === line.id}>{line.label}</option>)}
              </select>
            </label>
          )
          : null}
        <button type="submit" class="primary">Send</button>
      </div>
      <MediumChoice {...props} />
    </form>
  )
}
