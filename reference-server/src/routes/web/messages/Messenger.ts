import {
  audit,
  authorizeChannel,
  type Channel,
  type ChannelId,
  type Client,
  consentOf,
  type ConsentState,
  Conversations,
  Directory,
  type InboxFilter,
  type InboxRow,
  type Line,
  listInbox,
  loadChannelContext,
  type Message,
  type MessageId,
  type Queue,
  type QueueId,
  readChannel,
  requireOrganisation,
  requireStaff,
  type Staff,
  type StaffId,
  usableLines
} from "@careline/core"
import { Effect } from "effect"
import { searchInbox } from "../../../http/InboxSearch.js"

/** Messages shown at once; older ones come a page at a time ("Load older"). */
export const PAGE = 50
/** The newest messages read for the copyable transcript; the export has them all. */
export const COPY_LIMIT = 500
/** Unread channels in the notification centre. */
export const NOTIFICATIONS = 20

export interface InboxParams {
  readonly filter: InboxFilter
  readonly q: string
  readonly queue: QueueId | undefined
}

/** The queues a staff member belongs to (S2): each is a view of the inbox narrowed to its lines. */
const queuesOf = (staff: Staff) =>
  Directory.use((d) => d.listQueues(staff.organisationId)).pipe(
    Effect.map((queues) => queues.filter((queue) => queue.members.includes(staff.id)))
  )

const linesOfQueue = (lines: ReadonlyArray<Line>, queueId: QueueId) =>
  lines.filter((line) => line.owner._tag === "Queue" && line.owner.queueId === queueId).map((line) => line.id)

export interface InboxView {
  readonly params: InboxParams
  readonly rows: ReadonlyArray<InboxRow>
  readonly queues: ReadonlyArray<Queue>
}

/**
 * The staff member's inbox for the filter, words and queue asked for. Words go through the full-text
 * search (client-name matches first, then by newest matching message), each hit checked against the
 * access policy; a queue narrows the search itself to that queue's lines.
 */
export const loadInbox = (staffId: StaffId, params: InboxParams) =>
  Effect.gen(function* () {
    const staff = yield* requireStaff(staffId)
    const queues = yield* queuesOf(staff)
    const queue = queues.find((q) => q.id === params.queue)
    const lineIds = queue === undefined ? undefined : linesOfQueue(yield* usableLines(staff), queue.id)
    const rows = params.q.trim() !== ""
      ? yield* searchInbox(staff.id, params.q, params.filter, lineIds)
      : yield* listInbox({ staffId: staff.id, filter: params.filter, limit: PAGE, ...(lineIds === undefined ? {} : { lineIds }) })
    return { params: { ...params, queue: queue?.id }, rows, queues } satisfies InboxView
  })

/** A colleague's inbox, read-only (S3): `listInbox` refuses anyone but a supervisor or admin, and audits the view. */
export const loadColleagueInbox = (viewerId: StaffId, colleagueId: StaffId, filter: InboxFilter) =>
  listInbox({ staffId: viewerId, ofStaffId: colleagueId, filter, limit: PAGE })

/** The unread channels for the notification centre (S3). */
export const loadNotifications = (staffId: StaffId) => listInbox({ staffId, filter: "unread", limit: NOTIFICATIONS })

/** The colleagues a supervisor or admin may look in on: active staff of their organisation but themselves. */
export const colleaguesOf = (viewerId: StaffId) =>
  Effect.gen(function* () {
    const viewer = yield* requireStaff(viewerId)
    const staff = yield* Directory.use((d) => d.listStaff(viewer.organisationId))
    return staff.filter((s) => s.active && s.id !== viewer.id).sort((a, b) => a.name.localeCompare(b.name))
  })

export interface ChannelView {
  readonly channel: Channel
  readonly client: Client | undefined
  readonly line: Line
  /** Newest first, at most {@link COPY_LIMIT}. */
  readonly messages: ReadonlyArray<Message>
  readonly consent: ConsentState
  readonly timeZone: string
}

/**
 * Opens a channel (an audited read that marks it read), or a colleague's channel read-only when
 * `asStaffId` is given; with what the page shows around the messages.
 */
export const loadChannel = (staffId: StaffId, channelId: ChannelId, asStaffId?: StaffId) =>
  Effect.gen(function* () {
    const page = yield* readChannel({ staffId, channelId, limit: COPY_LIMIT, ...(asStaffId === undefined ? {} : { asStaffId }) })
    const context = yield* loadChannelContext(page.channel)
    const consent = yield* consentOf(page.channel.organisationId, page.channel.phone)
    const organisation = yield* requireOrganisation(page.channel.organisationId)
    return {
      channel: page.channel,
      client: context.client,
      line: context.line,
      messages: page.messages,
      consent: consent.state,
      timeZone: organisation.businessHours.timeZone
    } satisfies ChannelView
  })

/** A page of older messages (newest first), before the oldest one shown; an audited read. */
export const loadOlder = (staffId: StaffId, channelId: ChannelId, before: { readonly at: number; readonly id: MessageId }, asStaffId?: StaffId) =>
  Effect.gen(function* () {
    const page = yield* readChannel({ staffId, channelId, limit: PAGE, before, ...(asStaffId === undefined ? {} : { asStaffId }) })
    const context = yield* loadChannelContext(page.channel)
    const organisation = yield* requireOrganisation(page.channel.organisationId)
    return { channel: page.channel, messages: page.messages, clientName: context.client?.name ?? page.channel.phone, timeZone: organisation.businessHours.timeZone }
  })

export interface ActionsView {
  readonly staff: Staff
  readonly channel: Channel
  readonly client: Client | undefined
  readonly muted: boolean
}

/** What the actions pane needs: the channel as the policy lets this staff member see it, and their mute setting. */
export const loadActions = (staffId: StaffId, channelId: ChannelId) =>
  Effect.gen(function* () {
    const { staff, channel, context } = yield* authorizeChannel(staffId, channelId)
    const preference = yield* Conversations.use((c) => c.getPreference(channel.id, staff.id))
    return { staff, channel, client: context.client, muted: preference.muted } satisfies ActionsView
  })

/** The lines a staff member may send from, with how to name each (their queues by name). */
export const sendingLines = (staff: Staff) =>
  Effect.gen(function* () {
    const lines = yield* usableLines(staff)
    const queues = new Map((yield* Directory.use((d) => d.listQueues(staff.organisationId))).map((q) => [q.id, q.name]))
    return lines.map((line) => ({ line, label: lineLabel(line, staff, queues) }))
  })

export const lineLabel = (line: Line, staff: Staff, queueNames: ReadonlyMap<QueueId, string>): string => {
  switch (line.owner._tag) {
    case "Staff":
      return line.owner.staffId === staff.id ? `My line ${line.number}` : `Personal line ${line.number}`
    case "Organisation":
      return `Organisation line ${line.number}`
    case "Queue":
      return `${queueNames.get(line.owner.queueId) ?? "Queue"} ${line.number}`
  }
}

/**
 * The whole channel, oldest first, for the transcript export: authorized by the access policy and
 * audited as one read (detail `transcript`).
 */
export const loadTranscript = (staffId: StaffId, channelId: ChannelId) =>
  Effect.gen(function* () {
    const { channel, context } = yield* authorizeChannel(staffId, channelId)
    const conversations = yield* Conversations
    const all: Array<Message> = []
    let before: { at: number; id: MessageId } | undefined
    for (;;) {
      const page = yield* conversations.listMessages(channel.id, { limit: 500, ...(before === undefined ? {} : { before }) })
      all.push(...page)
      const oldest = page.at(-1)
      if (oldest === undefined || page.length < 500) break
      before = { at: oldest.at, id: oldest.id }
    }
    yield* audit({
      organisationId: channel.organisationId,
      actor: { _tag: "Staff", staffId },
      action: "channel.read",
      channelId: channel.id,
      ...(channel.clientId === undefined ? {} : { clientId: channel.clientId }),
      detail: "transcript"
    })
    const organisation = yield* requireOrganisation(channel.organisationId)
    return { channel, client: context.client, messages: all.reverse(), timeZone: organisation.businessHours.timeZone }
  })

/** Staff names by id, for who wrote each message. */
export const staffNamesOf = (organisationId: Channel["organisationId"]) =>
  Directory.use((d) => d.listStaff(organisationId)).pipe(
    Effect.map((staff): ReadonlyMap<string, string> => new Map(staff.map((s) => [s.id as string, s.name])))
  )

/** The organisation's time zone: times are shown in it. */
export const timeZoneOf = (organisationId: Channel["organisationId"]) =>
  requireOrganisation(organisationId).pipe(Effect.map((organisation) => organisation.businessHours.timeZone))
