import { closeSync, openSync, readSync } from "node:fs"
import { LibsqlError } from "@libsql/client"
import { DrizzleQueryError } from "drizzle-orm"
import { Schema } from "effect"
import type { Target } from "./DatabaseUrl.js"

/** The database could not be opened safely; `reason` says what to do about it. Nothing was written. */
export class DatabaseOpenFailed extends Schema.TaggedError<DatabaseOpenFailed>()("DatabaseOpenFailed", {
  reason: Schema.String,
  url: Schema.String
}) {
  override get message() {
    return `Cannot open the database at ${this.url}: ${this.reason}`
  }
}

export const ENCRYPTED_WITHOUT_KEY = "the database is encrypted: set DATABASE_ENCRYPTION_KEY (or the key is wrong)"

const SQLITE_HEADER = "SQLite format 3\u0000"

/** Whether the file starts like a plaintext SQLite database (an encrypted one does not). */
const isPlaintextSqlite = (path: string): boolean => {
  try {
    const fd = openSync(path, "r")
    try {
      const header = Buffer.alloc(SQLITE_HEADER.length)
      const read = readSync(fd, header, 0, header.length, 0)
      return read === header.length && header.toString("latin1") === SQLITE_HEADER
    } finally {
      closeSync(fd)
    }
  } catch {
    return false
  }
}

const errorCode = (error: unknown): string | undefined => (error instanceof LibsqlError ? error.code : undefined)

/** The driver's error under drizzle's wrapper (whose message lists the statement's parameters). */
export const rootCause = (error: unknown): unknown =>
  error instanceof DrizzleQueryError && error.cause !== undefined ? rootCause(error.cause) : error

/** Turns a driver error met while opening into a reason a person can act on. */
export const openFailure = (target: Target, encryptionKey: string | undefined, step: string) => (error: unknown): DatabaseOpenFailed => {
  const cause = rootCause(error)
  const code = errorCode(cause)
  const text = cause instanceof Error ? cause.message : String(cause)
  const fail = (reason: string) => new DatabaseOpenFailed({ reason, url: target.redacted })
  if (code === "SQLITE_NOTADB" || text.includes("file is not a database")) {
    if (encryptionKey !== undefined && target.path !== undefined && isPlaintextSqlite(target.path)) {
      return fail("the database file is not encrypted, but an encryption key was given: unset DATABASE_ENCRYPTION_KEY")
    }
    return fail(ENCRYPTED_WITHOUT_KEY)
  }
  if (code === "SQLITE_CANTOPEN" || /Unable to open connection.*: 14\b/.test(text)) {
    return fail("cannot open or create the database file: check that its directory exists and is writable")
  }
  if (code === "SQLITE_READONLY") return fail("the database file is read-only: check the permissions of the file and its directory")
  if (code === "SQLITE_BUSY") return fail("the database is locked by another process")
  return fail(`${step} failed: ${text}`)
}
