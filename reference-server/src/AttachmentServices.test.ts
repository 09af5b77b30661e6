import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BlobId, BlobStore, ChartSink, ClientId, OrganisationId, StaffId } from "@careline/core"
import { Effect, Option, Result } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { loadConfig } from "./Config.js"
import { makeRuntime } from "./Runtime.js"

const root = mkdtempSync(join(tmpdir(), "careline-runtime-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const note = { organisationId: OrganisationId.make("org_1"), clientId: ClientId.make("client_1"), author: StaffId.make("staff_1"), text: "Charted.", at: 0 }

describe("the runtime's attachment store and clinical record", () => {
  it("by default keeps blobs and FHIR notes in the database's directory", async () => {
    const data = join(root, "data")
    const runtime = makeRuntime(Result.getOrThrow(loadConfig({ DATABASE_URL: `file:${join(data, "careline.db")}` })))
    try {
      await runtime.runPromise(Effect.gen(function* () {
        yield* BlobStore.use((blobs) => blobs.put(BlobId.make("blob_runtime1"), Uint8Array.of(1, 2)))
        yield* ChartSink.use((chart) => chart.record(note))
      }))
      expect(readFileSync(join(data, "blobs", "blob_runtime1"))).toEqual(Buffer.from([1, 2]))
      const [file] = readdirSync(join(data, "chart"))
      expect(JSON.parse(readFileSync(join(data, "chart", file!), "utf8"))).toMatchObject({ resourceType: "Communication", payload: [{ contentString: "Charted." }] })
    } finally {
      await runtime.dispose()
    }
  })

  it("keeps everything in memory for a :memory: database", async () => {
    const runtime = makeRuntime(Result.getOrThrow(loadConfig({ DATABASE_URL: ":memory:" })))
    try {
      const got = await runtime.runPromise(Effect.gen(function* () {
        yield* BlobStore.use((blobs) => blobs.put(BlobId.make("blob_runtime2"), Uint8Array.of(7)))
        return yield* BlobStore.use((blobs) => blobs.get(BlobId.make("blob_runtime2")))
      }))
      expect(Option.getOrThrow(got)).toEqual(Uint8Array.of(7))
      expect(existsSync(join(process.cwd(), "blobs", "blob_runtime2"))).toBe(false)
    } finally {
      await runtime.dispose()
    }
  })

  it("does not start when the blob directory cannot be created, and says which", async () => {
    const blocker = join(root, "a-file")
    writeFileSync(blocker, "x")
    const runtime = makeRuntime(Result.getOrThrow(loadConfig({ DATABASE_URL: ":memory:", BLOB_DIRECTORY: join(blocker, "blobs") })))
    try {
      const exit = await runtime.runPromiseExit(Effect.void)
      expect(String(exit)).toContain("BlobDirectoryUnusable")
    } finally {
      await runtime.dispose()
    }
  })
})
