import { Schema } from "effect"
import { BlobId } from "./Ids.js"

/** The most a single attachment may hold (S1: 10 MB each, any number of them). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

/**
 * An attachment as the core knows it: the blob it lives in (a server-generated name), the name the
 * uploader gave it (shown, never used as a path), its checked content type, its size and the
 * SHA-256 of its bytes (64 hex digits), verified whenever it is read back.
 */
export const StoredFile = Schema.Struct({
  blobId: BlobId,
  name: Schema.String.check(Schema.isMinLength(1)),
  contentType: Schema.String,
  size: Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: MAX_ATTACHMENT_BYTES })),
  sha256: Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/))
})
export type StoredFile = typeof StoredFile.Type
