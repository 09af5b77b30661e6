import type { Organisation, Queue } from "@careline/core"
import { CsrfField } from "../../../web/Layout.js"
import { Problems, Saved } from "../admin/AdminKit.js"
import { PortalSettingsForm } from "./PortalSettings.js"
import { maxTemplateLength, templateFields, weekdays } from "./SettingsForms.js"

/** Which form a refusal belongs to, what was wrong, and what the person typed (shown again). */
export interface FormError {
  readonly form: string
  readonly problems: ReadonlyArray<string>
  readonly values: Record<string, string | ReadonlyArray<string>>
}

export interface SettingsView {
  readonly organisation: Organisation
  readonly queues: ReadonlyArray<Queue>
  readonly csrfToken: string
  readonly saved?: string | undefined
  readonly error?: FormError | undefined
}

const savedText: Record<string, string> = {
  hours: "Business hours saved.",
  holidays: "Holidays saved.",
  templates: "Message templates saved.",
  crisis: "Crisis words saved.",
  queue: "Queue reply saved.",
  portal: "Portal and email settings saved."
}

const timeZones: ReadonlyArray<string> = (() => {
  try {
    return Intl.supportedValuesOf("timeZone")
  } catch {
    return []
  }
})()

/** The value a field shows: what was typed when this form was refused, else what is stored. */
const valueOf = (view: SettingsView, form: string, field: string, stored: string): string => {
  if (view.error?.form !== form) return stored
  const typed = view.error.values[field]
  return typeof typed === "string" ? typed : stored
}

const problemsFor = (view: SettingsView, form: string) => (view.error?.form === form ? view.error.problems : undefined)

const HoursForm = (props: { readonly view: SettingsView }) => {
  const { view } = props
  const hours = view.organisation.businessHours
  const stored = (day: string, end: "opens" | "closes") => hours.weekly.find((i) => i.day === day)?.[end] ?? ""
  return (
    <section class="card stack" id="hours" aria-labelledby="hours-title">
      <h2 id="hours-title">Business hours</h2>
      <p class="muted small">Texts outside these hours get the after-hours reply (once per conversation). Leave both times empty for a closed day.</p>
      <Problems problems={problemsFor(view, "hours")} />
      {weekdays.some(([day]) => hours.weekly.filter((i) => i.day === day).length > 1) ? (
        <p class="notice">Some days have more than one opening (set outside this page). This form edits one opening a day: saving keeps only the times shown.</p>
      ) : null}
      <form method="post" action="/settings/hours" class="stack">
        <CsrfField token={view.csrfToken} />
        <label>Time zone
          <input name="timeZone" list="time-zones" required value={valueOf(view, "hours", "timeZone", hours.timeZone)} autocomplete="off" />
        </label>
        <datalist id="time-zones">{timeZones.map((zone) => <option value={zone} />)}</datalist>
        <table class="hours-table">
          <thead><tr><th scope="col">Day</th><th scope="col">Opens</th><th scope="col">Closes</th></tr></thead>
          <tbody>
            {weekdays.map(([day, name]) => (
              <tr>
                <th scope="row">{name}</th>
                <td><input type="time" name={`${day}_opens`} aria-label={`${name} opens`} value={valueOf(view, "hours", `${day}_opens`, stored(day, "opens"))} /></td>
                <td><input type="time" name={`${day}_closes`} aria-label={`${name} closes`} value={valueOf(view, "hours", `${day}_closes`, stored(day, "closes"))} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        <div><button type="submit" class="primary">Save hours</button></div>
      </form>
    </section>
  )
}

const HolidaysForm = (props: { readonly view: SettingsView }) => {
  const { view } = props
  const holidays = [...view.organisation.businessHours.holidays].sort()
  return (
    <section class="card stack" id="holidays" aria-labelledby="holidays-title">
      <h2 id="holidays-title">Holidays</h2>
      <p class="muted small">Closed all day on these dates (in the organisation's time zone).</p>
      <Problems problems={problemsFor(view, "holidays")} />
      {holidays.length === 0 ? <p class="muted">No holidays.</p> : (
        <ul class="plain-list">
          {holidays.map((date) => (
            <li class="row">
              <time datetime={date}>{date}</time>
              <form method="post" action="/settings/holidays/remove">
                <CsrfField token={view.csrfToken} />
                <input type="hidden" name="date" value={date} />
                <button type="submit" class="danger" aria-label={`Remove the holiday ${date}`}>Remove</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action="/settings/holidays" class="row">
        <CsrfField token={view.csrfToken} />
        <label>Add a holiday <input type="date" name="date" required value={valueOf(view, "holidays", "date", "")} /></label>
        <button type="submit">Add</button>
      </form>
    </section>
  )
}

const TemplatesForm = (props: { readonly view: SettingsView }) => {
  const { view } = props
  const templates = view.organisation.templates
  return (
    <section class="card stack" id="templates" aria-labelledby="templates-title">
      <h2 id="templates-title">Message templates</h2>
      <p class="muted small">Texts Careline sends on the organisation's behalf. At most {maxTemplateLength} characters each.</p>
      <Problems problems={problemsFor(view, "templates")} />
      <form method="post" action="/settings/templates" class="stack">
        <CsrfField token={view.csrfToken} />
        {templateFields.map(([field, label, hint]) => (
          <label>{label}
            <span class="muted small hint">{hint}</span>
            <textarea name={field} rows={3} maxlength={maxTemplateLength} data-segments={`#segments-${field}`} required={field !== "afterHours"}>
              {valueOf(view, "templates", field, templates[field] ?? "")}
            </textarea>
            <output id={`segments-${field}`} class="muted small"></output>
          </label>
        ))}
        <div><button type="submit" class="primary">Save templates</button></div>
      </form>
    </section>
  )
}

const QueueReplies = (props: { readonly view: SettingsView }) => {
  const { view } = props
  return (
    <section class="card stack" id="queues" aria-labelledby="queues-title">
      <h2 id="queues-title">After-hours replies per queue</h2>
      <p class="muted small">A queue's own reply to texts sent to its numbers after hours. Leave empty to use the organisation's after-hours reply.</p>
      {view.queues.length === 0 ? <p class="muted">There are no queues. An admin creates them under Admin → Lines and queues.</p> : null}
      {view.queues.map((queue) => {
        const form = `queue:${queue.id}`
        return (
          <form method="post" action={`/settings/queues/${encodeURIComponent(queue.id)}/after-hours`} class="stack">
            <CsrfField token={view.csrfToken} />
            <Problems problems={problemsFor(view, form)} />
            <label>{queue.name}
              <textarea name="text" rows={2} maxlength={maxTemplateLength}>{valueOf(view, form, "text", queue.afterHoursReply ?? "")}</textarea>
            </label>
            <div><button type="submit">Save reply for {queue.name}</button></div>
          </form>
        )
      })}
    </section>
  )
}

const CrisisWordsForm = (props: { readonly view: SettingsView }) => {
  const { view } = props
  return (
    <section class="card stack" id="crisis" aria-labelledby="crisis-title">
      <h2 id="crisis-title">Crisis words</h2>
      <p class="muted small">A text containing one of these words or phrases marks its conversation urgent and alerts every supervisor and admin. Separate them with commas or new lines.</p>
      <Problems problems={problemsFor(view, "crisis")} />
      <form method="post" action="/settings/crisis-words" class="stack">
        <CsrfField token={view.csrfToken} />
        <label>Words and phrases
          <textarea name="words" rows={4}>{valueOf(view, "crisis", "words", (view.organisation.crisisWords ?? []).join("\n"))}</textarea>
        </label>
        <div><button type="submit" class="primary">Save crisis words</button></div>
      </form>
    </section>
  )
}

/** `GET /settings`: every organisation setting a supervisor or admin may change, one form each. */
export const SettingsPage = (props: { readonly view: SettingsView }) => (
  <div class="stack settings">
    <h1>Settings</h1>
    <nav aria-label="Settings sections" class="tabs">
      <a href="#hours">Business hours</a>
      <a href="#holidays">Holidays</a>
      <a href="#templates">Templates</a>
      <a href="#queues">Queue replies</a>
      <a href="#crisis">Crisis words</a>
      <a href="#portal">Portal and email</a>
    </nav>
    <Saved text={props.view.saved === undefined ? undefined : savedText[props.view.saved]} />
    <div class="settings-grid">
      <HoursForm view={props.view} />
      <HolidaysForm view={props.view} />
      <TemplatesForm view={props.view} />
      <QueueReplies view={props.view} />
      <CrisisWordsForm view={props.view} />
      <PortalSettingsForm
        portalShowsSms={props.view.organisation.portalShowsSms === true}
        emailCarriesContent={props.view.organisation.emailCarriesContent === true}
        csrfToken={props.view.csrfToken}
        problems={problemsFor(props.view, "portal")}
      />
    </div>
  </div>
)
