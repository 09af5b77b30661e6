import { ChannelId, type LineId, type StorageError } from "@careline/core"
import { sql } from "drizzle-orm"
import { Context, Effect } from "effect"
import type { Database } from "./Database.js"
import { decodeAll, decoder } from "./Decode.js"

/** Where to look: the caller passes only what its access policy lets the staff member see. */
export type ChannelSearchScope =
  | { readonly channelIds: ReadonlyArray<ChannelId> }
  | { readonly lineIds: ReadonlyArray<LineId> }

export type ChannelSearch = ChannelSearchScope & {
  /** What the person typed; never FTS5 syntax (see {@link toFtsQuery}). */
  readonly query: string
  readonly limit: number
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

/**
 * Channels in `scope` whose messages or whose client's name match `query`, newest activity first (ties
 * by id, as the inbox orders them), at most `limit`. The index covers message bodies and client names
 * and lives in the (encrypted) database file; triggers keep it in step with every insert, update and
 * delete.
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
  const match = toFtsQuery(search.query)
  const limit = Math.min(MAX_LIMIT, Math.max(0, Math.floor(search.limit)))
  const ids = "channelIds" in search ? search.channelIds : search.lineIds
  if (match === undefined || limit === 0 || ids.length === 0) return Effect.succeed([])
  const scope = "channelIds" in search ? sql`c.id` : sql`c.line_id`
  return database
    .read("LibsqlSearch.searchChannels", (db) =>
      // Starts from the index's hits, not from every channel in scope: a rare word or a name is then cheap.
      db.all<{ id: string }>(sql`
        WITH hits(channel_id) AS (
          SELECT m.channel_id FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid
          WHERE messages_fts MATCH ${match}
          UNION
          SELECT ch.id FROM clients_fts JOIN clients cl ON cl.seq = clients_fts.rowid JOIN channels ch ON ch.client_id = cl.id
          WHERE clients_fts MATCH ${match}
        )
        SELECT c.id AS id FROM hits JOIN channels c ON c.id = hits.channel_id
        WHERE ${scope} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
        ORDER BY c.last_activity_at DESC, c.id
        LIMIT ${limit}`)
    )
    .pipe(Effect.flatMap((rows) => decodeAll(decodeChannelId("LibsqlSearch.searchChannels"))(rows.map((row) => row.id))))
}

/**
 * Full-text search of channels (no core port yet). The inbox will call it with the channels or lines
 * its access policy allows, so a result never reaches past what the staff member may see.
 *
 * @example
 * ```ts
 * const ids = yield* LibsqlSearch.use((s) => s.searchChannels({ channelIds: visible, query: "refill", limit: 20 }))
 * ```
 */
export class LibsqlSearch extends Context.Service<LibsqlSearch, {
  readonly searchChannels: (search: ChannelSearch) => Effect.Effect<ReadonlyArray<ChannelId>, StorageError>
}>()("@careline/adapter-libsql/LibsqlSearch") {}

export const makeSearch = (database: Database) =>
  LibsqlSearch.of({ searchChannels: (search) => searchChannels(database, search) })
