import { ClientCredentials, ClientId, normaliseEmail, PasswordHash, StaffId } from "@careline/core"
import { and, desc, eq, gt, isNull, lt } from "drizzle-orm"
import { Effect, Layer, Option, Schema } from "effect"
import { type Database, LibsqlDatabase } from "./Database.js"
import { decodeAll, decodeFirst, decoder, decoderSync, withoutNulls } from "./Decode.js"
import * as t from "./schema.js"

const Invitation = Schema.Struct({
  clientId: ClientId,
  email: Schema.String,
  invitedBy: StaffId,
  createdAt: Schema.Number,
  expiresAt: Schema.Number,
  usedAt: Schema.optionalKey(Schema.Number),
  revokedAt: Schema.optionalKey(Schema.Number)
})
const decodeInvitation = decoder("portal invitation", Invitation)
const decodeInvitationSync = decoderSync("portal invitation", Invitation)
const decodeAccount = decoder("portal account", Schema.Struct({ clientId: ClientId, email: Schema.String, passwordHash: PasswordHash }))
const decodeSession = decoder("client session", Schema.Struct({ clientId: ClientId, startedAt: Schema.Number, lastSeenAt: Schema.Number }))

const invitationColumns = {
  clientId: t.portalInvitations.clientId,
  email: t.portalInvitations.email,
  invitedBy: t.portalInvitations.invitedBy,
  createdAt: t.portalInvitations.createdAt,
  expiresAt: t.portalInvitations.expiresAt,
  usedAt: t.portalInvitations.usedAt,
  revokedAt: t.portalInvitations.revokedAt
}
const accountColumns = { clientId: t.portalAccounts.clientId, email: t.portalAccounts.email, passwordHash: t.portalAccounts.passwordHash }

const unusedOf = (clientId: string) =>
  and(eq(t.portalInvitations.clientId, clientId), isNull(t.portalInvitations.usedAt), isNull(t.portalInvitations.revokedAt))

/**
 * `ClientCredentials` over `portal_invitations`, `portal_accounts` and `client_sessions`: only hashes
 * of tokens and session ids are stored; redeeming is one conditional update, so an invitation is used
 * once even by concurrent requests. Writes take the database's write lane.
 */
export const make = (database: Database) =>
  ClientCredentials.of({
    createInvitation: (tokenHash, invitation) =>
      database.write("ClientCredentials.createInvitation", async (tx) => {
        await tx.update(t.portalInvitations).set({ revokedAt: invitation.createdAt }).where(unusedOf(invitation.clientId))
        await tx.insert(t.portalInvitations).values({
          tokenHash,
          clientId: invitation.clientId,
          email: invitation.email,
          invitedBy: invitation.invitedBy,
          createdAt: invitation.createdAt,
          expiresAt: invitation.expiresAt
        })
      }),
    invitationOf: (tokenHash) =>
      database
        .read("ClientCredentials.invitationOf", (db) => db.select(invitationColumns).from(t.portalInvitations).where(eq(t.portalInvitations.tokenHash, tokenHash)))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeInvitation("ClientCredentials.invitationOf"))(rows.map(withoutNulls)))),
    latestInvitationOf: (clientId) =>
      database
        .read("ClientCredentials.latestInvitationOf", (db) =>
          db
            .select(invitationColumns)
            .from(t.portalInvitations)
            .where(eq(t.portalInvitations.clientId, clientId))
            .orderBy(desc(t.portalInvitations.createdAt), desc(t.portalInvitations.tokenHash))
            .limit(1))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeInvitation("ClientCredentials.latestInvitationOf"))(rows.map(withoutNulls)))),
    redeemInvitation: (tokenHash, now) =>
      database.write("ClientCredentials.redeemInvitation", async (tx) => {
        const used = await tx
          .update(t.portalInvitations)
          .set({ usedAt: now })
          .where(and(
            eq(t.portalInvitations.tokenHash, tokenHash),
            isNull(t.portalInvitations.usedAt),
            isNull(t.portalInvitations.revokedAt),
            gt(t.portalInvitations.expiresAt, now)
          ))
          .returning(invitationColumns)
        return used[0] === undefined ? undefined : decodeInvitationSync(withoutNulls(used[0]))
      }).pipe(Effect.map((found) => (found === undefined ? Option.none() : Option.some(found)))),
    setAccount: (clientId, email, password, now) =>
      database.write("ClientCredentials.setAccount", async (tx) => {
        const row = { email: normaliseEmail(email), passwordHash: password, updatedAt: now }
        await tx.insert(t.portalAccounts).values({ clientId, ...row }).onConflictDoUpdate({ target: t.portalAccounts.clientId, set: row })
      }),
    accountOf: (clientId) =>
      database
        .read("ClientCredentials.accountOf", (db) => db.select(accountColumns).from(t.portalAccounts).where(eq(t.portalAccounts.clientId, clientId)))
        .pipe(Effect.flatMap(decodeFirst(decodeAccount("ClientCredentials.accountOf")))),
    accountsWithEmail: (email) =>
      database
        .read("ClientCredentials.accountsWithEmail", (db) =>
          db.select(accountColumns).from(t.portalAccounts).where(eq(t.portalAccounts.email, normaliseEmail(email))).orderBy(t.portalAccounts.clientId))
        .pipe(Effect.flatMap(decodeAll(decodeAccount("ClientCredentials.accountsWithEmail")))),
    removeAccount: (clientId, now) =>
      database.write("ClientCredentials.removeAccount", async (tx) => {
        await tx.update(t.portalInvitations).set({ revokedAt: now }).where(unusedOf(clientId))
        await tx.delete(t.clientSessions).where(eq(t.clientSessions.clientId, clientId))
        const removed = await tx.delete(t.portalAccounts).where(eq(t.portalAccounts.clientId, clientId)).returning({ id: t.portalAccounts.clientId })
        return removed.length > 0
      }),
    startSession: (sessionHash, clientId, now) =>
      database.write("ClientCredentials.startSession", async (tx) => {
        await tx.insert(t.clientSessions).values({ sessionHash, clientId, startedAt: now, lastSeenAt: now })
      }),
    sessionOf: (sessionHash) =>
      database
        .read("ClientCredentials.sessionOf", (db) =>
          db
            .select({ clientId: t.clientSessions.clientId, startedAt: t.clientSessions.startedAt, lastSeenAt: t.clientSessions.lastSeenAt })
            .from(t.clientSessions)
            .where(eq(t.clientSessions.sessionHash, sessionHash)))
        .pipe(Effect.flatMap(decodeFirst(decodeSession("ClientCredentials.sessionOf")))),
    touchSession: (sessionHash, now) =>
      database.write("ClientCredentials.touchSession", async (tx) => {
        await tx
          .update(t.clientSessions)
          .set({ lastSeenAt: now })
          .where(and(eq(t.clientSessions.sessionHash, sessionHash), lt(t.clientSessions.lastSeenAt, now)))
      }),
    endSession: (sessionHash) =>
      database.write("ClientCredentials.endSession", async (tx) => {
        await tx.delete(t.clientSessions).where(eq(t.clientSessions.sessionHash, sessionHash))
      }),
    endSessionsOf: (clientId) =>
      database.write("ClientCredentials.endSessionsOf", async (tx) => {
        const ended = await tx.delete(t.clientSessions).where(eq(t.clientSessions.clientId, clientId)).returning({ hash: t.clientSessions.sessionHash })
        return ended.length
      })
  })

/**
 * `ClientCredentials` over a database of your own (`LibsqlStores.layerWithDatabase` already provides it).
 *
 * @example
 * ```ts
 * const portal = LibsqlClientCredentials.layer.pipe(Layer.provide(Layer.succeed(LibsqlDatabase, database)))
 * ```
 */
export const layer: Layer.Layer<ClientCredentials, never, LibsqlDatabase> = Layer.effect(
  ClientCredentials,
  Effect.gen(function* () {
    return make(yield* LibsqlDatabase)
  })
)
