import { execFileSync } from "node:child_process"
import { chmodSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Conversations } from "@careline/core"
import type { Client } from "@libsql/client"
import { sql } from "drizzle-orm"
import { Effect, type Scope } from "effect"
import { describe, expect, it } from "vitest"
import { type DatabaseOpenFailed, type DatabaseOptions, ENCRYPTED_WITHOUT_KEY, FILE_PRAGMAS, openDatabase, readPragmas } from "./Database.js"
import { context } from "./LibsqlStores.js"
import { inbound, seedParents } from "./testing/Seed.js"
import { fileUrl, tempDatabase, tempDirectory } from "./testing/TempDatabase.js"

const scoped = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>) => Effect.runPromise(Effect.scoped(effect))

/** The connection's `mmap_size`: how much of the file it maps. */
const mapped = async (client: Client) => Number((await client.execute("PRAGMA mmap_size")).rows[0]![0])

/** The failure opening `options` was refused with; a database that opens is a defect. */
const refusal = (options: DatabaseOptions) =>
  Effect.scoped(openDatabase(options)).pipe(
    Effect.flatMap(() => Effect.die(new Error(`expected ${options.url} to be refused`))),
    Effect.flip
  )

const expectRefused = (failure: DatabaseOpenFailed, reason: string | RegExp) => {
  expect(failure._tag).toBe("DatabaseOpenFailed")
  if (typeof reason === "string") expect(failure.reason).toBe(reason)
  else expect(failure.reason).toMatch(reason)
  expect(failure.message).toContain(failure.url)
}

/** Makes `directory` unwritable even for root (chmod; then `chattr +i` when running as root); false if it cannot. */
const makeUnwritable = (directory: string): boolean => {
  chmodSync(directory, 0o555)
  if (process.getuid?.() === 0) {
    try {
      execFileSync("chattr", ["+i", directory], { stdio: "ignore" })
    } catch {
      return false
    }
  }
  try {
    writeFileSync(join(directory, "probe"), "")
    return false
  } catch {
    return true
  }
}

const makeWritable = (directory: string) => {
  if (process.getuid?.() === 0) {
    try {
      execFileSync("chattr", ["-i", directory], { stdio: "ignore" })
    } catch {
      // was never immutable
    }
  }
  chmodSync(directory, 0o755)
}

describe("opening a database", () => {
  it("sets WAL, synchronous=FULL, a busy timeout and foreign keys on a file, and reads them back", () =>
    scoped(
      Effect.gen(function* () {
        const database = yield* tempDatabase()
        expect(database.kind).toBe("file")
        expect(yield* Effect.promise(() => readPragmas(database.client))).toEqual(FILE_PRAGMAS)
      })
    ))

  it("keeps the settings for writes after the first batch (one connection, so one set of pragmas)", () =>
    scoped(
      Effect.gen(function* () {
        const database = yield* tempDatabase()
        yield* Effect.provideContext(
          Effect.gen(function* () {
            yield* seedParents
            yield* Conversations.use((c) => c.recordInbound(inbound(1)))
          }),
          context(database)
        )
        expect(yield* Effect.promise(() => database.batcher.exclusive(() => readPragmas(database.client)))).toEqual(FILE_PRAGMAS)
        expect(yield* Effect.promise(() => readPragmas(database.reader))).toEqual(FILE_PRAGMAS)
      })
    ))

  it("maps the file for reads on the reading connection only", () =>
    scoped(
      Effect.gen(function* () {
        const database = yield* tempDatabase()
        expect(yield* Effect.promise(() => mapped(database.reader))).toBeGreaterThan(1_000_000_000)
        expect(yield* Effect.promise(() => database.batcher.exclusive(() => mapped(database.client)))).toBe(0)
      })
    ))

  it("does not map an encrypted file, on either connection", () =>
    scoped(
      Effect.gen(function* () {
        const database = yield* tempDatabase({ encryptionKey: "k-mmap" })
        expect(yield* Effect.promise(() => mapped(database.reader))).toBe(0)
        expect(yield* Effect.promise(() => database.batcher.exclusive(() => mapped(database.client)))).toBe(0)
      })
    ))

  it("answers reads while a write transaction is open, from the last commit, and refuses writes on the reading connection", () =>
    scoped(
      Effect.gen(function* () {
        const database = yield* tempDatabase()
        yield* Effect.provideContext(seedParents, context(database))
        let release!: () => void
        const held = new Promise<void>((resolve) => (release = resolve))
        const writing = database.batcher.write(async (tx) => {
          await tx.run(sql`INSERT INTO organisations (id, name, business_hours, templates) SELECT 'org_held', name, business_hours, templates FROM organisations LIMIT 1`)
          await held
        })
        // The write holds the writing connection until released: a read on the lane would wait for it forever.
        const during = yield* Effect.promise(() =>
          database.batcher.read(() => database.reader.execute("SELECT count(*) AS n FROM organisations WHERE id = 'org_held'")))
        expect(during.rows[0]!["n"]).toBe(0)
        release()
        yield* Effect.promise(() => writing)
        const after = yield* Effect.promise(() => database.reader.execute("SELECT count(*) AS n FROM organisations WHERE id = 'org_held'"))
        expect(after.rows[0]!["n"]).toBe(1)
        const refused = yield* Effect.promise(() => database.reader.execute("DELETE FROM organisations WHERE id = 'org_held'").then(() => "written", (e: unknown) => String(e)))
        expect(refused).toMatch(/readonly|read-only|query_only/i)
      })
    ))

  it("opens an in-memory database with foreign keys on", () =>
    scoped(
      Effect.gen(function* () {
        const database = yield* openDatabase({ url: ":memory:" })
        expect(database.kind).toBe("memory")
        expect((yield* Effect.promise(() => readPragmas(database.client))).foreign_keys).toBe(1)
      })
    ))

  it("turns an in-memory database's foreign keys back on before a write batch, should its connection have lost them", () =>
    scoped(
      Effect.gen(function* () {
        const database = yield* openDatabase({ url: ":memory:" })
        yield* Effect.promise(() => database.batcher.exclusive(() => database.client.execute("PRAGMA foreign_keys=OFF")))
        yield* Effect.promise(() => database.batcher.write(() => Promise.resolve()))
        expect((yield* Effect.promise(() => database.batcher.exclusive(() => readPragmas(database.client)))).foreign_keys).toBe(1)
      })
    ))

  it("refuses a file in a directory that does not exist", () =>
    scoped(
      Effect.gen(function* () {
        const directory = yield* tempDirectory
        const failure = yield* refusal({ url: fileUrl(join(directory, "missing", "careline.db")) })
        expectRefused(failure, /directory .*missing does not exist/)
      })
    ))

  it("refuses a path whose directory is a file", () =>
    scoped(
      Effect.gen(function* () {
        const directory = yield* tempDirectory
        writeFileSync(join(directory, "plain"), "not a directory")
        const failure = yield* refusal({ url: fileUrl(join(directory, "plain", "careline.db")) })
        expectRefused(failure, /does not exist/)
      })
    ))

  it("refuses a file in a directory it cannot write", (ctx) =>
    scoped(
      Effect.gen(function* () {
        const directory = join(yield* tempDirectory, "locked")
        mkdirSync(directory)
        yield* Effect.addFinalizer(() => Effect.sync(() => makeWritable(directory)))
        if (!makeUnwritable(directory)) return ctx.skip("cannot make a directory unwritable here")
        const failure = yield* refusal({ url: fileUrl(join(directory, "careline.db")) })
        expectRefused(failure, /not writable|cannot open or create/)
      })
    ))

  it("refuses an encrypted file opened without a key, or with the wrong key, and says what to do", () =>
    scoped(
      Effect.gen(function* () {
        const path = join(yield* tempDirectory, "careline.db")
        yield* Effect.scoped(openDatabase({ url: fileUrl(path), encryptionKey: "right key" }))
        expectRefused(yield* refusal({ url: fileUrl(path) }), ENCRYPTED_WITHOUT_KEY)
        expectRefused(yield* refusal({ url: fileUrl(path), encryptionKey: "wrong key" }), ENCRYPTED_WITHOUT_KEY)
        yield* Effect.scoped(openDatabase({ url: fileUrl(path), encryptionKey: "right key" }))
      })
    ))

  it("refuses a plaintext file opened with a key, rather than calling it encrypted", () =>
    scoped(
      Effect.gen(function* () {
        const path = join(yield* tempDirectory, "careline.db")
        yield* Effect.scoped(openDatabase({ url: fileUrl(path) }))
        expectRefused(yield* refusal({ url: fileUrl(path), encryptionKey: "k" }), /not encrypted, but an encryption key was given/)
      })
    ))

  it("refuses an unsupported URL without echoing credentials", () =>
    scoped(
      Effect.gen(function* () {
        const failure = yield* refusal({ url: "ftp://user:secret@example.org/db?authToken=secret" })
        expectRefused(failure, /unsupported URL/)
        expect(failure.url).not.toContain("secret")
      })
    ))

  it("closes the client when the scope ends", () =>
    scoped(
      Effect.gen(function* () {
        const database = yield* Effect.scoped(tempDatabase())
        expect(database.client.closed).toBe(true)
      })
    ))
})
