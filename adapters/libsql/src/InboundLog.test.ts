import { execFile } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { Conversations } from "@careline/core"
import type { Client, InStatement } from "@libsql/client"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type Database, openWith } from "./Database.js"
import { makeInboundLog } from "./InboundLog.js"
import { context } from "./LibsqlStores.js"
import { loggedText, runSeeded, seedParents } from "./testing/Seed.js"
import { fileUrl, tempDirectory } from "./testing/TempDatabase.js"

const logThenDie = fileURLToPath(new URL("./testing/LogThenDie.ts", import.meta.url))

/** The message ids in the log, oldest first. */
const loggedIds = (database: Database) =>
  Effect.promise(async () => (await database.reader.execute("SELECT id FROM inbound_log ORDER BY seq")).rows.map((row) => String(row["id"])))

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `message_${from + i}`)

describe("the inbound log over libSQL", () => {
  it("logs 64 concurrent texts with one INSERT, in the order of the calls", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        const statements: Array<InStatement> = []
        const counting = new Proxy(database.client, {
          get: (client, key) =>
            key === "execute"
              ? (statement: InStatement) => (statements.push(statement), client.execute(statement))
              : Reflect.get(client, key)
        }) satisfies Client
        const logInbound = makeInboundLog({ ...database, client: counting })
        yield* Effect.all(ids(1, 64).map((_, i) => logInbound(loggedText(i + 1))), { concurrency: "unbounded" })
        expect(statements).toHaveLength(1)
        expect(yield* loggedIds(database)).toEqual(ids(1, 64))
      })
    ))

  it("keeps every text whose logInbound resolved when the process is killed the moment they have (kill -9, no close)", () =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const url = fileUrl(join(yield* tempDirectory, "careline.db"))
          const died = yield* Effect.promise(() =>
            promisify(execFile)(process.execPath, ["--import", "tsx", logThenDie, url, "64"]).then(
              () => ({ signal: undefined, stdout: "" }),
              (error: { signal?: string; stdout: string }) => ({ signal: error.signal, stdout: error.stdout })
            )
          )
          expect(died).toEqual({ signal: "SIGKILL", stdout: "64\n" })

          const database = yield* openWith({ url })
          expect(yield* loggedIds(database)).toEqual(ids(1, 64))
          yield* Effect.provideContext(seedParents, context(database))
          const routed = yield* Effect.provideContext(Conversations.use((c) => c.routeLogged(100)), context(database))
          expect(routed.map((r) => `${r.delivery.id} ${r.routed._tag}`)).toEqual(ids(1, 64).map((id) => `${id} Stored`))
        })
      )
    ), 60_000)

  it("stores a text logged twice (a retried logInbound: same id, same provider id) once: Stored, then Duplicate", () =>
    runSeeded(() =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        for (const n of [1, 1, 2]) yield* conversations.logInbound(loggedText(n))
        yield* conversations.recordRoutedInbound(loggedText(2))
        yield* conversations.logInbound(loggedText(2))
        const routed = yield* conversations.routeLogged(10)
        expect(routed.map((r) => `${r.delivery.id} ${r.routed._tag}`)).toEqual([
          "message_1 Stored",
          "message_1 Duplicate",
          "message_2 Duplicate",
          "message_2 Duplicate"
        ])
        expect(yield* conversations.routeLogged(10)).toEqual([])
      })
    ))

  it("routes exactly the oldest `limit` texts of a long log, and leaves the rest in order", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        yield* Effect.all(ids(1, 1000).map((_, i) => conversations.logInbound(loggedText(i + 1))), { concurrency: "unbounded" })
        const first = yield* conversations.routeLogged(10)
        expect(first.map((r) => `${r.delivery.id} ${r.routed._tag}`)).toEqual(ids(1, 10).map((id) => `${id} Stored`))
        expect(yield* loggedIds(database)).toEqual(ids(11, 1000))
        const rest = yield* conversations.routeLogged(5000)
        expect(rest.map((r) => r.delivery.id)).toEqual(ids(11, 1000))
        expect(rest.every((r) => r.routed._tag === "Stored")).toBe(true)
        expect(yield* loggedIds(database)).toEqual([])
      })
    ), 60_000)
})
