import { Schema } from "effect"

/** A store could not do what was asked (disk full, database locked, …). Carries no health data. */
export class StorageError extends Schema.TaggedError<StorageError>()("StorageError", {
  operation: Schema.String,
  cause: Schema.Defect()
}) {
  override get message() {
    return `Storage failed during ${this.operation}.`
  }
}
