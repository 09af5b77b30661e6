import { type ConsentSource, type ConsentState, isCurrent, mayBlock, mayManageAssignments, type Staff } from "@careline/core"
import type { Child } from "hono/jsx"
import { phoneLabelText } from "../../../web/ContactLabel.js"
import { CsrfField } from "../../../web/Layout.js"
import { consentLabel, exactTime } from "../messages/Format.js"

/** "1 Dec 2026, 13:04" in the organisation's zone, with the exact time on hover. */
const When = (props: { readonly at: number; readonly timeZone: string }) => (
  <time datetime={new Date(props.at).toISOString()} title={exactTime(props.at, props.timeZone)}>
    {new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: props.timeZone }).format(props.at)}
  </time>
)
import type { ProfileView } from "./ClientDirectory.js"
import { ClientBadges } from "./ClientListPage.js"

const sourceLabel: Record<ConsentSource, string> = {
  keyword: "Client texted a keyword",
  staff_attestation: "Staff attestation (okay to text)",
  provider_error: "SMS provider: recipient unsubscribed",
  import: "Import",
  opt_in_request: "Opt-in request sent"
}

const stateLabel: Record<ConsentState, string> = { unknown: "Unknown", pending: "Pending", opted_in: "Opted in", opted_out: "Opted out" }

/** Notices after an action (`?done=…`): fixed words, never text from the address. */
export const doneNotices: Record<string, string> = {
  attested: "Recorded: the client agreed to texts on the primary number.",
  assigned: "Assignment started.",
  unassigned: "Assignment ended; their conversations with this client are hidden from them, not deleted.",
  blocked: "Client blocked: their texts are stored, nothing is sent to them and nobody is notified.",
  unblocked: "Client unblocked.",
  phones: "Phones saved.",
  created: "Client added.",
  attached: "Number added to this client; the conversation is now theirs.",
  sent: "Message queued.",
  "portal-invited": "Invitation emailed: the link lets the client choose a password, once, within 7 days.",
  "portal-removed": "Portal access removed: the client is signed out and can no longer sign in."
}

export type Tab = "profile" | "messages"

export interface Banner {
  readonly notice?: string
  readonly error?: string
}

const Banners = (props: Banner) => (
  <>
    {props.notice === undefined ? null : <p class="notice" role="status">{props.notice}</p>}
    {props.error === undefined ? null : <p class="error" role="alert">{props.error}</p>}
  </>
)

/** A one-button form posting to `action` (plain form: works without script; htmx-free so the page reloads with the result). */
const ActionButton = (props: { readonly action: string; readonly csrfToken: string; readonly label: string; readonly className?: string; readonly fields?: Record<string, string> }) => (
  <form method="post" action={props.action} class="inline-form">
    <CsrfField token={props.csrfToken} />
    {Object.entries(props.fields ?? {}).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
    <button type="submit" class={props.className}>{props.label}</button>
  </form>
)

const evidenceText = (view: ProfileView, source: ConsentSource, evidence: string) => {
  if (source === "staff_attestation") return `by ${view.colleagues.get(evidence)?.name ?? "a staff member"}`
  if (source === "provider_error") return `provider error on message ${evidence}`
  if (source === "keyword" || source === "opt_in_request") return `message ${evidence}`
  return evidence
}

const Phones = (props: { readonly view: ProfileView; readonly csrfToken: string }) => {
  const { view } = props
  const base = `/clients/${view.client.id}`
  return (
    <section class="card stack" aria-labelledby="phones-title">
      <h2 id="phones-title">Phones</h2>
      {view.phones.length === 0 ? <p class="muted">No phone numbers.</p> : (
        <div class="table-scroll">
          <table>
            <thead><tr><th scope="col">Number</th><th scope="col">Label</th><th scope="col">Primary</th><th scope="col">Okay to text</th><th scope="col">Consent</th></tr></thead>
            <tbody>
              {view.phones.map(({ phone, consent }) => (
                <tr>
                  <td>{phone.number}</td>
                  <td>{phoneLabelText(phone.label)}</td>
                  <td>{phone.primary ? "Primary" : ""}</td>
                  <td>{phone.okayToText ? "Yes" : "No"}</td>
                  <td>
                    <span class={consent === "opted_in" ? "badge done" : consent === "opted_out" ? "badge urgent" : "badge"}>{stateLabel[consent]}</span>
                    <span class="muted small"> {consentLabel[consent]}</span>
                    {phone.primary && consent !== "opted_in" && consent !== "opted_out"
                      ? <ActionButton action={`${base}/attest`} csrfToken={props.csrfToken} label="Record okay to text" />
                      : null}
                    {phone.primary && consent === "opted_out"
                      ? <p class="muted small">Only the client can opt back in, by texting START.</p>
                      : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <EditPhones view={view} csrfToken={props.csrfToken} />
    </section>
  )
}

const LabelSelect = (props: { readonly name: string; readonly selected: string; readonly label: string }) => (
  <label>{props.label}
    <select name={props.name}>
      {(["mobile", "home", "work"] as const).map((label) => <option value={label} selected={props.selected === label}>{phoneLabelText(label)}</option>)}
    </select>
  </label>
)

/** Relabel, change the primary, remove a number, add one; okay-to-text is recorded by attestation only. */
const EditPhones = (props: { readonly view: ProfileView; readonly csrfToken: string }) => {
  const phones = props.view.client.phones
  const added = phones.length + 1
  return (
    <details class="edit-phones">
      <summary>Edit phones</summary>
      <form method="post" action={`/clients/${props.view.client.id}/phones`} class="stack">
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="rows" value={String(added)} />
        {phones.map((phone, index) => {
          const i = index + 1
          return (
            <fieldset class="phone-row">
              <legend>{phone.number}</legend>
              <input type="hidden" name={`number${i}`} value={phone.number} />
              <LabelSelect name={`label${i}`} selected={phone.label} label="Label" />
              <label class="inline"><input type="radio" name="primary" value={String(i)} checked={phone.primary} /> Primary</label>
              <label class="inline"><input type="checkbox" name={`remove${i}`} value="yes" /> Remove</label>
            </fieldset>
          )
        })}
        <fieldset class="phone-row">
          <legend>Add a number</legend>
          <label>Number<input type="tel" name={`number${added}`} autocomplete="off" /></label>
          <LabelSelect name={`label${added}`} selected="mobile" label="Label" />
          <label class="inline"><input type="radio" name="primary" value={String(added)} /> Primary</label>
        </fieldset>
        <button type="submit" class="primary">Save phones</button>
      </form>
    </details>
  )
}

const Ledger = (props: { readonly view: ProfileView }) => {
  const rows = props.view.phones.flatMap(({ phone, ledger }) => ledger.map((entry) => ({ phone, entry }))).sort((a, b) => b.entry.at - a.entry.at)
  return (
    <section class="card stack" aria-labelledby="ledger-title">
      <h2 id="ledger-title">Consent history</h2>
      {rows.length === 0 ? <p class="muted">No consent recorded for these numbers yet.</p> : (
        <div class="table-scroll">
          <table>
            <thead><tr><th scope="col">When</th><th scope="col">Number</th><th scope="col">Became</th><th scope="col">Source</th><th scope="col">Evidence</th></tr></thead>
            <tbody>
              {rows.map(({ phone, entry }) => (
                <tr>
                  <td><When at={entry.at} timeZone={props.view.timeZone} /></td>
                  <td>{phone.number}</td>
                  <td>{stateLabel[entry.state]}</td>
                  <td>{sourceLabel[entry.source]}</td>
                  <td class="small">{evidenceText(props.view, entry.source, entry.evidence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

const Assignments = (props: { readonly view: ProfileView; readonly csrfToken: string }) => {
  const { view } = props
  const manages = mayManageAssignments(view.staff)
  const base = `/clients/${view.client.id}`
  const name = (id: string) => view.colleagues.get(id)?.name ?? id
  const current = view.assignments.filter(isCurrent)
  const past = view.assignments.filter((a) => !isCurrent(a)).reverse()
  const assignable = [...view.colleagues.values()]
    .filter((s: Staff) => s.active && s.role === "specialist" && !current.some((a) => a.staffId === s.id))
    .sort((a, b) => a.name.localeCompare(b.name))
  return (
    <section class="card stack" aria-labelledby="assignments-title">
      <h2 id="assignments-title">Assignments</h2>
      <h3>Current</h3>
      {current.length === 0 ? <p class="muted">Nobody is assigned.</p> : (
        <ul class="plain-list">
          {current.map((a) => (
            <li class="row">
              <span>{name(a.staffId)}</span>
              <span class="muted small">since <When at={a.from} timeZone={view.timeZone} /></span>
              {manages ? <ActionButton action={`${base}/assignments/${a.staffId}/end`} csrfToken={props.csrfToken} label="Unassign" /> : null}
            </li>
          ))}
        </ul>
      )}
      {manages && assignable.length > 0 ? (
        <form method="post" action={`${base}/assignments`} class="row">
          <CsrfField token={props.csrfToken} />
          <label class="grow">Assign a specialist
            <select name="staffId">{assignable.map((s) => <option value={s.id}>{s.name}</option>)}</select>
          </label>
          <button type="submit">Assign</button>
        </form>
      ) : null}
      <h3>Past</h3>
      {past.length === 0 ? <p class="muted">No earlier assignments.</p> : (
        <ul class="plain-list">
          {past.map((a) => <li>{name(a.staffId)} <span class="muted small"><When at={a.from} timeZone={view.timeZone} /> – <When at={a.until!} timeZone={view.timeZone} /></span></li>)}
        </ul>
      )}
    </section>
  )
}

/** The profile page: who the client is, the tabs, and the tab's content (the profile sections, or the SMS tab given as `messages`). */
export const ClientProfile = (props: { readonly view: ProfileView; readonly csrfToken: string; readonly tab: Tab; readonly banner: Banner; readonly messages?: Child; readonly portal?: Child }) => {
  const { view } = props
  const base = `/clients/${view.client.id}`
  return (
    <div class="client-profile stack">
      <header class="card client-head">
        <div class="row">
          <h1>{view.client.name}</h1>
          <ClientBadges client={view.client} />
          {mayBlock(view.staff)
            ? <ActionButton action={`${base}/${view.client.blocked ? "unblock" : "block"}`} csrfToken={props.csrfToken} label={view.client.blocked ? "Unblock" : "Block"} {...(view.client.blocked ? {} : { className: "danger" })} />
            : null}
        </div>
        {view.client.email === undefined ? null : <p class="muted small">Email: {view.client.email}</p>}
        <nav class="tabs" aria-label="Client sections">
          <a href={base} aria-current={props.tab === "profile" ? "page" : undefined}>Profile</a>
          <a href={`${base}?tab=messages`} aria-current={props.tab === "messages" ? "page" : undefined}>Messages (SMS)</a>
        </nav>
      </header>
      <Banners {...props.banner} />
      {props.tab === "messages" ? props.messages : (
        <div class="profile-grid">
          <Phones view={view} csrfToken={props.csrfToken} />
          <Assignments view={view} csrfToken={props.csrfToken} />
          {props.portal}
          <Ledger view={view} />
        </div>
      )}
    </div>
  )
}
