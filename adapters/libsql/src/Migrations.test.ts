import { cpSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Conversations, Directory } from "@careline/core"
import { makeClient } from "@careline/testkit"
import { Effect, Option, type Scope } from "effect"
import { describe, expect, it } from "vitest"
import { type Database, type OpenInternals, openWith } from "./Database.js"
import { searchChannels } from "./LibsqlSearch.js"
import { context } from "./LibsqlStores.js"
import { channelId, clientId, inbound, lineId, seedParents } from "./testing/Seed.js"
import { fileUrl, tempDirectory } from "./testing/TempDatabase.js"

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url))
const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
  entries: ReadonlyArray<{ tag: string }>
}

const scoped = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>) => Effect.runPromise(Effect.scoped(effect))

const applied = (database: Database) =>
  Effect.promise(() =>
    database.batcher.read(async () => (await database.client.execute("SELECT hash, created_at FROM __drizzle_migrations ORDER BY id")).rows.map((r) => [r[0], r[1]]))
  )

const sqliteObjects = (database: Database) =>
  Effect.promise(() =>
    database.batcher.read(async () => (await database.client.execute("SELECT name FROM sqlite_master")).rows.map((r) => String(r[0])))
  )

/** Opens the file at `path` for one use and closes it again. */
const session = <A, E>(path: string, use: (database: Database) => Effect.Effect<A, E, never>, internals: OpenInternals = {}) =>
  Effect.scoped(Effect.flatMap(openWith({ url: fileUrl(path) }, internals), use))

describe("migrations", () => {
  it("migrates an empty file, applies nothing on the next start, and keeps the data", () =>
    scoped(
      Effect.gen(function* () {
        const path = join(yield* tempDirectory, "careline.db")
        const first = yield* session(path, (database) =>
          Effect.gen(function* () {
            yield* Effect.provideContext(seedParents, context(database))
            expect(yield* sqliteObjects(database)).toEqual(
              expect.arrayContaining(["messages", "messages_fts", "clients_fts", "consent_ledger_no_update", "audit_log_no_delete"])
            )
            return yield* applied(database)
          })
        )
        expect(first).toHaveLength(journal.entries.length)

        const second = yield* session(path, (database) =>
          Effect.gen(function* () {
            const client = yield* Effect.provideContext(Directory.use((d) => d.getClient(clientId)), context(database))
            expect(client).toEqual(Option.some(makeClient()))
            return yield* applied(database)
          })
        )
        expect(second).toEqual(first)
      })
    ))

  it("upgrades a file made by an older release in place, indexing what it already held", () =>
    scoped(
      Effect.gen(function* () {
        const directory = yield* tempDirectory
        const path = join(directory, "careline.db")
        // The first release: only the first migration.
        const older = join(directory, "drizzle-older")
        cpSync(migrationsFolder, older, { recursive: true })
        const journalPath = join(older, "meta", "_journal.json")
        const full = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: Array<unknown> }
        writeFileSync(journalPath, JSON.stringify({ ...full, entries: full.entries.slice(0, 1) }))

        yield* session(
          path,
          (database) =>
            Effect.gen(function* () {
              expect(yield* applied(database)).toHaveLength(1)
              expect(yield* sqliteObjects(database)).not.toContain("messages_fts")
              yield* Effect.provideContext(
                Effect.andThen(seedParents, Conversations.use((c) => c.recordInbound(inbound(1, { body: "legacy prescription" })))),
                context(database)
              )
            }),
          { migrationsFolder: older }
        )

        yield* session(path, (database) =>
          Effect.gen(function* () {
            expect(yield* applied(database)).toHaveLength(journal.entries.length)
            const message = yield* Effect.provideContext(Conversations.use((c) => c.getMessage(inbound(1).id)), context(database))
            expect(Option.map(message, (m) => m.body)).toEqual(Option.some("legacy prescription"))
            expect(yield* searchChannels(database, { lineIds: [lineId], query: "prescription", limit: 10 })).toEqual([channelId])
            expect(yield* searchChannels(database, { lineIds: [lineId], query: "casey", limit: 10 })).toEqual([channelId])
          })
        )
      })
    ))
})
