import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Conversations } from "@careline/core"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { backup } from "./Backup.js"
import type { Database } from "./Database.js"
import { inbound, runSeeded } from "./testing/Seed.js"

const CANARY = "Zqvxcanary Prescriptionwordxq"
const needles = [CANARY, "Zqvxcanary", "zqvxcanary", "prescriptionwordxq"]

const contains = (path: string): boolean => {
  if (!existsSync(path)) return false
  const bytes = readFileSync(path)
  return needles.some((needle) => bytes.includes(Buffer.from(needle, "utf8")))
}

const execute = (database: Database, statement: string) =>
  Effect.promise(() => database.batcher.read(() => database.client.execute(statement)))

/** Writes the canary, and reports where its bytes can be found: before a checkpoint, after one, in a backup. */
const whereIsTheCanary = (database: Database & { readonly path: string }) =>
  Effect.gen(function* () {
    yield* Conversations.use((c) => c.recordInbound(inbound(1, { body: CANARY })))
    const wal = `${database.path}-wal`
    const walBeforeCheckpoint = contains(wal)
    expect(readFileSync(wal).length).toBeGreaterThan(0)
    yield* execute(database, "PRAGMA wal_checkpoint(PASSIVE)")
    const copy = join(database.path, "..", "backup.db")
    yield* backup(database, copy)
    return { walBeforeCheckpoint, wal: contains(wal), db: contains(database.path), backup: contains(copy) }
  })

describe("encryption at rest", () => {
  it("with a key, the canary's bytes are in none of the file, its WAL or a backup", () =>
    runSeeded(
      (database) =>
        Effect.gen(function* () {
          expect(yield* whereIsTheCanary(database)).toEqual({ walBeforeCheckpoint: false, wal: false, db: false, backup: false })
        }),
      { encryptionKey: "correct horse battery staple" }
    ))

  it("without a key, the same canary is in plain sight (so the test above can fail)", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        expect(yield* whereIsTheCanary(database)).toEqual({ walBeforeCheckpoint: true, wal: true, db: true, backup: true })
      })
    ))
})
