import { attachContact, authorizeChannel, type Channel, ChannelId, ClientId, createClient, mayAddClients, type PhoneLabel, type Staff } from "@careline/core"
import { Effect } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { Forbidden } from "../../../http/ApiError.js"
import { pathId } from "../../../http/Input.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { phoneLabelText } from "../../../web/ContactLabel.js"
import { CsrfField } from "../../../web/Layout.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { type PageSubject, runPage } from "./ClientAnswers.js"
import { accessibleClients, type ClientRow } from "./ClientDirectory.js"
import { attempt, formOf, pageResponse } from "./clientRoutes.js"
import { decodeAttachForm, decodeLabelForm, type FormBody, parseNewClient } from "./Forms.js"

const contactSubject: PageSubject = {
  section: "messages",
  notFound: "This conversation does not exist, or you do not have access to it.",
  back: { href: "/messages", label: "Back to messages" }
}

const LabelSelect = (props: { readonly selected?: string | undefined }) => (
  <label>The number is their
    <select name="label">
      {(["mobile", "home", "work"] as const).map((label: PhoneLabel) => <option value={label} selected={(props.selected ?? "mobile") === label}>{phoneLabelText(label)}</option>)}
    </select>
  </label>
)

const field = (form: FormBody | undefined, name: string) => (typeof form?.[name] === "string" ? (form[name] as string) : "")

/** S4: an unknown number that texted in — add it as a new client, or attach it to one of yours. */
const ContactPage = (props: { readonly channel: Channel; readonly staff: Staff; readonly clients: ReadonlyArray<ClientRow>; readonly csrfToken: string; readonly form?: FormBody; readonly error?: string }) => {
  const base = `/contacts/${props.channel.id}`
  return (
    <div class="contact-page stack">
      <header class="card">
        <h1>Unknown number {props.channel.phone}</h1>
        <p class="muted">This number is not on any client's profile. Add it as a new client, or to a client it belongs to; the conversation then shows their name.</p>
        <p><a href={`/messages/${props.channel.id}`}>Back to the conversation</a></p>
      </header>
      {props.error === undefined ? null : <p class="error" role="alert">{props.error}</p>}
      <div class="profile-grid">
        {mayAddClients(props.staff) ? (
          <form method="post" action={`${base}/new`} class="card stack" aria-labelledby="contact-new-title">
            <h2 id="contact-new-title">Add as new client</h2>
            <CsrfField token={props.csrfToken} />
            <p class="muted small">Primary number: {props.channel.phone}</p>
            <label>Name<input name="name" required maxlength={200} autocomplete="off" value={field(props.form, "name")} /></label>
            <label>Email <span class="muted small">(optional)</span><input type="email" name="email" maxlength={254} value={field(props.form, "email")} /></label>
            <LabelSelect selected={field(props.form, "label") || undefined} />
            <label class="inline"><input type="checkbox" name="okay" value="yes" /> The client agreed to receive texts ("okay to text")</label>
            <button type="submit" class="primary">Add client</button>
          </form>
        ) : (
          <section class="card"><h2>Add as new client</h2><p class="muted">Coordinators, supervisors and admins add clients.</p></section>
        )}
        <form method="post" action={`${base}/attach`} class="card stack" aria-labelledby="contact-attach-title">
          <h2 id="contact-attach-title">Attach to existing client</h2>
          <CsrfField token={props.csrfToken} />
          {props.clients.length === 0 ? <p class="muted">You have no clients to attach it to.</p> : (
            <>
              <label>Client
                <select name="clientId" required>
                  {props.clients.map(({ client }) => <option value={client.id} selected={field(props.form, "clientId") === client.id}>{client.name}</option>)}
                </select>
              </label>
              <LabelSelect />
              <button type="submit">Attach number</button>
            </>
          )}
        </form>
      </div>
    </div>
  )
}

const channelIdOf = (c: Context<WebEnv>) => pathId(c.req.param("channelId"), "channel", ChannelId.make)

const contactPage = (c: Context<WebEnv>, channel: Channel, extra: { readonly form?: FormBody; readonly error?: string } = {}, status = 200) =>
  Effect.gen(function* () {
    const { staff, csrfToken } = c.get("signedIn")
    const clients = yield* accessibleClients(staff)
    return yield* pageResponse(c, `Unknown number ${channel.phone}`, "messages", <ContactPage channel={channel} staff={staff} clients={clients} csrfToken={csrfToken} {...extra} />, status)
  })

/** The unknown number's channel, if the staff member sees it; a channel that already has a client goes to their profile. */
const unknownChannel = (c: Context<WebEnv>) =>
  Effect.gen(function* () {
    const { channel } = yield* authorizeChannel(c.get("signedIn").staff.id, yield* channelIdOf(c))
    return channel
  })

/**
 * Contacts (S4), linked from an unknown number's conversation: `GET /contacts/:channelId`, then
 * `POST …/new` (a new client with this number as primary; coordinators and up) or `POST …/attach`
 * (the number added to one of the staff member's clients). Either way the conversation becomes the
 * client's, through the core (`createClient`, `attachContact`: access policy and audit).
 */
export const contactRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .get("/contacts/:channelId", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const channel = yield* unknownChannel(c)
        if (channel.clientId !== undefined) return c.redirect(`/clients/${channel.clientId}`, 303)
        return yield* contactPage(c, channel)
      }), contactSubject))
    .post("/contacts/:channelId/new", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        const channel = yield* unknownChannel(c)
        if (!mayAddClients(staff)) return yield* new Forbidden({ reason: "Only coordinators, supervisors and admins add clients." })
        const form = yield* formOf(c)
        const { label } = yield* decodeLabelForm(form)
        const parsed = parseNewClient({ ...form, number1: channel.phone, label1: label, primary: "1" })
        if (!parsed.ok) return yield* contactPage(c, channel, { form, error: parsed.problems.join(" ") }, 422)
        const done = yield* attempt(Effect.gen(function* () {
          const client = yield* createClient({ staffId: staff.id, ...parsed.value })
          yield* attachContact({ staffId: staff.id, channelId: channel.id, clientId: client.id, label })
          return client
        }))
        if (!done.ok) return yield* contactPage(c, channel, { form, error: done.refused.message }, done.refused.status)
        return c.redirect(`/clients/${done.value.id}?done=attached`, 303)
      }), contactSubject))
    .post("/contacts/:channelId/attach", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        const channel = yield* unknownChannel(c)
        const form = yield* formOf(c)
        const input = yield* decodeAttachForm(form)
        const clientId = ClientId.make(input.clientId)
        const done = yield* attempt(attachContact({ staffId: staff.id, channelId: channel.id, clientId, label: input.label }))
        if (!done.ok) return yield* contactPage(c, channel, { form, error: done.refused.message }, done.refused.status)
        return c.redirect(`/clients/${clientId}?done=attached`, 303)
      }), contactSubject))
