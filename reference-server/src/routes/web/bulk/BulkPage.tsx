import type { Client, ConsentState, LineId } from "@careline/core"
import { primaryPhone } from "@careline/core"
import { Option } from "effect"
import type { Child } from "hono/jsx"
import { contactLabel } from "../../../web/ContactLabel.js"
import { CsrfField } from "../../../web/Layout.js"
import { exactTime } from "../messages/Format.js"

export interface Pickable {
  readonly client: Client
  readonly consent: ConsentState | undefined
}

export interface BulkForm {
  readonly clientIds: ReadonlyArray<string>
  readonly body: string
  readonly lineId?: string
}

/** Why a client was skipped, in words (the core's own message follows it). */
const skipReasons: Record<string, string> = {
  ConsentRequired: "No consent to text",
  ConsentOptedOut: "Opted out",
  ClientBlocked: "Blocked",
  NoPrimaryPhone: "No primary phone",
  NoLineToSendFrom: "No line to send from",
  InvalidMessage: "Message not valid",
  NotYours: "Not one of your clients"
}

export const skipReason = (tag: string) => skipReasons[tag] ?? "Not sent"

const consentHint: Record<ConsentState, string> = {
  opted_in: "",
  pending: " · not opted in yet",
  unknown: " · not opted in",
  opted_out: " · opted out"
}

/** The picker: accessible clients as checkboxes, filtered as you type (app.js `data-filter`), the message, the line. */
export const BulkComposer = (props: {
  readonly clients: ReadonlyArray<Pickable>
  readonly lines: ReadonlyArray<{ readonly id: LineId; readonly label: string }>
  readonly csrfToken: string
  readonly form?: BulkForm
  readonly problems?: ReadonlyArray<string>
  /** Saved lists: use one, or save the ticked clients as one. */
  readonly listTools?: Child
}) => {
  const picked = new Set(props.form?.clientIds ?? [])
  return (
    <form method="post" action="/bulk" class="card stack bulk-form" aria-labelledby="bulk-title">
      <h1 id="bulk-title">Bulk send</h1>
      <p class="muted">One message to several clients: each gets it in their own conversation with you. Texts wait for the end of quiet hours (21:00–08:00); clients who cannot be texted are skipped and listed.</p>
      <CsrfField token={props.csrfToken} />
      {props.problems === undefined || props.problems.length === 0 ? null : (
        <div class="error" role="alert"><ul>{props.problems.map((p) => <li>{p}</li>)}</ul></div>
      )}
      <fieldset class="bulk-clients">
        <legend>Clients</legend>
        <label>Find a client<input type="search" data-filter="#bulk-client-list" placeholder="Type a name or number" autocomplete="off" /></label>
        {props.clients.length === 0 ? <p class="muted">You have no clients to text.</p> : (
          <ul id="bulk-client-list" class="plain-list bulk-client-list">
            {props.clients.map(({ client, consent }) => {
              const primary = primaryPhone(client)
              const text = Option.match(primary, { onNone: () => `${client.name} (no primary phone)`, onSome: (p) => contactLabel(client, p.number) })
              return (
                <li data-filter-text={`${client.name} ${Option.match(primary, { onNone: () => "", onSome: (p) => p.number })}`.toLowerCase()}>
                  <label class="inline">
                    <input type="checkbox" name="clientId" value={client.id} checked={picked.has(client.id)} />
                    {" "}{text}
                    <span class="muted small">{client.blocked ? " · blocked" : consent === undefined ? "" : consentHint[consent]}</span>
                  </label>
                </li>
              )
            })}
          </ul>
        )}
        {props.listTools ?? null}
      </fieldset>
      <label for="bulk-body">Message</label>
      <textarea id="bulk-body" name="body" rows={4} maxlength={1600} required data-segments="#bulk-segments">{props.form?.body ?? ""}</textarea>
      <output id="bulk-segments" class="muted small" aria-live="polite"></output>
      {props.lines.length > 1 ? (
        <label>Send from
          <select name="lineId">{props.lines.map((line) => <option value={line.id} selected={props.form?.lineId === line.id}>{line.label}</option>)}</select>
        </label>
      ) : null}
      <button type="submit" class="primary">Send to selected clients</button>
    </form>
  )
}

export interface BulkOutcome {
  readonly sent: ReadonlyArray<{ readonly client: Client }>
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string; readonly message: string }>
  /** When the texts leave: now, or the end of quiet hours. */
  readonly heldUntil: number | undefined
  readonly timeZone: string
}

export const BulkResult = (props: { readonly outcome: BulkOutcome }) => {
  const { outcome } = props
  return (
    <section class="card stack bulk-result" aria-labelledby="bulk-result-title" role="status">
      <h2 id="bulk-result-title">Sent to {outcome.sent.length}, skipped {outcome.skipped.length}</h2>
      {outcome.heldUntil === undefined ? null : (
        <p class="notice">Quiet hours: the texts are held until {exactTime(outcome.heldUntil, outcome.timeZone)}.</p>
      )}
      {outcome.sent.length === 0 ? null : (
        <>
          <h3>Sent</h3>
          <ul class="plain-list">{outcome.sent.map((s) => <li><a href={`/clients/${s.client.id}?tab=messages`}>{s.client.name}</a>{outcome.heldUntil === undefined ? " · queued" : " · held for quiet hours"}</li>)}</ul>
        </>
      )}
      {outcome.skipped.length === 0 ? null : (
        <>
          <h3>Skipped</h3>
          <div class="table-scroll">
            <table>
              <thead><tr><th scope="col">Client</th><th scope="col">Why</th><th scope="col">Details</th></tr></thead>
              <tbody>{outcome.skipped.map((s) => <tr><td>{s.name}</td><td>{s.reason}</td><td class="small">{s.message}</td></tr>)}</tbody>
            </table>
          </div>
        </>
      )}
    </section>
  )
}
