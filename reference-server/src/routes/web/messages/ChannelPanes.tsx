import { type Channel, type Client, consentOf, contactLabel, type LineId, type Staff, type StaffId } from "@careline/core"
import { Clock, Effect } from "effect"
import { ActionsPane } from "./ActionsPane.js"
import { Composer, type ComposerProps, MessagesRegion } from "./ConversationPane.js"
import { statusLabel } from "./Format.js"
import { type ChannelView, loadActions, loadChannel, sendingLines, staffNamesOf } from "./Messenger.js"

/** What the composer shows after a refused send: the words kept, the reason said. */
export interface ComposerState {
  readonly body?: string
  readonly lineId?: LineId
  readonly error?: string
  readonly medium?: "sms" | "email"
}

/** The composer's props for a channel: consent of its number, the client, and the lines to pick from. */
export const composerProps = (staff: Staff, channel: Channel, client: Client | undefined, csrfToken: string, state: ComposerState = {}) =>
  Effect.gen(function* () {
    const consent = yield* consentOf(channel.organisationId, channel.phone)
    const lines = yield* sendingLines(staff)
    return {
      channelId: channel.id,
      contact: contactLabel(client, channel.phone),
      client,
      consent: consent.state,
      lines: lines.map(({ line, label }) => ({ id: line.id, label })),
      channelLineId: channel.lineId,
      csrfToken,
      ...state
    } satisfies ComposerProps
  })

const Conversation = (props: { readonly view: ChannelView; readonly staffNames: ReadonlyMap<string, string>; readonly base: string; readonly now: number; readonly readOnly: boolean; readonly composer?: ComposerProps }) => {
  const { view } = props
  const contact = contactLabel(view.client, view.channel.phone)
  return (
    <section id="conversation" class="card conversation" aria-labelledby="conversation-title">
      <header class="conversation-head row">
        <h2 id="conversation-title">{contact}</h2>
        {props.readOnly ? <span class="badge readonly">Read-only</span> : null}
      </header>
      <MessagesRegion
        channel={view.channel}
        title={`Conversation with ${contact}`}
        newestFirst={view.messages}
        base={props.base}
        withTranscript={!props.readOnly}
        context={{
          clientName: view.client?.name ?? view.channel.phone,
          staffNames: props.staffNames,
          timeZone: view.timeZone,
          now: props.now,
          attachmentBase: props.base,
          ...(props.readOnly || view.client === undefined || props.composer === undefined ? {} : { chart: { csrfToken: props.composer.csrfToken } })
        }}
      />
      {props.composer === undefined ? null : <Composer {...props.composer} />}
    </section>
  )
}

/** The open channel (an audited read that marks it read) with its composer and actions pane. */
export const ownChannelPanes = (staff: Staff, channelId: ChannelView["channel"]["id"], csrfToken: string, origin: string, composer: ComposerState = {}) =>
  Effect.gen(function* () {
    const view = yield* loadChannel(staff.id, channelId)
    const actions = yield* loadActions(staff.id, channelId)
    const staffNames = yield* staffNamesOf(view.channel.organisationId)
    const now = yield* Clock.currentTimeMillis
    const composerView = yield* composerProps(staff, view.channel, view.client, csrfToken, composer)
    return {
      view,
      panes: (
        <>
          <Conversation view={view} staffNames={staffNames} base="/messages" now={now} readOnly={false} composer={composerView} />
          <ActionsPane view={actions} csrfToken={csrfToken} origin={origin} />
        </>
      )
    }
  })

/** A colleague's channel, read-only (S3): audited, left unread, no composer and no actions. */
export const colleagueChannelPanes = (viewerId: StaffId, colleague: Staff, channelId: ChannelView["channel"]["id"]) =>
  Effect.gen(function* () {
    const view = yield* loadChannel(viewerId, channelId, colleague.id)
    const staffNames = yield* staffNamesOf(view.channel.organisationId)
    const now = yield* Clock.currentTimeMillis
    return {
      view,
      panes: (
        <>
          <Conversation view={view} staffNames={staffNames} base={`/messages/colleague/${colleague.id}`} now={now} readOnly={true} />
          <aside id="channel-actions" class="card channel-actions stack" aria-labelledby="channel-actions-title">
            <p class="notice">Read-only: {colleague.name}'s inbox. Nothing here changes the conversation.</p>
            <h2 id="channel-actions-title">{view.client?.name ?? view.channel.phone}</h2>
            <p class="muted small">{contactLabel(view.client, view.channel.phone)}</p>
            {view.client === undefined ? null : <p><a href={`/clients/${view.client.id}`}>Open client profile</a></p>}
            <p>Status <span class={`badge ${view.channel.status}`}>{statusLabel[view.channel.status]}</span></p>
          </aside>
        </>
      )
    }
  })
