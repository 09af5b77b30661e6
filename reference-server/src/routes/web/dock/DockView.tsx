import type { ChatSummary, Line, Message } from "@careline/core"
import type { Child } from "hono/jsx"
import { RecentChats } from "./ChatView.js"

/** The closed dock: one button that opens the finder. Rendered in every staff page's `#chat-dock`. */
export const DockLauncher = () => (
  <button type="button" class="dock-launcher" hx-get="/dock" hx-target="#chat-dock" data-dock-open aria-label="Open chat">
    Chat
    {/* Unread staff chat messages: loaded with the page, refreshed by every live `chat` event. */}
    <span class="dock-launcher-unread" hx-get="/dock/unread" hx-trigger="load, chat from:#live" hx-swap="innerHTML"></span>
  </button>
)

/**
 * The open dock: a title bar (minimise, close) over a body. `src` is where the panel can be fetched
 * again: app.js keeps it in sessionStorage so the conversation survives a page load.
 */
export const DockPanel = (props: { readonly title: string; readonly src: string; readonly children: Child }) => (
  <section class="dock-panel" aria-labelledby="dock-title" data-dock-src={props.src}>
    <header class="dock-bar">
      <h2 id="dock-title">{props.title}</h2>
      {props.src === "/dock" ? null : (
        <button type="button" class="dock-icon" hx-get="/dock" hx-target="#chat-dock" aria-label="New chat" title="New chat">+</button>
      )}
      <button type="button" class="dock-icon" data-dock-minimise aria-expanded="true" aria-controls="dock-body" aria-label="Minimise chat" title="Minimise">–</button>
      <button type="button" class="dock-icon" hx-get="/dock/launcher" hx-target="#chat-dock" data-dock-close aria-label="Close chat" title="Close">×</button>
    </header>
    <div id="dock-body" class="dock-body">{props.children}</div>
  </section>
)

/**
 * A match in the finder: a client (starts or continues their conversation), an existing channel, or a
 * colleague (S4: users on the system show Chat only — a staff chat, never SMS).
 */
export type DockMatch =
  | { readonly _tag: "Client"; readonly clientId: string; readonly name: string; readonly detail: string }
  | { readonly _tag: "Channel"; readonly channelId: string; readonly contact: string }
  | { readonly _tag: "Colleague"; readonly staffId: string; readonly name: string; readonly role: string }

export const DockResults = (props: { readonly matches: ReadonlyArray<DockMatch>; readonly note?: string }) => (
  <>
    {props.matches.map((match) => (
      <li>
        {match._tag === "Client" ? (
          <button type="button" class="dock-result" hx-get={`/dock/clients/${encodeURIComponent(match.clientId)}`} hx-target="#chat-dock">
            <strong>{match.name}</strong> <span class="muted small">{match.detail}</span>
          </button>
        ) : match._tag === "Channel" ? (
          <button type="button" class="dock-result" hx-get={`/dock/channels/${encodeURIComponent(match.channelId)}`} hx-target="#chat-dock">
            <strong>{match.contact}</strong> <span class="muted small">existing conversation</span>
          </button>
        ) : (
          <form hx-post="/dock/chats" hx-target="#chat-dock">
            <input type="hidden" name="with" value={match.staffId} />
            <button type="submit" class="dock-result">
              <strong>{match.name}</strong> <span class="muted small">{match.role}</span> <span class="dock-tag">Chat</span>
            </button>
          </form>
        )}
      </li>
    ))}
    {props.note === undefined ? null : <li class="muted small">{props.note}</li>}
  </>
)

/** The finder: type a client's or colleague's name, a contact or a number; matches appear as you type. Recent chats below. */
export const DockFinder = (props: { readonly matches: ReadonlyArray<DockMatch>; readonly chats?: ReadonlyArray<ChatSummary> }) => (
  <DockPanel title="New chat" src="/dock">
    <form role="search" class="dock-find" hx-get="/dock/find" hx-target="#dock-results" hx-trigger="input delay:250ms, submit">
      <label for="dock-q">Client, colleague, contact or number</label>
      <input id="dock-q" type="search" name="q" autocomplete="off" placeholder="Name or +1…" autofocus />
    </form>
    <ul id="dock-results" class="dock-results" aria-label="Matches" aria-live="polite">
      <DockResults matches={props.matches} />
    </ul>
    {props.chats === undefined ? null : <RecentChats chats={props.chats} />}
  </DockPanel>
)

export interface DockConversationProps {
  readonly title: string
  readonly src: string
  /** Where the composer posts. */
  readonly action: string
  readonly channelId?: string
  readonly messages: ReadonlyArray<Message>
  readonly timeZone: string
  /** Lines to pick from (only shown when there are several), with the chosen one. */
  readonly lines?: { readonly options: ReadonlyArray<Line>; readonly chosen: Line; readonly describe: (line: Line) => string; readonly reload: string }
  readonly error?: string
  readonly draft?: string
  readonly empty?: string
}

const clock = (at: number, timeZone: string) => new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone }).format(at)

/** A page of messages, oldest first; `messages` arrive newest first as `readChannel` gives them. */
export const DockMessages = (props: { readonly messages: ReadonlyArray<Message>; readonly timeZone: string; readonly empty?: string }) => (
  <>
    {props.messages.length === 0 ? <li class="muted small">{props.empty ?? "No messages yet."}</li> : null}
    {[...props.messages].reverse().map((m) => (
      <li class={`message ${m.direction}`}>
        {m.body}
        <time class="meta" datetime={new Date(m.at).toISOString()} title={new Date(m.at).toISOString()}>
          {m.direction === "inbound" ? "Received" : "Sent"} {clock(m.at, props.timeZone)}
        </time>
      </li>
    ))}
  </>
)

/** A conversation in the dock: its messages (live when the channel exists) and a composer. */
export const DockConversation = (props: DockConversationProps) => (
  <DockPanel title={props.title} src={props.src}>
    <ol
      class="dock-messages"
      aria-label={`Conversation with ${props.title}`}
      data-autoscroll
      {...(props.channelId === undefined
        ? {}
        : { "hx-get": `/dock/channels/${encodeURIComponent(props.channelId)}/messages`, "hx-trigger": `channel-${props.channelId} from:#live`, "hx-swap": "innerHTML" })}
    >
      <DockMessages messages={props.messages} timeZone={props.timeZone} {...(props.empty === undefined ? {} : { empty: props.empty })} />
    </ol>
    <form class="dock-compose" hx-post={props.action} hx-target="#chat-dock">
      {props.error === undefined ? null : <p class="error small" role="alert">{props.error}</p>}
      {props.lines === undefined || props.lines.options.length < 2 ? null : (
        <label>
          From
          <select name="line" hx-get={props.lines.reload} hx-trigger="change" hx-include="this" hx-target="#chat-dock">
            {props.lines.options.map((line) => <option value={line.id} selected={line.id === props.lines!.chosen.id}>{props.lines!.describe(line)}</option>)}
          </select>
        </label>
      )}
      {props.lines !== undefined && props.lines.options.length < 2 ? <input type="hidden" name="line" value={props.lines.chosen.id} /> : null}
      <label for="dock-body-text" class="visually-hidden">Message</label>
      <textarea id="dock-body-text" name="body" rows={2} maxlength={1600} required placeholder="Write a text…" autofocus>{props.draft ?? ""}</textarea>
      <button type="submit" class="primary">Send</button>
    </form>
  </DockPanel>
)

/** Something the dock cannot show (a conversation one may not see, a missing client). */
export const DockProblem = (props: { readonly text: string }) => (
  <DockPanel title="Chat" src="/dock">
    <p class="error small" role="alert">{props.text}</p>
    <button type="button" hx-get="/dock" hx-target="#chat-dock">Start another chat</button>
  </DockPanel>
)
