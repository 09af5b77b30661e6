import { existsSync, rmSync } from "node:fs"
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { createClient } from "@libsql/client"
import { Effect, Schema } from "effect"
import type { Database } from "./Database.js"

/** A backup was not written, or the copy did not pass `PRAGMA integrity_check` (and was removed). */
export class BackupFailed extends Schema.TaggedError<BackupFailed>()("BackupFailed", {
  reason: Schema.String,
  path: Schema.String
}) {
  override get message() {
    return `Backup to ${this.path} failed: ${this.reason}`
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** `PRAGMA integrity_check` of the file at `path`, opened with `encryptionKey`: "ok" or SQLite's findings. */
export const integrityCheck = async (path: string, encryptionKey: string | undefined): Promise<string> => {
  const copy = createClient({ url: pathToFileURL(path).href, concurrency: 1, ...(encryptionKey === undefined ? {} : { encryptionKey }) })
  try {
    const result = await copy.execute("PRAGMA integrity_check")
    return result.rows.map((row) => String(row[0])).join("; ")
  } finally {
    copy.close()
  }
}

/**
 * Writes a consistent copy of the database to `toPath` with `VACUUM INTO` (encrypted with the same key
 * when the database is), then opens the copy with that key and runs `PRAGMA integrity_check`. The copy
 * is removed and `BackupFailed` returned unless the check says "ok". Writes wait while it runs.
 *
 * @example
 * ```ts
 * yield* backup(yield* LibsqlDatabase, "/var/backups/careline-2024-05-01.db")
 * ```
 */
export const backup = (database: Database, toPath: string): Effect.Effect<void, BackupFailed> =>
  Effect.gen(function* () {
    const path = resolve(toPath)
    const fail = (reason: string) => new BackupFailed({ reason, path })
    if (database.kind === "remote") return yield* fail("a remote database is backed up by its server, not by Careline")
    if (existsSync(path)) return yield* fail("the file already exists; choose a new name")
    yield* Effect.tryPromise({
      try: () => database.batcher.exclusive(() => database.client.execute({ sql: "VACUUM INTO ?", args: [path] })),
      catch: (error) => fail(`VACUUM INTO failed: ${describe(error)}`)
    })
    const verdict = yield* Effect.tryPromise({
      try: () => integrityCheck(path, database.encryptionKey),
      catch: (error) => fail(`the copy could not be opened: ${describe(error)}`)
    }).pipe(Effect.tapError(() => Effect.sync(() => rmSync(path, { force: true }))))
    if (verdict !== "ok") {
      rmSync(path, { force: true })
      return yield* fail(`the copy failed its integrity check: ${verdict}`)
    }
  })
