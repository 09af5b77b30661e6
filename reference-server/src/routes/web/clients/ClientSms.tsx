import { type Client, consentOf, type ConsentState, type LineId, measureSms, primaryPhone, type Staff } from "@careline/core"
import { Clock, Effect, Option } from "effect"
import { contactLabel } from "../../../web/ContactLabel.js"
import { CsrfField } from "../../../web/Layout.js"
import { composerProps } from "../messages/ChannelPanes.js"
import { Composer, type ComposerProps, MessagesRegion } from "../messages/ConversationPane.js"
import { consentLabel } from "../messages/Format.js"
import { type ChannelView, loadChannel, sendingLines, staffNamesOf } from "../messages/Messenger.js"
import { visibleChannelsOf } from "./ClientDirectory.js"

export interface FirstText {
  readonly body?: string
  readonly error?: string
}

export interface SmsTabView {
  readonly client: Client
  readonly lines: ReadonlyArray<{ readonly id: LineId; readonly label: string; readonly hasChannel: boolean }>
  readonly lineId: LineId | undefined
  /** The conversation on the selected line, when there is one (read through the core: audited, marks it read). */
  readonly conversation?: { readonly view: ChannelView; readonly staffNames: ReadonlyMap<string, string>; readonly now: number; readonly composer: ComposerProps }
  readonly primaryConsent: ConsentState | undefined
  readonly firstText: FirstText
}

/**
 * The Messages (SMS) tab (S0): the staff member's conversation with the client on one of their lines
 * — the line asked for, else the most recent conversation's, else their own line. The same channel
 * the Messages screen shows, with the same composer.
 */
export const loadSmsTab = (staff: Staff, client: Client, csrfToken: string, requested: string | undefined, firstText: FirstText = {}) =>
  Effect.gen(function* () {
    const visible = yield* visibleChannelsOf(staff, client.id)
    const sendable = yield* sendingLines(staff)
    const lines = sendable.map(({ line, label }) => ({ id: line.id, label, hasChannel: visible.some((c) => c.lineId === line.id) }))
    const own = sendable.find(({ line }) => line.owner._tag === "Staff" && line.owner.staffId === staff.id)
    const lineId = lines.find((l) => l.id === requested)?.id ?? visible[0]?.lineId ?? own?.line.id ?? lines[0]?.id
    const channel = visible.find((c) => c.lineId === lineId)
    const primary = primaryPhone(client)
    const primaryConsent = Option.isNone(primary) ? undefined : (yield* consentOf(client.organisationId, primary.value.number)).state
    if (channel === undefined) return { client, lines, lineId, primaryConsent, firstText } satisfies SmsTabView
    const view = yield* loadChannel(staff.id, channel.id)
    // A refused first text may still have opened the channel: its reason and words go to the composer.
    const state = { ...(firstText.body === undefined ? {} : { body: firstText.body }), ...(firstText.error === undefined ? {} : { error: firstText.error }) }
    const composer = yield* composerProps(staff, view.channel, view.client, csrfToken, state)
    const conversation = {
      view,
      staffNames: yield* staffNamesOf(client.organisationId),
      now: yield* Clock.currentTimeMillis,
      // The tab switches lines itself, so the composer sends from this channel's line only.
      composer: { ...composer, lines: composer.lines.filter((l) => l.id === channel.lineId) }
    }
    return { client, lines, lineId, conversation, primaryConsent, firstText } satisfies SmsTabView
  })

const counterText = (body: string) => {
  const measure = measureSms(body)
  return `${measure.units} characters · ${measure.encoding} · ${measure.segments} segment${measure.segments === 1 ? "" : "s"}`
}

/** The first text to a client on a line: it creates the channel (S3 "Creating a client channel"). */
const FirstTextForm = (props: { readonly tab: SmsTabView; readonly lineId: LineId; readonly csrfToken: string }) => {
  const { tab } = props
  const body = tab.firstText.body ?? ""
  const primary = primaryPhone(tab.client)
  return (
    <form method="post" action={`/clients/${tab.client.id}/sms`} class="composer stack">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="lineId" value={props.lineId} />
      <p class="muted">No conversation with {tab.client.name} on this line yet. Your first text starts one.</p>
      {tab.firstText.error === undefined ? null : <p class="error" role="alert">{tab.firstText.error}</p>}
      {tab.primaryConsent === undefined ? <p class="notice small">This client has no primary number to text.</p> : (
        <p class={tab.primaryConsent === "opted_in" ? "muted small" : "notice small"}>
          <strong>Consent:</strong> {consentLabel[tab.primaryConsent]}
          {tab.client.blocked ? " · This client is blocked: nothing is sent to them." : ""}
        </p>
      )}
      <label for="first-text">Message to {Option.match(primary, { onNone: () => tab.client.name, onSome: (p) => contactLabel(tab.client, p.number) })}</label>
      <textarea id="first-text" name="body" rows={3} maxlength={1600} required data-segments="#first-text-segments">{body}</textarea>
      <div class="row composer-row">
        <output id="first-text-segments" class="muted small" aria-live="polite">{counterText(body)}</output>
        <button type="submit" class="primary">Send</button>
      </div>
    </form>
  )
}

/**
 * While there is no conversation on the line, live inbox events ask whether one has started (the
 * client may text first); the answer is this watcher again, or a link to show it. It reads no messages.
 */
export const ConversationWatch = (props: { readonly clientId: Client["id"]; readonly lineId: LineId; readonly started?: boolean }) =>
  props.started === true
    ? <p class="notice" role="status">A conversation has started on this line. <a href={`/clients/${props.clientId}?tab=messages&line=${encodeURIComponent(props.lineId)}`}>Show it</a></p>
    : <div hx-get={`/clients/${props.clientId}/sms/watch?line=${encodeURIComponent(props.lineId)}`} hx-trigger="inbox from:#live" hx-swap="outerHTML"></div>

export const SmsTab = (props: { readonly tab: SmsTabView; readonly csrfToken: string }) => {
  const { tab } = props
  const base = `/clients/${tab.client.id}?tab=messages`
  const conversation = tab.conversation
  return (
    <section id="sms-tab" class="card stack sms-tab" aria-labelledby="sms-title">
      <h2 id="sms-title">Messages (SMS)</h2>
      {tab.lines.length > 1 ? (
        <nav class="filters" aria-label="Your lines">
          {tab.lines.map((line) => (
            <a href={`${base}&line=${encodeURIComponent(line.id)}`} aria-current={line.id === tab.lineId ? "true" : undefined}>
              {line.label}{line.hasChannel ? "" : " (no conversation)"}
            </a>
          ))}
        </nav>
      ) : null}
      {tab.lineId === undefined
        ? <p class="notice">You have no line to text from. Ask an admin to give you one.</p>
        : conversation === undefined
        ? <><FirstTextForm tab={tab} lineId={tab.lineId} csrfToken={props.csrfToken} /><ConversationWatch clientId={tab.client.id} lineId={tab.lineId} /></>
        : (
          <div class="conversation sms-conversation">
            <p class="row small">
              <span>{contactLabel(conversation.view.client, conversation.view.channel.phone)}</span>
              <a href={`/messages/${conversation.view.channel.id}`}>Open in Messages</a>
            </p>
            <MessagesRegion
              channel={conversation.view.channel}
              title={`Conversation with ${contactLabel(conversation.view.client, conversation.view.channel.phone)}`}
              newestFirst={conversation.view.messages}
              base="/messages"
              withTranscript={false}
              context={{ clientName: tab.client.name, staffNames: conversation.staffNames, timeZone: conversation.view.timeZone, now: conversation.now }}
            />
            <Composer {...conversation.composer} />
          </div>
        )}
    </section>
  )
}
