import { Effect } from "effect"
import { AccessDenied, canViewColleagueInbox } from "../AccessPolicy.js"
import { byNewestActivity, type Channel, type InboxFilter, matchesFilter } from "../Channel.js"
import { contactLabel } from "../Client.js"
import type { StaffId } from "../Ids.js"
import { Conversations } from "../ports/Conversations.js"
import { audit } from "./Audit.js"
import { requireStaff } from "./Lookup.js"
import { visibleChannels } from "./Visibility.js"

export interface InboxRow {
  readonly channel: Channel
  /** "Name – Mobile", or the bare number for an unknown contact (S4). */
  readonly contact: string
  readonly unread: boolean
  readonly muted: boolean
}

export interface ListInbox {
  readonly staffId: StaffId
  readonly filter?: InboxFilter
  /** A supervisor or admin looking at a colleague's inbox read-only (S3); audited. */
  readonly ofStaffId?: StaffId
}

/** A staff member's channels, newest activity first, without the ones they hid. */
export const listInbox = (input: ListInbox) =>
  Effect.gen(function* () {
    const viewer = yield* requireStaff(input.staffId)
    const owner = input.ofStaffId === undefined ? viewer : yield* requireStaff(input.ofStaffId)
    if (owner.id !== viewer.id) {
      const decision = canViewColleagueInbox(viewer, owner)
      if (decision._tag === "Denied") return yield* new AccessDenied({ reason: decision.reason })
      yield* audit({
        organisationId: viewer.organisationId,
        actor: { _tag: "Staff", staffId: viewer.id },
        action: "inbox.view_colleague",
        detail: `staff=${owner.id}`
      })
    }
    const conversations = yield* Conversations
    const rows: Array<InboxRow> = []
    for (const { channel, context } of yield* visibleChannels(owner)) {
      if (!matchesFilter(channel, input.filter ?? "all")) continue
      const preference = yield* conversations.getPreference(channel.id, owner.id)
      if (preference.hidden) continue
      rows.push({ channel, contact: contactLabel(context.client, channel.phone), unread: channel.status === "unread", muted: preference.muted })
    }
    return rows.sort((a, b) => byNewestActivity(a.channel, b.channel))
  })
