import { Context, type Effect, type Option } from "effect"
import type { ClientId } from "../Ids.js"
import type { ClientSession, PortalInvitation } from "../PortalAccount.js"
import type { PasswordHash, TokenHash } from "./Credentials.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/** A client's portal account: the email they sign in with (lower-cased) and their password hash. */
export interface PortalAccount {
  readonly clientId: ClientId
  readonly email: string
  readonly passwordHash: PasswordHash
}

/**
 * Client portal credentials: invitations (by the hash of their token; single use; only the client's
 * newest works), one account per client (the email it signs in with and a password hash), and
 * sessions (by the hash of their id). Kept apart from staff `Credentials`: a staff session is never a
 * client session, nor the other way round.
 *
 * @example
 * ```ts
 * yield* ClientCredentials.use((c) => c.createInvitation(hash, { clientId, email, invitedBy, createdAt: now, expiresAt: now + invitationLifetimeMs }))
 * const redeemed = yield* ClientCredentials.use((c) => c.redeemInvitation(hash, now)) // Option<PortalInvitation>
 * ```
 */
export class ClientCredentials extends Context.Service<ClientCredentials, {
  /**
   * Stores a new invitation (its `usedAt`/`revokedAt` ignored); every earlier unused invitation of
   * the client is revoked at `createdAt`. Fails with `StorageError` if the hash is already stored.
   */
  readonly createInvitation: (tokenHash: TokenHash, invitation: PortalInvitation) => Io<void>
  /** The invitation as stored (used, revoked or expired ones too); `None` for an unknown hash. */
  readonly invitationOf: (tokenHash: TokenHash) => Io<Option.Option<PortalInvitation>>
  /** The client's newest invitation, whatever its standing. */
  readonly latestInvitationOf: (clientId: ClientId) => Io<Option.Option<PortalInvitation>>
  /**
   * Uses the invitation at `now`, atomically: answers it (with `usedAt`) only if it was unused,
   * unrevoked and unexpired; otherwise `None` and nothing changes. Two concurrent redeems: one wins.
   */
  readonly redeemInvitation: (tokenHash: TokenHash, now: number) => Io<Option.Option<PortalInvitation>>
  /** Creates or replaces the client's account (email stored lower-cased). */
  readonly setAccount: (clientId: ClientId, email: string, password: PasswordHash, now: number) => Io<void>
  readonly accountOf: (clientId: ClientId) => Io<Option.Option<PortalAccount>>
  /** Accounts signing in with this email (any case): a person may be a client of several organisations. */
  readonly accountsWithEmail: (email: string) => Io<ReadonlyArray<PortalAccount>>
  /** Removes the client's account, revokes their unused invitations and ends their sessions; says whether there was an account. */
  readonly removeAccount: (clientId: ClientId, now: number) => Io<boolean>
  /** Records a new session; fails with `StorageError` if the hash is already stored. */
  readonly startSession: (sessionHash: TokenHash, clientId: ClientId, now: number) => Io<void>
  /** The session, if started and not ended (expiry is the caller's to judge: `sessionStanding`). */
  readonly sessionOf: (sessionHash: TokenHash) => Io<Option.Option<ClientSession>>
  /** Moves the session's last activity to `now` (never backwards); nothing for an unknown session. */
  readonly touchSession: (sessionHash: TokenHash, now: number) => Io<void>
  readonly endSession: (sessionHash: TokenHash) => Io<void>
  /** Ends every session of the client, and says how many there were. */
  readonly endSessionsOf: (clientId: ClientId) => Io<number>
}>()("@careline/core/ClientCredentials") {}
