import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, readFileSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BlobId, BlobStore } from "@careline/core"
import { blobStoreSuite, runWith } from "@careline/testkit"
import { Effect, Layer, Option } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as FileBlobStore from "./FileBlobStore.js"

const root = mkdtempSync(join(tmpdir(), "careline-blobs-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let builds = 0
/** A fresh, empty directory for every build, so each test starts empty as the suite expects. */
const freshLayer = Layer.unwrap(Effect.sync(() => FileBlobStore.layer({ directory: join(root, `store-${++builds}`) })))

blobStoreSuite("files", freshLayer)

describe("FileBlobStore (files only)", () => {
  const id = BlobId.make("blob_abcdef12")

  it("writes one file a blob named by its id, readable by the owner only, and nothing else", async () => {
    const directory = join(root, "layout")
    await runWith(FileBlobStore.layer({ directory }))(BlobStore.use((store) => store.put(id, new TextEncoder().encode("hello"))))
    expect(readdirSync(directory)).toEqual(["blob_abcdef12"])
    expect(readFileSync(join(directory, "blob_abcdef12"), "utf8")).toBe("hello")
    expect(statSync(join(directory, "blob_abcdef12")).mode & 0o077).toBe(0)
  })

  it("keeps blobs across a reopen and removes temporaries a crash left behind", async () => {
    const directory = join(root, "reopen")
    await runWith(FileBlobStore.layer({ directory }))(BlobStore.use((store) => store.put(id, Uint8Array.of(1, 2, 3))))
    writeFileSync(join(directory, ".partial-blob_abcdef12-deadbeef"), "half a file")
    const back = await runWith(FileBlobStore.layer({ directory }))(BlobStore.use((store) => store.get(id)))
    expect(Option.getOrThrow(back)).toEqual(Uint8Array.of(1, 2, 3))
    expect(readdirSync(directory)).toEqual(["blob_abcdef12"])
  })

  it("a delete removes the file from disk", async () => {
    const directory = join(root, "delete")
    await runWith(FileBlobStore.layer({ directory }))(
      BlobStore.use((store) => Effect.andThen(store.put(id, Uint8Array.of(9)), store.delete(id)))
    )
    expect(existsSync(join(directory, "blob_abcdef12"))).toBe(false)
  })

  it("fails to open with BlobDirectoryUnusable when a file stands where the directory should be", async () => {
    const file = join(root, "not-a-directory")
    writeFileSync(file, "x")
    const error = await Effect.runPromise(Effect.flip(FileBlobStore.make({ directory: join(file, "blobs") })))
    expect(error._tag).toBe("BlobDirectoryUnusable")
    expect(error.message).toContain("cannot be used")
  })
})
