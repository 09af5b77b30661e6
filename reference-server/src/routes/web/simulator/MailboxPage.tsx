import type { CapturedEmail } from "@careline/adapter-memory"
import { Document } from "../../../web/Layout.js"

const link = /https?:\/\/[^\s<>"']+/g

/** The email's text with its http(s) links clickable (the rest stays text, escaped by JSX). */
export const LinkedText = (props: { readonly text: string }) => {
  const parts: Array<string | { url: string }> = []
  let last = 0
  for (const match of props.text.matchAll(link)) {
    const url = match[0].replace(/[.,;:!?)]+$/, "")
    parts.push(props.text.slice(last, match.index), { url })
    last = match.index + url.length
  }
  parts.push(props.text.slice(last))
  return <>{parts.map((part) => (typeof part === "string" ? part : <a href={part.url}>{part.url}</a>))}</>
}

const when = (at: number) => new Date(at).toISOString().replace("T", " ").slice(0, 16) + " UTC"

/** The captured emails, newest first (refreshed every few seconds by the page). */
export const MailList = (props: { readonly emails: ReadonlyArray<CapturedEmail>; readonly to: string }) => (
  <div
    id="mail-list"
    class="mail-list"
    aria-live="polite"
    hx-get={`/simulator/mail/list?${new URLSearchParams(props.to === "" ? {} : { to: props.to })}`}
    hx-trigger="every 5s"
    hx-swap="outerHTML"
  >
    {props.emails.length === 0 ? <p class="muted">No emails yet{props.to === "" ? "" : ` to ${props.to}`}.</p> : null}
    {[...props.emails].reverse().map((email) => (
      <article class="card mail-item">
        <header>
          <h2>{email.subject}</h2>
          <p class="muted">
            To <strong>{email.to}</strong> · <time datetime={new Date(email.at).toISOString()}>{when(email.at)}</time>
          </p>
        </header>
        <p class="mail-text"><LinkedText text={email.text} /></p>
      </article>
    ))}
  </div>
)

/**
 * `GET /simulator/mail`: the demo's mailbox (fake SMS only, like the phone simulator): every email
 * the server "sent", so one can play the client or colleague who receives it and follow its links.
 */
export const MailboxPage = (props: {
  readonly emails: ReadonlyArray<CapturedEmail>
  readonly recipients: ReadonlyArray<string>
  readonly to: string
  readonly capturing: boolean
}) => (
  <Document title="Demo mailbox">
    <header class="top sim-banner">
      <span class="brand">Careline</span>
      <p><strong>Demo mailbox</strong> — only with the fake SMS provider. These emails never left this machine.</p>
      <a href="/simulator">Phone simulator</a>
      <a href="/messages">Staff pages</a>
    </header>
    <main id="main" class="mail-page">
      <h1>Demo mailbox</h1>
      {props.capturing
        ? (
          <>
            <p class="muted">Emails Careline sent (portal invitations, secure-message notices, channel emails), newest first. Open a link to play the person who received it.</p>
            <form class="mail-filter" method="get" action="/simulator/mail">
              <label>
                Recipient
                <select name="to">
                  <option value="">Everyone</option>
                  {props.recipients.map((address) => <option value={address} selected={address === props.to}>{address}</option>)}
                </select>
              </label>
              <button type="submit">Show</button>
            </form>
            <MailList emails={props.emails} to={props.to} />
          </>
        )
        : <p class="card">Email goes out over SMTP (<code>SMTP_URL</code>), so nothing is kept here: look in the recipients' mailboxes.</p>}
    </main>
  </Document>
)
