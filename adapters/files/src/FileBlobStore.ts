import { open, mkdir, readdir, readFile, rename, unlink } from "node:fs/promises"
import { join, resolve } from "node:path"
import { randomBytes } from "node:crypto"
import { BlobId, BlobStore, StorageError } from "@careline/core"
import { Effect, Layer, Option, Schema } from "effect"

/** The blob directory could not be created or written (a read-only disk, a file in its place, …). */
export class BlobDirectoryUnusable extends Schema.TaggedError<BlobDirectoryUnusable>()("BlobDirectoryUnusable", {
  directory: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `The attachment directory ${this.directory} cannot be used: ${this.reason}`
  }
}

export interface FileBlobStoreOptions {
  /** Where the bytes go, one file per blob named by its id; created if missing. */
  readonly directory: string
}

const isBlobId = Schema.is(BlobId)
const temporaryPrefix = ".partial-"

const fsync = (path: string) =>
  Effect.tryPromise({
    try: async () => {
      const handle = await open(path, "r")
      try {
        await handle.sync()
      } finally {
        await handle.close()
      }
    },
    catch: (cause) => cause
  })

const isMissing = (cause: unknown) => typeof cause === "object" && cause !== null && (cause as { code?: unknown }).code === "ENOENT"

/**
 * `BlobStore` over a directory: one file a blob, named only by its server-generated id (an id that
 * is not a `BlobId` is refused, so no caller can name a path). A put writes a temporary file,
 * fsyncs it, renames it into place and fsyncs the directory, so a blob is either whole or absent
 * after a crash; temporaries left by a crash are removed when the store opens. A delete unlinks and
 * fsyncs the directory, so deleted bytes stay deleted.
 *
 * @example
 * ```ts
 * const blobs = FileBlobStore.layer({ directory: "./data/blobs" })
 * ```
 */
export const make = (options: FileBlobStoreOptions): Effect.Effect<BlobStore["Service"], BlobDirectoryUnusable> =>
  Effect.gen(function* () {
    const directory = resolve(options.directory)
    const unusable = (cause: unknown) =>
      new BlobDirectoryUnusable({ directory, reason: cause instanceof Error ? cause.message : String(cause) })
    yield* Effect.tryPromise({
      try: async () => {
        await mkdir(directory, { recursive: true, mode: 0o700 })
        for (const name of await readdir(directory)) {
          if (name.startsWith(temporaryPrefix)) await unlink(join(directory, name)).catch(() => undefined)
        }
      },
      catch: unusable
    })
    const pathOf = (operation: string, id: string): Effect.Effect<string, StorageError> =>
      isBlobId(id)
        ? Effect.succeed(join(directory, id))
        : Effect.fail(new StorageError({ operation, cause: new Error("Not a blob id.") }))
    const storage = (operation: string) => (cause: unknown) => new StorageError({ operation, cause })
    const syncDirectory = fsync(directory)

    return BlobStore.of({
      put: (id, bytes) =>
        Effect.flatMap(pathOf("blob.put", id), (path) => {
          const temporary = join(directory, `${temporaryPrefix}${id}-${randomBytes(6).toString("hex")}`)
          return Effect.gen(function* () {
            yield* Effect.tryPromise({
              try: async () => {
                const handle = await open(temporary, "wx", 0o600)
                try {
                  await handle.writeFile(bytes)
                  await handle.sync()
                } finally {
                  await handle.close()
                }
                await rename(temporary, path)
              },
              catch: (cause) => cause
            })
            yield* syncDirectory
          }).pipe(
            Effect.tapError(() => Effect.promise(() => unlink(temporary).catch(() => undefined))),
            Effect.mapError(storage("blob.put"))
          )
        }),
      get: (id) =>
        Effect.flatMap(pathOf("blob.get", id), (path) =>
          Effect.tryPromise({
            try: async () => {
              try {
                const buffer = await readFile(path)
                return Option.some(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength))
              } catch (cause) {
                if (isMissing(cause)) return Option.none<Uint8Array>()
                throw cause
              }
            },
            catch: storage("blob.get")
          })),
      delete: (id) =>
        Effect.flatMap(pathOf("blob.delete", id), (path) =>
          Effect.tryPromise({
            try: async () => {
              try {
                await unlink(path)
                return true
              } catch (cause) {
                if (isMissing(cause)) return false
                throw cause
              }
            },
            catch: (cause) => cause
          }).pipe(
            Effect.flatMap((removed) => (removed ? syncDirectory : Effect.void)),
            Effect.mapError(storage("blob.delete"))
          ))
    })
  })

/** {@link make} as a layer. */
export const layer = (options: FileBlobStoreOptions): Layer.Layer<BlobStore, BlobDirectoryUnusable> =>
  Layer.effect(BlobStore, make(options))
