import { Result, Schema } from "effect"
import { CsrfField } from "../../../web/Layout.js"
import { decodeForm, Problems } from "../admin/AdminKit.js"

/** A checkbox as a form sends it: `on` when ticked, absent otherwise. */
const Ticked = Schema.optional(Schema.Literal("on").annotate({ message: "a checkbox: ticked or not" }))

const PortalForm = Schema.Struct({ portalShowsSms: Ticked, emailCarriesContent: Ticked })

/** The portal and email settings form → the two organisation settings (unticked means off). */
export const decodePortalSettingsForm = (form: unknown): Result.Result<{ readonly portalShowsSms: boolean; readonly emailCarriesContent: boolean }, ReadonlyArray<string>> =>
  Result.map(decodeForm(PortalForm)(form), (decoded) => ({
    portalShowsSms: decoded.portalShowsSms === "on",
    emailCarriesContent: decoded.emailCarriesContent === "on"
  }))

/**
 * Settings › Client portal and email (S1, S3): whether clients see their SMS conversations in the
 * portal, and whether channel emails carry the message itself — with the warning that the content
 * then leaves the server by email.
 */
export const PortalSettingsForm = (props: { readonly portalShowsSms: boolean; readonly emailCarriesContent: boolean; readonly csrfToken: string; readonly problems?: ReadonlyArray<string> | undefined }) => (
  <section class="card stack" id="portal" aria-labelledby="portal-title">
    <h2 id="portal-title">Client portal and email</h2>
    <Problems problems={props.problems} />
    <form method="post" action="/settings/portal" class="stack">
      <CsrfField token={props.csrfToken} />
      <label class="checkbox">
        <input type="checkbox" name="portalShowsSms" checked={props.portalShowsSms} />
        Clients see their text messages (SMS) in the portal, read-only
      </label>
      <label class="checkbox">
        <input type="checkbox" name="emailCarriesContent" checked={props.emailCarriesContent} aria-describedby="email-content-warning" />
        Emails to clients include the message itself
      </label>
      <p id="email-content-warning" class="warning small" role="note">
        Warning: with this on, the text of a message sent by email leaves Careline and is stored by email providers, outside your control. Off, the email only says a message is waiting and links back here.
      </p>
      <div><button type="submit" class="primary">Save portal and email settings</button></div>
    </form>
  </section>
)
