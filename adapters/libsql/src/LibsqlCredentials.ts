import { randomUUID } from "node:crypto"
import { Credentials, PasswordHash, StaffId } from "@careline/core"
import { and, eq, isNull, lt, sql } from "drizzle-orm"
import { Effect, Layer, Schema } from "effect"
import { type Database, LibsqlDatabase } from "./Database.js"
import { decodeFirst, decoder } from "./Decode.js"
import { preparedQueries } from "./Prepared.js"
import * as t from "./schema.js"
import type { Sql } from "./WriteBatcher.js"

const decodeStaffId = decoder("staff id", StaffId)
const decodePassword = decoder("password hash", PasswordHash)
const decodeSession = decoder("session", Schema.Struct({ staffId: StaffId, startedAt: Schema.Number, lastSeenAt: Schema.Number }))

/** The bearer check of every API request: prepared once per connection. */
const tokenQuery = (db: Sql) =>
  db
    .select({ staffId: t.apiTokens.staffId })
    .from(t.apiTokens)
    .where(and(eq(t.apiTokens.tokenHash, sql.placeholder("tokenHash")), isNull(t.apiTokens.revokedAt)))
    .prepare()
const tokenQueries = preparedQueries<ReturnType<typeof tokenQuery>>()

/**
 * `Credentials` over the `api_tokens`, `staff_passwords` and `staff_sessions` tables: only hashes are
 * stored (a token's or session's hash is unique, so it is issued once), `revoked_at` marks revoked
 * tokens, and `expires_at` stays null (tokens are revoked, not expired). Writes take the database's
 * write lane, like every other store.
 */
export const make = (database: Database) =>
  Credentials.of({
    issueApiToken: (staffId, tokenHash, now) =>
      database.write("Credentials.issueApiToken", async (tx) => {
        await tx.insert(t.apiTokens).values({ id: `tok_${randomUUID()}`, staffId, tokenHash, createdAt: now })
      }),
    staffOfApiToken: (tokenHash) =>
      database
        .read("Credentials.staffOfApiToken", (db) => tokenQueries(db, "byHash", () => tokenQuery(db)).all({ tokenHash }))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeStaffId("Credentials.staffOfApiToken"))(rows.map((row) => row.staffId)))),
    revokeApiTokens: (staffId, now) =>
      database.write("Credentials.revokeApiTokens", async (tx) => {
        const revoked = await tx
          .update(t.apiTokens)
          .set({ revokedAt: now })
          .where(and(eq(t.apiTokens.staffId, staffId), isNull(t.apiTokens.revokedAt)))
          .returning({ id: t.apiTokens.id })
        return revoked.length
      }),
    setPassword: (staffId, password, now) =>
      database.write("Credentials.setPassword", async (tx) => {
        await tx
          .insert(t.staffPasswords)
          .values({ staffId, passwordHash: password, updatedAt: now })
          .onConflictDoUpdate({ target: t.staffPasswords.staffId, set: { passwordHash: password, updatedAt: now } })
      }),
    passwordOf: (staffId) =>
      database
        .read("Credentials.passwordOf", (db) =>
          db.select({ hash: t.staffPasswords.passwordHash }).from(t.staffPasswords).where(eq(t.staffPasswords.staffId, staffId)))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodePassword("Credentials.passwordOf"))(rows.map((row) => row.hash)))),
    startSession: (sessionHash, staffId, now) =>
      database.write("Credentials.startSession", async (tx) => {
        await tx.insert(t.staffSessions).values({ sessionHash, staffId, startedAt: now, lastSeenAt: now })
      }),
    sessionOf: (sessionHash) =>
      database
        .read("Credentials.sessionOf", (db) =>
          db
            .select({ staffId: t.staffSessions.staffId, startedAt: t.staffSessions.startedAt, lastSeenAt: t.staffSessions.lastSeenAt })
            .from(t.staffSessions)
            .where(eq(t.staffSessions.sessionHash, sessionHash)))
        .pipe(Effect.flatMap(decodeFirst(decodeSession("Credentials.sessionOf")))),
    touchSession: (sessionHash, now) =>
      database.write("Credentials.touchSession", async (tx) => {
        await tx
          .update(t.staffSessions)
          .set({ lastSeenAt: now })
          .where(and(eq(t.staffSessions.sessionHash, sessionHash), lt(t.staffSessions.lastSeenAt, now)))
      }),
    endSession: (sessionHash) =>
      database.write("Credentials.endSession", async (tx) => {
        await tx.delete(t.staffSessions).where(eq(t.staffSessions.sessionHash, sessionHash))
      }),
    endSessionsOf: (staffId) =>
      database.write("Credentials.endSessionsOf", async (tx) => {
        const ended = await tx.delete(t.staffSessions).where(eq(t.staffSessions.staffId, staffId)).returning({ hash: t.staffSessions.sessionHash })
        return ended.length
      })
  })

/**
 * `Credentials` over the database that `LibsqlStores.layerWithDatabase` provides (which also gives
 * `Credentials` itself: use this only with a database of your own).
 *
 * @example
 * ```ts
 * const credentials = LibsqlCredentials.layer.pipe(Layer.provide(Layer.succeed(LibsqlDatabase, database)))
 * ```
 */
export const layer: Layer.Layer<Credentials, never, LibsqlDatabase> = Layer.effect(
  Credentials,
  Effect.gen(function* () {
    return make(yield* LibsqlDatabase)
  })
)
