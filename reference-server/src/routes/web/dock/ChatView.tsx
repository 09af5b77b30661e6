import { CHAT_BODY_MAX, CHAT_MAX_MEMBERS, type ChatMember, type ChatMessage, type ChatSummary, type Staff } from "@careline/core"
import { DockPanel } from "./DockView.js"

const clock = (at: number, timeZone: string) => new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone }).format(at)

/** What a room is called for one member: the others' names. */
export const chatTitle = (others: ReadonlyArray<Pick<ChatMember, "name">>) =>
  others.length === 0 ? "Chat" : others.map((o) => o.name).join(", ")

/** The staff member's chats, latest first; unread ones bold with their count. Refreshed live by `chat` events. */
export const ChatList = (props: { readonly chats: ReadonlyArray<ChatSummary> }) => (
  <>
    {props.chats.length === 0 ? <li class="muted small">No chats with colleagues yet.</li> : null}
    {props.chats.map((chat) => (
      <li>
        <button
          type="button"
          class={`dock-result${chat.unread > 0 ? " is-unread" : ""}`}
          hx-get={`/dock/chats/${encodeURIComponent(chat.room.id)}`}
          hx-target="#chat-dock"
        >
          <strong>{chatTitle(chat.others)}</strong>{" "}
          <span class="muted small">{chat.others.length > 1 ? "group chat" : "chat"}</span>
          {chat.unread > 0 ? <span class="dock-unread" aria-label={`${chat.unread} unread`}>{chat.unread}</span> : null}
        </button>
      </li>
    ))}
  </>
)

/** The "Recent chats" part of the finder. */
export const RecentChats = (props: { readonly chats: ReadonlyArray<ChatSummary> }) => (
  <section class="dock-chats" aria-labelledby="dock-chats-title">
    <div class="dock-chats-bar">
      <h3 id="dock-chats-title">Recent chats</h3>
      <button type="button" class="link-button small" hx-get="/dock/chats/new" hx-target="#chat-dock">New group chat</button>
    </div>
    <ul id="dock-chat-list" class="dock-results" aria-label="Recent chats" hx-get="/dock/chats" hx-trigger="chat from:#live" hx-swap="innerHTML">
      <ChatList chats={props.chats} />
    </ul>
  </section>
)

/** Pick colleagues for a group chat (2–8 people, you included). */
export const GroupChatForm = (props: { readonly colleagues: ReadonlyArray<Staff>; readonly chosen?: ReadonlyArray<string>; readonly error?: string }) => (
  <DockPanel title="New group chat" src="/dock/chats/new">
    <form class="dock-group" hx-post="/dock/chats" hx-target="#chat-dock">
      {props.error === undefined ? null : <p class="error small" role="alert">{props.error}</p>}
      <label for="dock-group-filter">Colleagues (up to {CHAT_MAX_MEMBERS - 1})</label>
      <input id="dock-group-filter" type="search" autocomplete="off" placeholder="Filter by name" data-filter="#dock-group-list" />
      <ul id="dock-group-list" class="dock-results">
        {props.colleagues.length === 0 ? <li class="muted small">No active colleagues to chat with.</li> : null}
        {props.colleagues.map((colleague) => (
          <li data-filter-text={colleague.name.toLowerCase()}>
            <label class="dock-pick">
              <input type="checkbox" name="with" value={colleague.id} checked={props.chosen?.includes(colleague.id) ?? false} />
              {colleague.name} <span class="muted small">{colleague.role.replace("_", " ")}</span>
            </label>
          </li>
        ))}
      </ul>
      <button type="submit" class="primary">Start chat</button>
    </form>
  </DockPanel>
)

/** A room's messages, oldest first: one's own on the right, others' with their name. */
export const ChatMessages = (props: {
  readonly messages: ReadonlyArray<ChatMessage>
  readonly members: ReadonlyArray<ChatMember>
  readonly me: string
  readonly timeZone: string
  /** A page of earlier messages (replacing the "Load older" item), not the whole conversation. */
  readonly older?: boolean
}) => {
  const names = new Map(props.members.map((m) => [m.staffId as string, m.name]))
  const first = props.messages[0]
  return (
    <>
      {first !== undefined && first.seq > 1 ? (
        <li class="dock-older">
          <button
            type="button"
            class="small"
            hx-get={`/dock/chats/${encodeURIComponent(first.roomId)}/messages?before=${first.seq}`}
            hx-target="closest li"
            hx-swap="outerHTML"
            data-keep-scroll
          >
            Load older messages
          </button>
        </li>
      ) : null}
      {props.messages.length === 0 && props.older !== true ? <li class="muted small">No messages yet. Say hello.</li> : null}
      {props.messages.map((m) => {
        const mine = m.authorId === props.me
        return (
          <li class={`message ${mine ? "outbound" : "inbound"}`}>
            {mine ? null : <span class="dock-author">{names.get(m.authorId) ?? "Former colleague"}</span>}
            {m.body}
            <time class="meta" datetime={new Date(m.at).toISOString()} title={new Date(m.at).toISOString()}>
              {mine ? "You" : "Sent"} {clock(m.at, props.timeZone)}
            </time>
          </li>
        )
      })}
    </>
  )
}

/** An open chat room in the dock: live messages (autoscrolled) and a composer where Enter sends. */
export const ChatRoomPanel = (props: {
  readonly roomId: string
  readonly title: string
  readonly messages: ReadonlyArray<ChatMessage>
  readonly members: ReadonlyArray<ChatMember>
  readonly me: string
  readonly timeZone: string
  readonly error?: string
  readonly draft?: string
}) => {
  const base = `/dock/chats/${encodeURIComponent(props.roomId)}`
  return (
    <DockPanel title={props.title} src={base}>
      <p class="muted small dock-members">Chat with {props.title} · staff only, never sent as SMS</p>
      <ol
        class="dock-messages"
        aria-label={`Chat with ${props.title}`}
        data-autoscroll
        hx-get={`${base}/messages`}
        hx-trigger={`chat-${props.roomId} from:#live`}
        hx-swap="innerHTML"
      >
        <ChatMessages messages={props.messages} members={props.members} me={props.me} timeZone={props.timeZone} />
      </ol>
      <form class="dock-compose" hx-post={`${base}/messages`} hx-target="#chat-dock">
        {props.error === undefined ? null : <p class="error small" role="alert">{props.error}</p>}
        <label for="dock-chat-text" class="visually-hidden">Message</label>
        <textarea id="dock-chat-text" name="body" rows={2} maxlength={CHAT_BODY_MAX} required placeholder="Write a chat message… (Enter sends)" data-enter-sends autofocus>
          {props.draft ?? ""}
        </textarea>
        <button type="submit" class="primary">Send</button>
      </form>
    </DockPanel>
  )
}
