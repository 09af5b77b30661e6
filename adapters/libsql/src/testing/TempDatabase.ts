import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { Effect, Layer, type Scope } from "effect"
import { type Database, type DatabaseOpenFailed, type DatabaseOptions, type OpenInternals, openWith } from "../Database.js"
import { context, type StoresWithDatabase } from "../LibsqlStores.js"

/** A fresh directory under the OS temp dir, removed with the scope. */
export const tempDirectory: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "careline-libsql-"))),
  (directory) => Effect.sync(() => rmSync(directory, { recursive: true, force: true }))
)

export const fileUrl = (path: string): string => pathToFileURL(path).href

/** A database in a new temp file, deleted (after the client is closed) with the scope. */
export const tempDatabase = (
  options: Omit<DatabaseOptions, "url"> = {},
  internals: OpenInternals = {}
): Effect.Effect<Database & { readonly path: string }, DatabaseOpenFailed, Scope.Scope> =>
  Effect.gen(function* () {
    const path = join(yield* tempDirectory, "careline.db")
    const database = yield* openWith({ url: fileUrl(path), ...options }, internals)
    return { ...database, path }
  })

/**
 * Every service over a new temp-file database per build, configured as in production (every constraint
 * on): what `runWith(layer)` needs for isolation.
 */
export const tempStoresLayer = (
  options: Omit<DatabaseOptions, "url"> = {}
): Layer.Layer<StoresWithDatabase, DatabaseOpenFailed> => Layer.effectContext(Effect.map(tempDatabase(options), context))
