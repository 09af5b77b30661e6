import { fileURLToPath } from "node:url"
import { StorageError } from "@careline/core"
import { type Client, type Config, createClient } from "@libsql/client"
import { drizzle } from "drizzle-orm/libsql"
import { migrate } from "drizzle-orm/libsql/migrator"
import { Context, Effect, type Scope } from "effect"
import { DatabaseOpenFailed, openFailure, rootCause } from "./DatabaseOpenFailed.js"
import { checkPath, classify, redact, type Target } from "./DatabaseUrl.js"
import { applyPragmas, BUSY_TIMEOUT_MS, type DatabaseKind, pragma, pragmaStatements, verifyPragmas } from "./Pragmas.js"
import { BatchAborted, type Sql, WriteBatcher, type WriteOperation } from "./WriteBatcher.js"
import { ReadConnection } from "./ReadConnection.js"
import { WorkerClient } from "./WorkerClient.js"

export { DatabaseOpenFailed, ENCRYPTED_WITHOUT_KEY } from "./DatabaseOpenFailed.js"
export { type DatabaseKind, FILE_PRAGMAS, readPragmas } from "./Pragmas.js"

/** How to reach the database. */
export interface DatabaseOptions {
  /**
   * `file:/var/lib/careline/careline.db` (the usual case), `:memory:` for tests, or `libsql://…` /
   * `http(s)://…` for a remote sqld.
   */
  readonly url: string
  /** Encrypts a `file:` database and its WAL at rest; the same key is needed to open it again. */
  readonly encryptionKey?: string
  /** The token of a remote sqld. */
  readonly authToken?: string
}

/** An open database: one libSQL client, migrated, with its pragmas checked, and the lane every query takes. */
export interface Database {
  /** The writing connection. Use it only on the lane (`batcher.exclusive`): libSQL refuses statements while a write batch holds it. */
  readonly client: Client
  /**
   * The connection reads go to: for a `file:` database a second, read-only one on this thread that
   * keeps its statements prepared (see `ReadConnection`), otherwise `client`. Use it inside `read`.
   */
  readonly reader: Client
  /** The URL without credentials, for messages. */
  readonly url: string
  readonly kind: DatabaseKind
  /** Kept to open copies of an encrypted file (see `backup`). */
  readonly encryptionKey: string | undefined
  readonly batcher: WriteBatcher
  /** A query outside any transaction; failures become `StorageError{ operation }`. */
  readonly read: <A>(operation: string, query: (db: Sql) => Promise<A>) => Effect.Effect<A, StorageError>
  /** A write, group-committed with the writes around it (see `WriteBatcher`); atomic on its own. */
  readonly write: <A>(operation: string, write: WriteOperation<A>) => Effect.Effect<A, StorageError>
}

/** The open database behind `LibsqlStores`, for what has no port yet (backups, search, sessions). */
export class LibsqlDatabase extends Context.Service<LibsqlDatabase, Database>()("@careline/adapter-libsql/LibsqlDatabase") {}

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url))

/** Test-only knobs; not exported from the package. */
export interface OpenInternals {
  readonly migrationsFolder?: string
}

/**
 * What reaches a `StorageError`: the driver's error (code and SQLite's message), never drizzle's
 * wrapper, whose message lists the statement's parameters — message bodies and phone numbers.
 */
export const storageCause = (error: unknown): unknown =>
  error instanceof BatchAborted ? new BatchAborted(storageCause(error.cause)) : rootCause(error)

/** A write that is rolled back: proves the file can be written before anything relies on it. */
const probeWrite = async (client: Client) => {
  const tx = await client.transaction("write")
  try {
    await tx.execute("CREATE TABLE careline_write_probe (x)")
  } finally {
    await tx.rollback()
  }
}

const attempt = <A>(target: Target, options: DatabaseOptions, step: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: openFailure(target, options.encryptionKey, step) })

/** The writing connection of a file, in a worker thread, closed with the scope. */
const inWorker = (config: Config, target: Target, options: DatabaseOptions, settings: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    attempt(target, options, "starting the database thread", () => WorkerClient.open(config, settings)),
    (client) => Effect.sync(() => client.close())
  )

/** How much of the file the reading connection maps (SQLite caps it at its build's limit, about 2 GB). */
const READ_MMAP_BYTES = 2 ** 31

/** The reading connection of a file, closed with the scope. */
const readConnection = (path: string, target: Target, options: DatabaseOptions) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => new ReadConnection(path, { encryptionKey: options.encryptionKey, timeout: BUSY_TIMEOUT_MS }),
      catch: openFailure(target, options.encryptionKey, "opening the reading connection")
    }),
    (connection) => Effect.sync(() => connection.close())
  )

/**
 * Opens, checks and migrates the database. A `file:` database gets one connection (`concurrency: 1`:
 * a pragma is per connection, and a pool would open connections without them) with WAL,
 * `synchronous=FULL`, a busy timeout and foreign keys, each read back. It refuses to start — with a
 * `DatabaseOpenFailed` saying why — when the file or its directory is not writable, a setting did not
 * take, or the file is encrypted and the key is missing or wrong. The client is closed with the scope.
 */
export const openWith = (
  options: DatabaseOptions,
  internals: OpenInternals = {}
): Effect.Effect<Database, DatabaseOpenFailed, Scope.Scope> =>
  Effect.gen(function* () {
    const target = classify(options.url)
    if (target === undefined) {
      return yield* new DatabaseOpenFailed({
        reason: 'unsupported URL: use "file:/path/to/careline.db", ":memory:", "libsql://…" or "https://…"',
        url: redact(options.url)
      })
    }
    if (target.path !== undefined) {
      const problem = checkPath(target.path)
      if (problem !== undefined) return yield* new DatabaseOpenFailed({ reason: problem, url: target.redacted })
    }
    // Always on: every reference is a foreign key, and nothing — tests included — runs without them.
    const foreignKeys = true
    const config: Config = {
      url: options.url,
      ...(target.kind === "remote" ? {} : { concurrency: 1, timeout: BUSY_TIMEOUT_MS }),
      ...(options.encryptionKey === undefined ? {} : { encryptionKey: options.encryptionKey }),
      ...(options.authToken === undefined ? {} : { authToken: options.authToken })
    }
    const opened = yield* Effect.acquireRelease(
      Effect.try({ try: () => createClient(config), catch: openFailure(target, options.encryptionKey, "connecting") }),
      (client) => Effect.sync(() => client.close())
    )
    yield* attempt(target, options, "setting the connection pragmas", () => applyPragmas(opened, target.kind, foreignKeys))
    if (target.kind === "file") yield* attempt(target, options, "writing to the database", () => probeWrite(opened))
    yield* attempt(target, options, "applying migrations", () =>
      migrate(drizzle(opened), { migrationsFolder: internals.migrationsFolder ?? migrationsFolder })
    )
    // A file is written through a connection in its own thread (see `WorkerClient`), so a commit's
    // fsync never stalls the event loop, and read through one on this thread, read-only, that keeps its
    // statements prepared (see `ReadConnection`); the connection that opened and migrated it is done.
    const client = target.kind === "file" ? yield* inWorker(config, target, options, pragmaStatements(target.kind, foreignKeys)) : opened
    const reader = target.kind === "file" && target.path !== undefined ? yield* readConnection(target.path, target, options) : opened
    if (reader !== opened) opened.close()
    const db = drizzle(client)
    for (const connection of new Set([client, reader])) {
      // libSQL's migrate() switches foreign keys off while it runs and back on after: set them again.
      yield* attempt(target, options, "setting the connection pragmas", () => applyPragmas(connection, target.kind, foreignKeys))
      const wrong = yield* attempt(target, options, "reading the pragmas back", () => verifyPragmas(connection, target.kind, foreignKeys))
      if (wrong !== undefined) return yield* new DatabaseOpenFailed({ reason: wrong, url: target.redacted })
    }
    if (client !== reader) {
      yield* attempt(target, options, "making the reading connection read-only", () => reader.execute("PRAGMA query_only=ON"))
      // Reads the file through a memory map rather than a copy into the page cache per page: a specialist's
      // search visits hits scattered over the file (search p50 about a third lower on the seeded database).
      // The pages read count in the process's RSS as file-backed memory, which the kernel can reclaim.
      // Not for an encrypted file: its pages are decrypted into the page cache anyway, so a map gives
      // nothing, and how the cipher layer treats one is unverified.
      if (options.encryptionKey === undefined) {
        yield* attempt(target, options, "mapping the file for reads", () => reader.execute(`PRAGMA mmap_size=${READ_MMAP_BYTES}`))
      }
    }

    // Should the pool ever replace its connection, the new one must not run without the settings. Only
    // `:memory:` needs the check before each batch: a file's worker thread checks that itself, without
    // a round trip, and a remote sqld's are set on the server.
    const beforeBatch =
      target.kind === "memory"
        ? async () => {
          if ((await pragma(client, "foreign_keys")) !== (foreignKeys ? 1 : 0)) await applyPragmas(client, target.kind, foreignKeys)
        }
        : undefined
    const batcher = new WriteBatcher(db, beforeBatch, client === reader ? undefined : drizzle(reader))
    // Released before the client closes: lets queued work finish first.
    yield* Effect.addFinalizer(() => Effect.promise(() => batcher.exclusive(() => Promise.resolve())))
    const storageError = (operation: string) => (error: unknown) => new StorageError({ operation, cause: storageCause(error) })
    return {
      client,
      reader,
      url: target.redacted,
      kind: target.kind,
      encryptionKey: options.encryptionKey,
      batcher,
      read: (operation, query) => Effect.tryPromise({ try: () => batcher.read(query), catch: storageError(operation) }),
      write: (operation, write) =>
        Effect.tryPromise({ try: (signal) => batcher.write(write, signal), catch: storageError(operation) })
    } satisfies Database
  })

/**
 * Opens the database for use (see {@link openWith} for the checks it makes), closed with the scope.
 *
 * @example
 * ```ts
 * const database = yield* openDatabase({ url: "file:/var/lib/careline/careline.db", encryptionKey })
 * ```
 */
export const openDatabase = (options: DatabaseOptions): Effect.Effect<Database, DatabaseOpenFailed, Scope.Scope> =>
  openWith(options)
