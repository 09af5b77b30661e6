import { Channel, ChannelId, type InboxEntry, type InboxFilter, type LineId, type StaffId, type StorageError } from "@careline/core"
import { and, eq, inArray, type SQL, sql } from "drizzle-orm"
import { Context, Effect } from "effect"
import { channelFromRow } from "./ConversationRows.js"
import type { Database } from "./Database.js"
import { decodeAll, decoder } from "./Decode.js"
import * as t from "./schema.js"
import type { Sql } from "./WriteBatcher.js"

/** Where to look: the caller passes only what its access policy lets the staff member see. */
export type ChannelSearchScope =
  | { readonly channelIds: ReadonlyArray<ChannelId> }
  | { readonly lineIds: ReadonlyArray<LineId> }

export type ChannelSearch = ChannelSearchScope & {
  /** What the person typed; never FTS5 syntax (see {@link toFtsQuery}). */
  readonly query: string
  readonly limit: number
  /** Only what a specialist may see (the inbox's own check): channels without a client, or whose client is currently assigned to them. */
  readonly assignedTo?: StaffId
  /** Only channels the inbox shows under this filter (as `matchesFilter`). */
  readonly filter?: InboxFilter
  /** Leaves out the channels this staff member hid from their inbox. */
  readonly viewer?: StaffId
}

const MAX_WORDS = 16
const MAX_LIMIT = 500

/**
 * Turns what a person typed into an FTS5 query that can only narrow: each run of letters and digits
 * becomes a quoted phrase (so `"`, `*`, `-`, `:`, `^`, `NEAR`, `OR`, `AND`, `NOT` and parentheses are
 * plain text or separators, never operators) and all of them must match; the last word also matches as
 * a prefix, for search as you type. `undefined` when there is nothing to look for.
 *
 * @example
 * ```ts
 * toFtsQuery('casey "OR" appoint*') // => '"casey" "OR" "appoint"*'
 * ```
 */
export const toFtsQuery = (input: string): string | undefined => {
  const words = (input.normalize("NFC").match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).slice(0, MAX_WORDS)
  if (words.length === 0) return undefined
  return words.map((word, i) => `"${word.replaceAll('"', '""')}"${i === words.length - 1 ? "*" : ""}`).join(" ")
}

const decodeChannelId = decoder("channel id", ChannelId)
const decodeChannel = decoder("channel", Channel)

/**
 * In-scope matching messages read by the first round, per channel asked for (a channel often has
 * several of the newest hits: on the seeded database 50 channels took 53–151 hits); each further round
 * reads {@link GROWTH} times more, older than the last.
 */
const FIRST_WINDOW = 4
const GROWTH = 4

/** What every result meets, on the `channels` row: the scope and the narrowing asked for. */
const narrowing = (search: ChannelSearch): SQL => {
  const [column, ids] = "channelIds" in search ? [t.channels.id, search.channelIds] : [t.channels.lineId, search.lineIds]
  const conditions: Array<SQL> = [sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`]
  if (search.filter === "archived") conditions.push(sql`${t.channels.archived} = 1`)
  else if (search.filter !== undefined) conditions.push(sql`${t.channels.archived} = 0`)
  if (search.filter !== undefined && search.filter !== "all" && search.filter !== "archived") conditions.push(sql`${t.channels.status} = ${search.filter}`)
  if (search.viewer !== undefined) {
    conditions.push(sql`NOT EXISTS (SELECT 1 FROM channel_preferences p WHERE p.channel_id = ${t.channels.id} AND p.staff_id = ${search.viewer} AND p.hidden = 1)`)
  }
  if (search.assignedTo !== undefined) {
    conditions.push(sql`(${t.channels.clientId} IS NULL OR EXISTS (SELECT 1 FROM assignments a
      WHERE a.client_id = ${t.channels.clientId} AND a.staff_id = ${search.assignedTo} AND a.ended_at IS NULL))`)
  }
  return sql.join(conditions, sql` AND `)
}

/** Channels whose client's name matches, newest activity first. */
const byClientName = (db: Sql, match: string, where: SQL, limit: number) =>
  db.all<{ id: string }>(sql`
    SELECT channels.id AS id FROM clients_fts CROSS JOIN clients cl CROSS JOIN channels
    WHERE clients_fts MATCH ${match} AND cl.seq = clients_fts.rowid AND channels.client_id = cl.id AND ${where}
    ORDER BY channels.last_activity_at DESC, channels.id
    LIMIT ${limit}`)

/**
 * Channels by their newest matching message among the newest `window` matching messages in scope that
 * are older than `before` (`seq` grows as messages are stored, and FTS5 reads its doclist backwards
 * for `ORDER BY rowid DESC`, so this stops after `window` hits instead of reading all of them); `seen`
 * is how many hits it read, `oldest` where the next round goes on from.
 */
const byNewestMessage = (db: Sql, match: string, where: SQL, window: number, limit: number, before: number | undefined) =>
  db.all<{ id: string; seen: number; oldest: number }>(sql`
    SELECT id, max(r) AS newest, sum(count(*)) OVER () AS seen, min(min(r)) OVER () AS oldest FROM (
      SELECT m.channel_id AS id, messages_fts.rowid AS r
      FROM messages_fts CROSS JOIN messages m CROSS JOIN channels
      WHERE messages_fts MATCH ${match} ${before === undefined ? sql`` : sql`AND messages_fts.rowid < ${before}`}
        AND m.seq = messages_fts.rowid AND channels.id = m.channel_id AND ${where}
      ORDER BY messages_fts.rowid DESC
      LIMIT ${window}
    )
    GROUP BY id ORDER BY newest DESC
    LIMIT ${limit}`)

/**
 * The search's statements, on the lane the caller holds: client-name matches first, then rounds of
 * matching messages, each older than the last and larger, until `limit` channels or no more hits. A
 * channel first found in a later round has no newer hit, so appending keeps the order exact.
 */
const searchIds = async (db: Sql, search: ChannelSearch, match: string, limit: number): Promise<Array<string>> => {
  const where = narrowing(search)
  const found = (await byClientName(db, match, where, limit)).map((row) => row.id)
  let before: number | undefined
  for (let window = limit * FIRST_WINDOW; found.length < limit; window *= GROWTH) {
    const rows = await byNewestMessage(db, match, where, window, limit + found.length, before)
    const known = new Set(found)
    found.push(...rows.map((row) => row.id).filter((id) => !known.has(id)).slice(0, limit - found.length))
    if (rows[0] === undefined || Number(rows[0].seen) < window) break
    before = Number(rows[0].oldest)
  }
  return found
}

const searchParameters = (search: ChannelSearch) => {
  const match = toFtsQuery(search.query)
  const limit = Math.min(MAX_LIMIT, Math.max(0, Math.floor(search.limit)))
  const ids = "channelIds" in search ? search.channelIds : search.lineIds
  return match === undefined || limit === 0 || ids.length === 0 ? undefined : { match, limit }
}

/**
 * Channels in `scope` whose client's name or whose messages match `query`, at most `limit`, ordered by
 * relevance by recency (a product decision, see docs/domain-rules.md): channels whose client's name
 * matches first (newest activity first, ties by id), then channels by their newest matching message.
 * The work is bounded by what is shown, not by how common a word is: the newest matching messages in
 * scope are read in rounds that go further back and grow (4 hits per channel asked for, then ×4) until
 * `limit` channels are found or the hits run out. The index covers message bodies and client names and lives in the (encrypted)
 * database file; triggers keep it in step with every insert, update and delete.
 *
 * @example
 * ```ts
 * const ids = yield* searchChannels(database, { lineIds: visibleLineIds, query: "casey", limit: 20 })
 * ```
 */
export const searchChannels = (
  database: Database,
  search: ChannelSearch
): Effect.Effect<ReadonlyArray<ChannelId>, StorageError> => {
  const parameters = searchParameters(search)
  if (parameters === undefined) return Effect.succeed([])
  return database
    .read("LibsqlSearch.searchChannels", (db) => searchIds(db, search, parameters.match, parameters.limit))
    .pipe(Effect.flatMap(decodeAll(decodeChannelId("LibsqlSearch.searchChannels"))))
}

/**
 * {@link searchChannels} as inbox entries for `viewer` (the channel and whether they muted it; the
 * ones they hid left out), in the search's order, in one turn on the lane.
 *
 * @example
 * ```ts
 * const entries = yield* searchInbox(database, { lineIds, assignedTo: staffId, viewer: staffId, filter: "all", query: "refill", limit: 50 })
 * ```
 */
export const searchInbox = (
  database: Database,
  search: ChannelSearch & { readonly viewer: StaffId }
): Effect.Effect<ReadonlyArray<InboxEntry>, StorageError> => {
  const parameters = searchParameters(search)
  if (parameters === undefined) return Effect.succeed([])
  return database
    .read("LibsqlSearch.searchInbox", async (db) => {
      const ids = await searchIds(db, search, parameters.match, parameters.limit)
      if (ids.length === 0) return []
      const rows = await db
        .select()
        .from(t.channels)
        .leftJoin(t.channelPreferences, and(eq(t.channelPreferences.channelId, t.channels.id), eq(t.channelPreferences.staffId, search.viewer)))
        .where(inArray(t.channels.id, ids))
      const byId = new Map(rows.map((row) => [row.channels.id, row]))
      return ids.flatMap((id) => byId.get(id) ?? [])
    })
    .pipe(
      Effect.flatMap((rows) =>
        Effect.forEach(rows, (row) =>
          Effect.map(decodeChannel("LibsqlSearch.searchInbox")(channelFromRow(row.channels)), (channel): InboxEntry => ({
            channel,
            muted: row.channel_preferences?.muted === true
          }))))
    )
}

/**
 * Full-text search of channels (no core port yet). The inbox calls it with the lines its access policy
 * allows (and, for a specialist, their assignments), so a result never reaches past what the staff
 * member may see; the caller still checks every result against the policy.
 *
 * @example
 * ```ts
 * const ids = yield* LibsqlSearch.use((s) => s.searchChannels({ channelIds: visible, query: "refill", limit: 20 }))
 * ```
 */
export class LibsqlSearch extends Context.Service<LibsqlSearch, {
  readonly searchChannels: (search: ChannelSearch) => Effect.Effect<ReadonlyArray<ChannelId>, StorageError>
  readonly searchInbox: (search: ChannelSearch & { readonly viewer: StaffId }) => Effect.Effect<ReadonlyArray<InboxEntry>, StorageError>
}>()("@careline/adapter-libsql/LibsqlSearch") {}

export const makeSearch = (database: Database) =>
  LibsqlSearch.of({
    searchChannels: (search) => searchChannels(database, search),
    searchInbox: (search) => searchInbox(database, search)
  })
