import { randomUUID } from "node:crypto"
import { Credentials, StaffId } from "@careline/core"
import { and, eq, isNull } from "drizzle-orm"
import { Effect, Layer } from "effect"
import { type Database, LibsqlDatabase } from "./Database.js"
import { decodeFirst, decoder } from "./Decode.js"
import * as t from "./schema.js"

const decodeStaffId = decoder("staff id", StaffId)

/**
 * `Credentials` over the `api_tokens` table: only the token's hash is stored (unique, so a hash is
 * issued once), `revoked_at` marks revoked tokens, and `expires_at` stays null (tokens are revoked,
 * not expired). Writes take the database's write lane, like every other store.
 */
export const make = (database: Database) =>
  Credentials.of({
    issueApiToken: (staffId, tokenHash, now) =>
      database.write("Credentials.issueApiToken", async (tx) => {
        await tx.insert(t.apiTokens).values({ id: `tok_${randomUUID()}`, staffId, tokenHash, createdAt: now })
      }),
    staffOfApiToken: (tokenHash) =>
      database
        .read("Credentials.staffOfApiToken", (db) =>
          db
            .select({ staffId: t.apiTokens.staffId })
            .from(t.apiTokens)
            .where(and(eq(t.apiTokens.tokenHash, tokenHash), isNull(t.apiTokens.revokedAt))))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeStaffId("Credentials.staffOfApiToken"))(rows.map((row) => row.staffId)))),
    revokeApiTokens: (staffId, now) =>
      database.write("Credentials.revokeApiTokens", async (tx) => {
        const revoked = await tx
          .update(t.apiTokens)
          .set({ revokedAt: now })
          .where(and(eq(t.apiTokens.staffId, staffId), isNull(t.apiTokens.revokedAt)))
          .returning({ id: t.apiTokens.id })
        return revoked.length
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
