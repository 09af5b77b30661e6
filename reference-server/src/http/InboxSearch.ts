import { LibsqlSearch } from "@careline/adapter-libsql"
import {
  authorizeChannels,
  contactLabel,
  type InboxFilter,
  type InboxRow,
  isOrgWideRole,
  type LineId,
  requireStaff,
  type StaffId,
  usableLines
} from "@careline/core"
import { Effect } from "effect"

/** Channels a search shows: the work grows with it (a specialist sees ~2 % of the hits), so fewer than an inbox page. */
const PAGE = 25

/**
 * The inbox narrowed by words or a client's name (full-text search over the staff member's lines, or
 * only `lineIds` of them: a queue's view), ordered by relevance by recency: client-name matches first,
 * then channels by their newest matching message (docs/domain-rules.md, "Search"). The search itself is
 * scoped as the inbox is — usable lines, a specialist's current assignments, the filter, hidden channels
 * left out — and every hit is still checked against the access policy (`authorizeChannels`, batched):
 * a specialist never finds a channel of a client not assigned to them.
 */
export const searchInbox = (staffId: StaffId, text: string, filter: InboxFilter, lineIds?: ReadonlyArray<LineId>) =>
  Effect.gen(function* () {
    const staff = yield* requireStaff(staffId)
    const usable = (yield* usableLines(staff)).map((line) => line.id)
    const entries = yield* LibsqlSearch.use((s) =>
      s.searchInbox({
        lineIds: lineIds === undefined ? usable : usable.filter((id) => lineIds.includes(id)),
        query: text,
        limit: PAGE,
        filter,
        viewer: staff.id,
        ...(isOrgWideRole(staff.role) ? {} : { assignedTo: staff.id })
      }))
    const muted = new Map(entries.map((entry) => [entry.channel.id, entry.muted]))
    const visible = yield* authorizeChannels(staff, entries.map((entry) => entry.channel))
    return visible.map(({ channel, context }): InboxRow => ({
      channel,
      contact: contactLabel(context.client, channel.phone),
      unread: channel.status === "unread",
      muted: muted.get(channel.id) === true
    }))
  })
