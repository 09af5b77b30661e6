import { BlobId, BlobStore, StorageError } from "@careline/core"
import { Effect, Layer, Option, Ref, Schema } from "effect"

const isBlobId = Schema.is(BlobId)

/** The same refusal the filesystem store gives for an id that is not a server-generated `BlobId`. */
const checked = (operation: string, id: string): Effect.Effect<void, StorageError> =>
  isBlobId(id) ? Effect.void : Effect.fail(new StorageError({ operation, cause: new Error("Not a blob id.") }))

/**
 * `BlobStore` in memory, by blob id, over its own state; each build starts empty. Bytes are copied
 * in and out, so no caller shares a buffer with the store.
 *
 * @example
 * ```ts
 * const live = Layer.mergeAll(MemoryStores.layer, MemoryBlobStore.layer)
 * ```
 */
export const layer: Layer.Layer<BlobStore> = Layer.effect(
  BlobStore,
  Effect.map(Ref.make<ReadonlyMap<string, Uint8Array>>(new Map()), (ref) =>
    BlobStore.of({
      put: (id, bytes) =>
        Effect.andThen(checked("blob.put", id), Ref.update(ref, (blobs) => new Map(blobs).set(id, Uint8Array.from(bytes)))),
      get: (id) =>
        Effect.andThen(
          checked("blob.get", id),
          Effect.map(Ref.get(ref), (blobs) => Option.map(Option.fromUndefinedOr(blobs.get(id)), (bytes) => Uint8Array.from(bytes)))
        ),
      delete: (id) =>
        Effect.andThen(checked("blob.delete", id), Ref.update(ref, (blobs) => {
          if (!blobs.has(id)) return blobs
          const next = new Map(blobs)
          next.delete(id)
          return next
        }))
    }))
)
