import { cpSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Conversations, Directory } from "@careline/core"
import { makeClient, makeOrganisation } from "@careline/testkit"
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

/**
 * Rows as the first release wrote them, in that release's columns (raw SQL: today's code writes
 * today's columns, which an old file does not have yet).
 */
const writeAsFirstRelease = (database: Database) =>
  Effect.promise(() =>
    database.batcher.read(() =>
      database.client.batch([
        { sql: "INSERT INTO organisations (id, name, business_hours, templates) VALUES (?, ?, ?, ?)", args: ["org_1", "Harbour Care", JSON.stringify({ timeZone: "UTC", weekly: [], holidays: [] }), JSON.stringify(makeOrganisation().templates)] },
        { sql: "INSERT INTO clients (id, organisation_id, name, active, blocked) VALUES (?, ?, ?, 1, 0)", args: [clientId, "org_1", "Casey Client"] },
        { sql: "INSERT INTO client_phones (client_id, position, phone, label, is_primary, okay_to_text) VALUES (?, 0, ?, 'mobile', 1, 1)", args: [clientId, "+15550000001"] },
        { sql: "INSERT INTO lines (id, organisation_id, number, owner_kind, rate_per_second) VALUES (?, ?, ?, 'Organisation', 1)", args: [lineId, "org_1", "+15559000001"] },
        { sql: "INSERT INTO channels (id, organisation_id, line_id, phone, client_id, status, archived, replies_allowed, unread_count, created_at, last_activity_at) VALUES (?, 'org_1', ?, '+15550000001', ?, 'unread', 0, 1, 1, 1, 1)", args: [channelId, lineId, clientId] },
        { sql: "INSERT INTO messages (id, organisation_id, channel_id, direction, author_kind, body, at, status, provider_message_id) VALUES (?, 'org_1', ?, 'inbound', 'Client', 'legacy prescription', 1, 'received', 'SMlegacy')", args: [inbound(1).id, channelId] }
      ], "write")
    )
  )

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
              yield* writeAsFirstRelease(database)
            }),
          { migrationsFolder: older }
        )

        yield* session(path, (database) =>
          Effect.gen(function* () {
            expect(yield* applied(database)).toHaveLength(journal.entries.length)
            const message = yield* Effect.provideContext(Conversations.use((c) => c.getMessage(inbound(1).id)), context(database))
            expect(Option.map(message, (m) => m.body)).toEqual(Option.some("legacy prescription"))
            expect(Option.map(message, (m) => m.processedAt), "an old inbound text counts as processed").toEqual(Option.some(1))
            const leftovers = yield* Effect.provideContext(Conversations.use((c) => c.unprocessedInbound(10, 10)), context(database))
            expect(leftovers).toEqual([])
            expect(yield* searchChannels(database, { lineIds: [lineId], query: "prescription", limit: 10 })).toEqual([channelId])
            expect(yield* searchChannels(database, { lineIds: [lineId], query: "casey", limit: 10 })).toEqual([channelId])
          })
        )
      })
    ))
})
