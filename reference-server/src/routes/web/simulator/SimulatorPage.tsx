import type { CarriedSms } from "@careline/adapter-fake-sms"
import { Document } from "../../../web/Layout.js"
import type { OrganisationBook, OrgLine } from "./PhoneBook.js"

/** The handset and the line it talks to, once both are picked. */
export interface Pair {
  readonly phone: string
  readonly line: OrgLine
  /** The client whose number it is, when one has it. */
  readonly who?: string
}

const query = (pair: Pair) => new URLSearchParams({ phone: pair.phone, line: pair.line.number }).toString()

const clock = (at: number, timeZone: string) => new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", timeZone }).format(at)

/** The texts between the handset and the line, oldest first, as speech bubbles. */
export const Thread = (props: { readonly texts: ReadonlyArray<CarriedSms>; readonly timeZone: string }) => (
  <>
    {props.texts.length === 0 ? <li class="sim-empty">No texts yet. Write one below.</li> : null}
    {props.texts.map((sms) => (
      <li class={sms.direction === "from_phone" ? "sim-bubble sim-mine" : "sim-bubble sim-theirs"}>
        <span class="visually-hidden">{sms.direction === "from_phone" ? "You:" : "Received:"}</span>
        <p>{sms.body}</p>
        <time datetime={new Date(sms.at).toISOString()} title={new Date(sms.at).toISOString()}>{clock(sms.at, props.timeZone)}</time>
      </li>
    ))}
  </>
)

/** The phone's screen: the thread (refreshed by live events) and the box to text the line. */
export const Screen = (props: { readonly pair: Pair; readonly texts: ReadonlyArray<CarriedSms>; readonly error?: string; readonly draft?: string }) => (
  <div id="sim-screen" class="sim-screen">
    <div class="sim-to">
      <span class="sim-to-label">To</span> <strong>{props.pair.line.number}</strong>
      <span class="sim-to-who">{props.pair.line.description}</span>
    </div>
    <ol
      id="sim-thread"
      class="sim-thread"
      aria-label="Conversation"
      aria-live="polite"
      data-autoscroll
      hx-get={`/simulator/thread?${query(props.pair)}`}
      hx-trigger="sms from:#sim-live"
      hx-swap="innerHTML"
    >
      <Thread texts={props.texts} timeZone={props.pair.line.timeZone} />
    </ol>
    <form class="sim-compose" method="post" action="/simulator/send" hx-post="/simulator/send" hx-target="#sim-screen" hx-swap="outerHTML">
      <input type="hidden" name="phone" value={props.pair.phone} />
      <input type="hidden" name="line" value={props.pair.line.number} />
      {props.error === undefined ? null : <p class="error" role="alert">{props.error}</p>}
      <label for="sim-body" class="visually-hidden">Text message</label>
      <textarea id="sim-body" name="body" rows={2} maxlength={1600} required placeholder="Text message" autofocus>{props.draft ?? ""}</textarea>
      <button type="submit" class="primary">Send</button>
    </form>
  </div>
)

const PickForm = (props: { readonly books: ReadonlyArray<OrganisationBook>; readonly phone?: string; readonly line?: string; readonly typed?: string }) => {
  const known = props.books.some((b) => b.clients.some((c) => c.number === props.phone))
  return (
    <form class="card sim-pick" method="get" action="/simulator">
      <label>
        Client phone
        <select name="phone">
          <option value="">Pick a client's number…</option>
          {props.books.map((book) => (
            <optgroup label={book.name}>
              {book.clients.map((c) => (
                <option value={c.number} selected={c.number === props.phone}>{`${c.name} – ${c.label} (${c.number})`}</option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label>
        or type any number
        <input type="tel" name="number" inputmode="tel" placeholder="+13125550199" value={props.typed ?? (known ? "" : (props.phone ?? ""))} />
      </label>
      <label>
        Careline line to text
        <select name="line" required>
          <option value="">Pick a line…</option>
          {props.books.map((book) => (
            <optgroup label={book.name}>
              {book.lines.map((l) => <option value={l.number} selected={l.number === props.line}>{`${l.number} — ${l.description}`}</option>)}
            </optgroup>
          ))}
        </select>
      </label>
      <button type="submit">Open this phone</button>
    </form>
  )
}

/**
 * `GET /simulator`: the demo's client handset. Not a staff page (it plays the client), and it only
 * exists with the fake SMS provider.
 */
export const SimulatorPage = (props: {
  readonly books: ReadonlyArray<OrganisationBook>
  readonly pair?: Pair
  readonly texts: ReadonlyArray<CarriedSms>
  readonly problem?: string
  readonly typed?: string
  readonly line?: string
}) => (
  <Document title="Phone simulator">
    <header class="top sim-banner">
      <span class="brand">Careline</span>
      <p><strong>Demo phone simulator</strong> — only with the fake SMS provider. Nothing here leaves this machine.</p>
      <a href="/simulator/mail">Demo mailbox</a>
      <a href="/messages">Staff pages</a>
    </header>
    <main id="main" class="sim-page">
      <h1>Phone simulator</h1>
      <p class="muted">Play a client's phone: pick their number and the Careline line they text. Replies from staff arrive here live.</p>
      {props.problem === undefined ? null : <p class="error" role="alert">{props.problem}</p>}
      <PickForm books={props.books} {...(props.pair === undefined ? {} : { phone: props.pair.phone, line: props.pair.line.number })} {...(props.typed === undefined ? {} : { typed: props.typed })} {...(props.line === undefined || props.pair !== undefined ? {} : { line: props.line })} />
      {props.pair === undefined ? null : (
        <section class="sim-phone" aria-label={`Phone ${props.pair.phone}`}>
          <div class="sim-phone-top">
            <span>{props.pair.who === undefined ? props.pair.phone : `${props.pair.who} · ${props.pair.phone}`}</span>
          </div>
          <div id="sim-live" hx-sse:connect={`/simulator/events?${query(props.pair)}`} hidden></div>
          <Screen pair={props.pair} texts={props.texts} />
        </section>
      )}
    </main>
  </Document>
)
