import { LibsqlSearch } from "@careline/adapter-libsql"
import {
  authorizeChannel,
  type ChannelId,
  contactLabel,
  Conversations,
  type InboxFilter,
  type InboxRow,
  matchesFilter,
  requireStaff,
  type StaffId,
  usableLines
} from "@careline/core"
import { Effect, Option } from "effect"

const PAGE = 50

/**
 * The inbox narrowed by words or a client's name (full-text search over the staff member's lines),
 * with every hit checked against the access policy — a specialist never finds a channel of a client
 * not assigned to them — and the inbox's own filter and hidden channels applied.
 */
export const searchInbox = (staffId: StaffId, text: string, filter: InboxFilter) =>
  Effect.gen(function* () {
    const staff = yield* requireStaff(staffId)
    const lines = yield* usableLines(staff)
    const ids: ReadonlyArray<ChannelId> = yield* LibsqlSearch.use((s) =>
      s.searchChannels({ lineIds: lines.map((l) => l.id), query: text, limit: PAGE * 4 }))
    const rows: Array<InboxRow> = []
    for (const id of ids) {
      if (rows.length === PAGE) break
      const found = yield* authorizeChannel(staff.id, id).pipe(
        Effect.map(Option.some),
        Effect.catchTag("AccessDenied", () => Effect.succeed(Option.none()))
      )
      if (Option.isNone(found) || !matchesFilter(found.value.channel, filter)) continue
      const { channel, context } = found.value
      const preference = yield* Conversations.use((c) => c.getPreference(channel.id, staff.id))
      if (preference.hidden) continue
      rows.push({ channel, contact: contactLabel(context.client, channel.phone), unread: channel.status === "unread", muted: preference.muted })
    }
    return rows
  })
