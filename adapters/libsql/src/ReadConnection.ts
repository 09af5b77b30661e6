import Sqlite from "libsql"
import {
  type Client,
  type InArgs,
  type InStatement,
  type InValue,
  LibsqlError,
  type ResultSet,
  type Row,
  type Transaction
} from "@libsql/client"

/** Statements kept prepared: the hot reads (inbox, bearer check, policy) are a few dozen texts; `IN (…)` lists vary. */
const CACHE_SIZE = 256

type Prepared = Sqlite.Statement

interface Cached {
  readonly statement: Prepared
  /** Column names, or `undefined` for a statement that returns no rows. */
  readonly columns: Array<string> | undefined
  readonly columnTypes: Array<string>
  readonly row: MakeRow
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** A value as `@libsql/client` returns it with `intMode: "number"`: integers as numbers (refused when unsafe), blobs as ArrayBuffers. */
const fromSql = (value: unknown): unknown => {
  if (typeof value === "bigint") {
    if (value > MAX_SAFE || value < -MAX_SAFE) throw new RangeError("Received integer which cannot be safely represented as a JavaScript number")
    return Number(value)
  }
  return value instanceof Buffer ? value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) : value
}

/** An argument as `@libsql/client` binds it. */
const toSql = (value: InValue | undefined): unknown => {
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments")
  if (typeof value === "boolean") return value ? 1 : 0
  if (value instanceof ArrayBuffer) return Buffer.from(value)
  if (value instanceof Date) return value.valueOf()
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database")
  return value
}

const bind = (args: InArgs | undefined): unknown =>
  args === undefined
    ? []
    : Array.isArray(args)
      ? args.map(toSql)
      : Object.fromEntries(Object.entries(args).map(([name, value]) => [/^[@$:]/.test(name) ? name.slice(1) : name, toSql(value)]))

type MakeRow = (values: ReadonlyArray<unknown>) => Row

/** The row shape of `@libsql/client`: values by index (not enumerable) and by column name (the first of a repeated name). */
const slowRow = (columns: ReadonlyArray<string>): MakeRow => (values) => {
  const row: Record<string | number, unknown> = {}
  Object.defineProperty(row, "length", { value: values.length })
  for (let i = 0; i < values.length; i++) {
    const value = fromSql(values[i])
    Object.defineProperty(row, i, { value })
    if (!Object.hasOwn(row, columns[i]!)) Object.defineProperty(row, columns[i]!, { value, enumerable: true, configurable: true, writable: true })
  }
  return row as Row
}

/**
 * The same shape, built faster when every column name is distinct and plain: the names are the row's
 * own properties, assigned in one order (one hidden class per statement), and the indexes and `length`
 * are read through the statement's prototype instead of being defined on every row.
 */
const makeRow = (columns: ReadonlyArray<string>): MakeRow => {
  const plain = new Set(columns).size === columns.length &&
    columns.every((name) => name !== "length" && name !== "__proto__" && String(Number(name)) !== name && !(name in Object.prototype))
  if (!plain) return slowRow(columns)
  const shape: Record<string | number, unknown> = {}
  Object.defineProperty(shape, "length", { value: columns.length })
  columns.forEach((name, i) => Object.defineProperty(shape, i, { get(this: Record<string, unknown>) { return this[name] } }))
  return (values) => {
    const row: Record<string, unknown> = Object.create(shape)
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = fromSql(values[i])
    return row as Row
  }
}

/** The driver's error with its code, as `@libsql/client` reports it (so `storageCause` and callers see the same thing). */
const asLibsqlError = (error: unknown): unknown => {
  if (!(error instanceof Error) || !("rawCode" in error) || typeof error.rawCode !== "number") return error
  const extendedCode = "code" in error && typeof error.code === "string" ? error.code : undefined
  return new LibsqlError(error.message, BASE_CODES[error.rawCode & 0xff] ?? extendedCode ?? "SQLITE_UNKNOWN", extendedCode, error.rawCode, error)
}

const BASE_CODES: Record<number, string> = {
  1: "SQLITE_ERROR", 5: "SQLITE_BUSY", 6: "SQLITE_LOCKED", 8: "SQLITE_READONLY", 9: "SQLITE_INTERRUPT", 10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT", 13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN", 19: "SQLITE_CONSTRAINT", 21: "SQLITE_MISUSE", 26: "SQLITE_NOTADB"
}

const unsupported = (what: string) => Promise.reject(new LibsqlError(`${what} is not available on the reading connection`, "SQLITE_MISUSE"))

/**
 * The reading connection of a `file:` database: one libSQL connection on this thread, as a `Client`
 * that answers `execute` like `@libsql/client` does, but keeps each statement prepared (an LRU of
 * {@link CACHE_SIZE} texts) instead of parsing and planning it again on every call. Every call steps its
 * statement to the end, so no read transaction outlives it: each read sees the last commit. Reads only:
 * transactions and batches are refused (the writing connection has them).
 */
export class ReadConnection implements Client {
  readonly #db: Sqlite.Database
  readonly #cache = new Map<string, Cached>()
  #closed = false
  readonly protocol = "file"

  constructor(path: string, options: { readonly encryptionKey?: string | undefined; readonly timeout: number }) {
    // `encryptionKey` is an option of libSQL's driver that its typings (better-sqlite3's) do not list.
    const settings: Sqlite.Options & { readonly encryptionKey?: string } = {
      timeout: options.timeout,
      ...(options.encryptionKey === undefined ? {} : { encryptionKey: options.encryptionKey })
    }
    this.#db = new Sqlite(path, settings)
  }

  get closed() {
    return this.#closed
  }

  #prepared(sql: string): Cached {
    const hit = this.#cache.get(sql)
    if (hit !== undefined) {
      // Most recently used last: the first key is the one to evict.
      this.#cache.delete(sql)
      this.#cache.set(sql, hit)
      return hit
    }
    const statement = this.#db.prepare(sql)
    statement.safeIntegers(true)
    let cached: Cached
    try {
      statement.raw(true)
      const described = statement.columns()
      const columns = described.map((c) => c.name)
      cached = { statement, columns, columnTypes: described.map((c) => c.type ?? ""), row: makeRow(columns) }
    } catch {
      // raw() refuses a statement that returns no rows.
      cached = { statement, columns: undefined, columnTypes: [], row: slowRow([]) }
    }
    this.#cache.set(sql, cached)
    if (this.#cache.size > CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!)
    return cached
  }

  #run(sql: string, args: InArgs | undefined): ResultSet {
    if (this.#closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED")
    try {
      const { statement, columns, columnTypes, row } = this.#prepared(sql)
      if (columns === undefined) {
        const info = statement.run(bind(args)) as { changes: number; lastInsertRowid: number | bigint }
        return result([], [], [], info.changes, BigInt(info.lastInsertRowid))
      }
      const values = statement.all(bind(args)) as Array<Array<unknown>>
      return result(columns, columnTypes, values.map(row), 0, undefined)
    } catch (error) {
      throw asLibsqlError(error)
    }
  }

  execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
    try {
      return Promise.resolve(typeof stmt === "string" ? this.#run(stmt, args) : this.#run(stmt.sql, stmt.args))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  batch(): Promise<Array<ResultSet>> {
    return unsupported("batch")
  }

  migrate(): Promise<Array<ResultSet>> {
    return unsupported("migrate")
  }

  transaction(): Promise<Transaction> {
    return unsupported("transaction")
  }

  async executeMultiple(sql: string): Promise<void> {
    if (this.#closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED")
    this.#db.exec(sql)
  }

  sync(): Promise<never> {
    return unsupported("sync") as Promise<never>
  }

  reconnect(): void {}

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#cache.clear()
    this.#db.close()
  }
}

const result = (columns: Array<string>, columnTypes: Array<string>, rows: Array<Row>, rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet => ({
  columns,
  columnTypes,
  rows,
  rowsAffected,
  lastInsertRowid,
  toJSON: () => ({ columns, columnTypes, rows: rows.map((row) => Array.from(row as ArrayLike<unknown>)), rowsAffected, lastInsertRowid })
})
