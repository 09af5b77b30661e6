import { StorageError } from "@careline/core"
import { Effect } from "effect"

/** The same refusal the libSQL adapter gives for a repeated token or session hash (its unique key). */
class DuplicateHash extends Error {
  constructor() {
    super("This hash is already stored.")
  }
}

/** Fails `operation` as a store refusing a hash it already holds. */
export const refuseDuplicate = (operation: string) => Effect.fail(new StorageError({ operation, cause: new DuplicateHash() }))
