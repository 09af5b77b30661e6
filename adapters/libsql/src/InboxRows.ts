import type { InboxFilter, InboxQuery, LineId } from "@careline/core"
import type { InArgs, Row } from "@libsql/client"
import { withoutNulls } from "./Decode.js"

/** What an inbox statement's text depends on; its values are parameters. */
interface InboxShape {
  readonly lines: number
  readonly filter: InboxFilter
  readonly assigned: boolean
  readonly after: boolean
}

/** The inbox filters of `matchesFilter`: "archived" shows only archived channels, the rest only unarchived. */
const filterSql = (filter: InboxFilter) =>
  filter === "archived" ? "c.archived = 1" : filter === "all" ? "c.archived = 0" : "c.archived = 0 AND c.status = :status"

/**
 * The top `:limit` rows of the `i`th line, newest activity first, ties by id: `channels_inbox_idx`
 * serves the order and every filter but `hidden`, so only the rows kept are read from the table. A
 * specialist (`:assignedTo`) sees only the channels of clients currently assigned to them, or of
 * unknown numbers.
 */
const lineSql = (i: number, shape: InboxShape) => `SELECT c.id, c.organisation_id, c.line_id, c.phone, c.client_id, c.status, c.archived,
  c.replies_allowed, c.reply_token, c.unread_count, c.created_at, c.last_activity_at, c.after_hours_replied_for, c.urgent_since, p.muted
FROM channels c LEFT JOIN channel_preferences p ON p.channel_id = c.id AND p.staff_id = :viewer
WHERE c.line_id = :line${i} AND (p.hidden IS NULL OR p.hidden = 0) AND ${filterSql(shape.filter)}${
  shape.assigned
    ? `
  AND (c.client_id IS NULL OR EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = c.client_id AND a.staff_id = :assignedTo AND a.ended_at IS NULL))`
    : ""
}${
  shape.after
    ? `
  AND (c.last_activity_at < :afterAt OR (c.last_activity_at = :afterAt AND c.id > :afterId))`
    : ""
}
ORDER BY c.last_activity_at DESC, c.id ASC LIMIT :limit`

/**
 * Several lines in one statement: each line's own indexed top-N, merged by `UNION ALL` and cut again
 * — `line_id IN (…) ORDER BY` would sort every channel of every line.
 */
const inboxSql = (shape: InboxShape) =>
  shape.lines === 1
    ? lineSql(0, shape)
    : Array.from({ length: shape.lines }, (_, i) => `SELECT * FROM (${lineSql(i, shape)})`).join("\nUNION ALL\n") +
      "\nORDER BY last_activity_at DESC, id ASC LIMIT :limit"

const texts = new Map<string, string>()

/**
 * The statement and arguments of the inbox page `query` asks for, over distinct `lineIds`: plain SQL
 * (the reading connection keeps it prepared), its rows read by {@link inboxEntryFromRow} — this runs
 * on every inbox request, and drizzle's row mapping cost more than the query.
 */
export const inboxStatement = (lineIds: ReadonlyArray<LineId>, query: InboxQuery): { readonly sql: string; readonly args: InArgs } => {
  const shape: InboxShape = { lines: lineIds.length, filter: query.filter, assigned: query.assignedTo !== undefined, after: query.after !== undefined }
  const key = `${shape.lines}|${shape.filter}|${shape.assigned}|${shape.after}`
  let sql = texts.get(key)
  if (sql === undefined) texts.set(key, (sql = inboxSql(shape)))
  const args: Record<string, string | number> = { viewer: query.viewer, limit: Math.floor(query.limit) }
  lineIds.forEach((lineId, i) => (args[`line${i}`] = lineId))
  if (shape.filter !== "all" && shape.filter !== "archived") args["status"] = shape.filter
  if (query.assignedTo !== undefined) args["assignedTo"] = query.assignedTo
  if (query.after !== undefined) Object.assign(args, { afterAt: query.after.lastActivityAt, afterId: query.after.id })
  return { sql, args }
}

/** A boolean column as drizzle reads one (`integer({ mode: "boolean" })`). */
const bool = (value: unknown) => Number(value) === 1

/** A row of {@link inboxStatement}: the channel as `channelFromRow` makes it (for the decoder), and whether the viewer muted it. */
export const inboxEntryFromRow = (row: Row): { readonly channel: Record<string, unknown>; readonly muted: boolean } => ({
  channel: withoutNulls({
    id: row["id"],
    organisationId: row["organisation_id"],
    lineId: row["line_id"],
    phone: row["phone"],
    clientId: row["client_id"],
    status: row["status"],
    archived: bool(row["archived"]),
    repliesAllowed: bool(row["replies_allowed"]),
    replyToken: row["reply_token"],
    unreadCount: row["unread_count"],
    createdAt: row["created_at"],
    lastActivityAt: row["last_activity_at"],
    afterHoursRepliedFor: row["after_hours_replied_for"],
    urgentSince: row["urgent_since"]
  }),
  muted: bool(row["muted"])
})
