import { closeSync, openSync, statSync, writeSync } from "node:fs"
import { join } from "node:path"
import { AuditLog, ConsentLedger, Conversations } from "@careline/core"
import { makeAuditEvent, makeConsentEntry } from "@careline/testkit"
import { createClient } from "@libsql/client"
import { Effect, type Scope } from "effect"
import { describe, expect, it } from "vitest"
import { backup, integrityCheck } from "./Backup.js"
import { type Database, openWith } from "./Database.js"
import { inbound, runSeeded } from "./testing/Seed.js"
import { fileUrl, tempDirectory } from "./testing/TempDatabase.js"

const TABLES = ["organisations", "staff", "clients", "client_phones", "lines", "channels", "messages", "consent_ledger", "audit_log"]

const dump = (database: Database) =>
  Effect.promise(() =>
    database.batcher.read(async () => {
      const tables: Record<string, unknown> = {}
      for (const table of TABLES) tables[table] = (await database.client.execute(`SELECT * FROM ${table} ORDER BY rowid`)).rows.map((r) => ({ ...r }))
      return tables
    })
  )

const writeSomething = Effect.gen(function* () {
  yield* Effect.forEach([1, 2, 3], (n) => Conversations.use((c) => c.recordInbound(inbound(n, { body: `message ${n}` }))))
  yield* ConsentLedger.use((l) => l.append(makeConsentEntry()))
  yield* AuditLog.use((l) => l.append(makeAuditEvent()))
})

/** Opens a backup as a database of its own. */
const openCopy = (path: string, encryptionKey?: string): Effect.Effect<Database, unknown, Scope.Scope> =>
  openWith({ url: fileUrl(path), ...(encryptionKey === undefined ? {} : { encryptionKey }) })

describe("backup", () => {
  it("writes a copy that passes the integrity check and holds the same rows", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        yield* writeSomething
        const path = join(yield* tempDirectory, "careline-backup.db")
        yield* backup(database, path)
        expect(yield* Effect.promise(() => integrityCheck(path, undefined))).toBe("ok")
        const copy = yield* Effect.scoped(Effect.flatMap(openCopy(path), dump))
        expect(copy).toEqual(yield* dump(database))
        expect((copy["messages"] as Array<unknown>).length).toBe(3)
      })
    ))

  it("encrypts the copy of an encrypted database with the same key", () =>
    runSeeded(
      (database) =>
        Effect.gen(function* () {
          yield* writeSomething
          const path = join(yield* tempDirectory, "careline-backup.db")
          yield* backup(database, path)
          const copy = yield* Effect.scoped(Effect.flatMap(openCopy(path, "k-backup"), dump))
          expect(copy).toEqual(yield* dump(database))
          const withoutKey = yield* Effect.flip(Effect.scoped(openCopy(path)))
          expect(withoutKey).toMatchObject({ _tag: "DatabaseOpenFailed" })
        }),
      { encryptionKey: "k-backup" }
    ))

  it("refuses to overwrite an existing file", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        const path = join(yield* tempDirectory, "taken.db")
        yield* backup(database, path)
        const failure = yield* Effect.flip(backup(database, path))
        expect(failure).toMatchObject({ _tag: "BackupFailed", path })
        expect(failure.message).toContain("already exists")
      })
    ))

  it("finds a damaged copy: the integrity check does not say ok", () =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const path = join(yield* tempDirectory, "damaged.db")
          const client = createClient({ url: fileUrl(path), concurrency: 1 })
          yield* Effect.promise(async () => {
            await client.execute("CREATE TABLE t (x TEXT)")
            await client.execute("CREATE INDEX t_x ON t (x)")
            for (let i = 0; i < 200; i++) await client.execute({ sql: "INSERT INTO t VALUES (?)", args: [`row ${i} `.repeat(20)] })
            client.close()
          })
          // Overwrite the middle of the last page (the index's, or the table's) with noise.
          const fd = openSync(path, "r+")
          writeSync(fd, Buffer.alloc(1024, 0x5a), 0, 1024, statSync(path).size - 2048)
          closeSync(fd)
          expect(yield* Effect.promise(() => integrityCheck(path, undefined))).not.toBe("ok")
        })
      )
    ))
})
