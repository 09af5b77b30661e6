import { Context, type Effect, type Option } from "effect"
import type { BlobId } from "../Ids.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/**
 * Where attachment bytes live (a directory, memory, …), by a server-generated `BlobId`. `put` is
 * durable when it succeeds; `delete` removes the bytes for good and is a no-op for an unknown id.
 */
export class BlobStore extends Context.Service<BlobStore, {
  readonly put: (id: BlobId, bytes: Uint8Array) => Io<void>
  readonly get: (id: BlobId) => Io<Option.Option<Uint8Array>>
  readonly delete: (id: BlobId) => Io<void>
}>()("@careline/core/BlobStore") {}
