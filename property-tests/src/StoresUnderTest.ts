import { LibsqlStores } from "@careline/adapter-libsql"
import { MemoryStores } from "@careline/adapter-memory"
import type { Stores } from "@careline/core"
import { Effect, Layer } from "effect"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"

/** Which storage adapter the model-based suites run on: `CARELINE_STORES=memory|libsql` (vitest sets it per project). */
export const storesKind = (): "memory" | "libsql" => (process.env.CARELINE_STORES === "libsql" ? "libsql" : "memory")

/**
 * A new libSQL database with the production configuration (WAL, synchronous=FULL, foreign keys,
 * migrations), in a file on tmpfs so the many small commits of a property run cost RAM, not disk.
 */
const freshLibsql: Layer.Layer<Stores, unknown> = Layer.unwrap(
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "careline-model-"))),
      (directory) => Effect.sync(() => rmSync(directory, { recursive: true, force: true }))
    ),
    (directory) => LibsqlStores.layer({ url: pathToFileURL(join(directory, "careline.db")).href })
  )
)

/** Fresh, empty stores of the kind under test, for one world. */
export const freshStores = (): Layer.Layer<Stores, unknown> => (storesKind() === "libsql" ? freshLibsql : MemoryStores.layer)
