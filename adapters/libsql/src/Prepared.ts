import type { Sql } from "./WriteBatcher.js"

/**
 * Drizzle queries built once per connection and shape (`key`) and run again with new values
 * (`sql.placeholder`), for the reads every request makes (bearer check, the policy's lines, a page's clients):
 * building a query again costs more than running it. A connection is the `db` a read is given.
 *
 * @example
 * ```ts
 * const byId = preparedQueries<ReturnType<typeof build>>()
 * database.read("…", (db) => byId(db, "one", () => build(db)).all({ id }))
 * ```
 */
export const preparedQueries = <Q>() => {
  const byConnection = new WeakMap<Sql, Map<string, Q>>()
  return (db: Sql, key: string, build: () => Q): Q => {
    let queries = byConnection.get(db)
    if (queries === undefined) byConnection.set(db, (queries = new Map()))
    let query = queries.get(key)
    if (query === undefined) queries.set(key, (query = build()))
    return query
  }
}
