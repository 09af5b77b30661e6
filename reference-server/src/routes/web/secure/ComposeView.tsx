import { MAX_ATTACHMENT_BYTES, MIN_BODY_LENGTH } from "@careline/core"
import { CsrfField } from "../../../web/Layout.js"
import { FormatBar } from "./FormatBar.js"
import type { ComposeModel, RecipientGroups, RecipientOption, SecureContext } from "./SecureModel.js"

const maxMb = Math.round(MAX_ATTACHMENT_BYTES / (1024 * 1024))

/** Problems with what was sent, listed where the form starts (and announced). */
export const Problems = (props: { readonly problems?: ReadonlyArray<string> | undefined }) =>
  props.problems === undefined || props.problems.length === 0 ? null : (
    <div class="error" role="alert">
      <p>This could not be sent:</p>
      <ul>{props.problems.map((problem) => <li>{problem}</li>)}</ul>
    </div>
  )

const RecipientGroup = (props: { readonly legend: string; readonly options: ReadonlyArray<RecipientOption>; readonly chosen: ReadonlySet<string> }) =>
  props.options.length === 0 ? null : (
    <fieldset class="recipient-group">
      <legend>{props.legend}</legend>
      {props.options.map((option) => (
        <label class="check" data-filter-text={option.label.toLowerCase()}>
          <input type="checkbox" name="to" value={option.value} checked={props.chosen.has(option.value)} />
          {option.label}
        </label>
      ))}
    </fieldset>
  )

/** The body and attachments part shared by a new message and a reply. */
export const BodyFields = (props: { readonly body: string; readonly label: string; readonly id: string }) => (
  <>
    <div class="body-field">
      <label for={props.id}>
        {props.label}
        <span class="hint muted small" id={`${props.id}-hint`}>At least {MIN_BODY_LENGTH} characters.</span>
      </label>
      <FormatBar for={props.id} />
      <textarea id={props.id} name="body" rows={8} required minlength={MIN_BODY_LENGTH} maxlength={20000} aria-describedby={`${props.id}-hint ${props.id}-format-hint`} data-formatting>{props.body}</textarea>
    </div>
    <label>
      Attachments
      <span class="hint muted small" id={`${props.id}-files-hint`}>Any number of files, up to {maxMb} MB each (PDF, images, text, Word, Excel…).</span>
      <input type="file" name="attachments" multiple aria-describedby={`${props.id}-files-hint`} />
    </label>
  </>
)

/**
 * A new message (S1): To (staff and clients the sender may address, with a filter), Subject (shown
 * to every recipient), Body (10 characters at least), attachments; Send, Save draft, Delete draft.
 * Posted by htmx as multipart (the CSRF token rides in its header); a refusal re-renders the form
 * with what was typed.
 */
export const ComposeForm = (props: { readonly model: ComposeModel; readonly choices: RecipientGroups; readonly context: SecureContext }) => {
  const { base, csrfToken } = props.context
  const chosen = new Set(props.model.recipients)
  return (
    <form
      id="compose"
      class="card stack secure-compose"
      method="post"
      action={`${base}/new`}
      enctype="multipart/form-data"
      hx-post={`${base}/new`}
      hx-encoding="multipart/form-data"
      hx-target="this"
      hx-swap="outerHTML"
    >
      <CsrfField token={csrfToken} />
      {props.model.draftId === undefined ? null : <input type="hidden" name="draftId" value={props.model.draftId} />}
      {props.model.notice === undefined ? null : <p class="notice" role="status">{props.model.notice}</p>}
      <div id="compose-problems"><Problems problems={props.model.problems} /></div>
      <fieldset class="recipients">
        <legend>To</legend>
        {props.choices.staff.length + props.choices.clients.length > 6
          ? (
            <label class="recipient-filter">
              Find a person
              <input type="search" data-filter="#recipient-options" autocomplete="off" />
            </label>
          )
          : null}
        <div id="recipient-options" class="recipient-options">
          <RecipientGroup legend={props.context.actor === "staff" ? "Staff" : "Your care team"} options={props.choices.staff} chosen={chosen} />
          <RecipientGroup legend="Clients" options={props.choices.clients} chosen={chosen} />
          {props.choices.staff.length + props.choices.clients.length === 0 ? <p class="muted">There is nobody you can message yet.</p> : null}
        </div>
      </fieldset>
      <label>
        Subject
        <span class="hint muted small" id="compose-subject-hint">Required; every recipient sees it.</span>
        <input type="text" name="subject" value={props.model.subject} required maxlength={200} aria-describedby="compose-subject-hint" />
      </label>
      <BodyFields body={props.model.body} label="Message" id="compose-body" />
      <div class="row secure-form-buttons">
        <button type="submit" name="do" value="send" class="primary">Send</button>
        <button type="submit" name="do" value="save" formnovalidate>Save draft</button>
        {props.model.draftId === undefined
          ? null
          : <button type="submit" name="do" value="delete" class="danger" formnovalidate data-confirm="Delete this draft? It cannot be recovered.">Delete draft</button>}
        <a href={base} class="secure-cancel">Cancel</a>
      </div>
      <p class="muted small">Attachments are not kept with a draft: attach them when you send.</p>
    </form>
  )
}

export const ComposePage = (props: { readonly model: ComposeModel; readonly choices: RecipientGroups; readonly context: SecureContext }) => (
  <div class="secure-compose-page">
    <p><a href={props.context.base}>← Secure messages</a></p>
    <h1>New message</h1>
    <ComposeForm {...props} />
  </div>
)
