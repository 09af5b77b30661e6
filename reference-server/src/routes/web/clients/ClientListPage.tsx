import { type Client, primaryPhone } from "@careline/core"
import { Option } from "effect"
import { CsrfField } from "../../../web/Layout.js"
import { phoneLabelText } from "../../../web/ContactLabel.js"
import type { ClientRow } from "./ClientDirectory.js"
import { type FormBody, NEW_CLIENT_PHONES } from "./Forms.js"

/** "Active", "Inactive", and "Blocked" when blocked. */
export const ClientBadges = (props: { readonly client: Client }) => (
  <>
    <span class={props.client.active ? "badge done" : "badge"}>{props.client.active ? "Active" : "Inactive"}</span>
    {props.client.blocked ? <> <span class="badge urgent">Blocked</span></> : null}
  </>
)

const PrimaryPhone = (props: { readonly client: Client }) =>
  Option.match(primaryPhone(props.client), {
    onNone: () => <span class="muted">No primary number</span>,
    onSome: (phone) => <>{phone.number} <span class="muted small">{phoneLabelText(phone.label)}{phone.okayToText ? " · okay to text" : ""}</span></>
  })

const value = (form: FormBody | undefined, name: string) => {
  const v = form?.[name]
  return typeof v === "string" ? v : ""
}

/** The zones the runtime knows, for the time-zone field's suggestions. */
const timeZoneNames = Intl.supportedValuesOf("timeZone")

/** The "New client" form; after a refusal it shows the values typed and every problem. */
export const NewClientForm = (props: { readonly csrfToken: string; readonly form?: FormBody; readonly problems?: ReadonlyArray<string> }) => (
  <form method="post" action="/clients" class="card stack new-client" aria-labelledby="new-client-title">
    <h2 id="new-client-title">New client</h2>
    <CsrfField token={props.csrfToken} />
    {props.problems === undefined || props.problems.length === 0 ? null : (
      <div class="error" role="alert">
        <p>The client was not added:</p>
        <ul>{props.problems.map((problem) => <li>{problem}</li>)}</ul>
      </div>
    )}
    <label>Name<input name="name" required maxlength={200} autocomplete="off" value={value(props.form, "name")} /></label>
    <label>Email <span class="muted small">(optional)</span><input type="email" name="email" maxlength={254} autocomplete="off" value={value(props.form, "email")} /></label>
    <label>Time zone <span class="muted small">(optional: when not the organisation's; quiet hours follow it)</span>
      <input name="timeZone" list="time-zones" maxlength={64} autocomplete="off" value={value(props.form, "timeZone")} />
    </label>
    <datalist id="time-zones">{timeZoneNames.map((zone) => <option value={zone} />)}</datalist>
    <fieldset class="phones">
      <legend>Phones</legend>
      <p class="muted small">In international form, like +15551234567. The primary number is the one texts go to.</p>
      {Array.from({ length: NEW_CLIENT_PHONES }, (_, index) => {
        const i = index + 1
        const primary = value(props.form, "primary") === "" ? i === 1 : value(props.form, "primary") === String(i)
        return (
          <div class="phone-row">
            <label>Phone {i}<input type="tel" name={`number${i}`} required={i === 1} autocomplete="off" value={value(props.form, `number${i}`)} /></label>
            <label>Label
              <select name={`label${i}`}>
                {(["mobile", "home", "work"] as const).map((label) => <option value={label} selected={(value(props.form, `label${i}`) || "mobile") === label}>{phoneLabelText(label)}</option>)}
              </select>
            </label>
            <label class="inline"><input type="radio" name="primary" value={String(i)} checked={primary} /> Primary</label>
          </div>
        )
      })}
    </fieldset>
    <label class="inline">
      <input type="checkbox" name="okay" value="yes" checked={value(props.form, "okay") !== ""} /> The client agreed to receive texts on the primary number ("okay to text")
    </label>
    <button type="submit" class="primary">Add client</button>
  </form>
)

export const ClientList = (props: {
  readonly rows: ReadonlyArray<ClientRow>
  readonly query: string
  readonly csrfToken: string
  readonly mayAdd: boolean
  readonly form?: FormBody
  readonly problems?: ReadonlyArray<string>
}) => (
  <div class="clients-page">
    <section class="card stack" aria-labelledby="clients-title">
      <h1 id="clients-title">Clients</h1>
      <form method="get" action="/clients" class="row" role="search">
        <label class="grow">Search by name or phone<input type="search" name="q" value={props.query} maxlength={100} /></label>
        <button type="submit">Search</button>
        {props.query === "" ? null : <a href="/clients">Clear</a>}
      </form>
      {props.rows.length === 0
        ? <p class="muted">{props.query === "" ? "No clients you can access yet." : "No client matches that search."}</p>
        : (
          <div class="table-scroll">
            <table>
              <thead><tr><th scope="col">Name</th><th scope="col">Primary phone</th><th scope="col">Status</th><th scope="col">Assigned to</th></tr></thead>
              <tbody>
                {props.rows.map(({ client, assigned }) => (
                  <tr>
                    <td><a href={`/clients/${client.id}`}>{client.name}</a></td>
                    <td><PrimaryPhone client={client} /></td>
                    <td><ClientBadges client={client} /></td>
                    <td>{assigned.length === 0 ? <span class="muted">Nobody</span> : assigned.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
    {props.mayAdd
      ? <NewClientForm csrfToken={props.csrfToken} {...(props.form === undefined ? {} : { form: props.form })} {...(props.problems === undefined ? {} : { problems: props.problems })} />
      : <p class="muted small">Coordinators, supervisors and admins add clients.</p>}
  </div>
)
