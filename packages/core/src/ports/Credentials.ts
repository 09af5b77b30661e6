import { Context, type Effect, type Option, Schema } from "effect"
import type { StaffId } from "../Ids.js"
import type { StaffSession } from "../StaffSession.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/**
 * The SHA-256 of a secret (an API token or a session id), as 64 lower-case hex digits. Only this is
 * ever stored: a leaked database or backup gives no working token or session. The type keeps a raw
 * secret from being passed where a hash is due.
 *
 * @example
 * ```ts
 * const hash = TokenHash.make(createHash("sha256").update(token).digest("hex"))
 * ```
 */
export const TokenHash = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[0-9a-f]{64}$/, { message: "a SHA-256 hash as 64 lower-case hex digits" })),
  Schema.brand("TokenHash")
)
export type TokenHash = typeof TokenHash.Type

/**
 * A stored password as a password hasher wrote it (algorithm, parameters, salt and hash in one
 * string, e.g. `scrypt$…`). The core never sees a password, only this.
 */
export const PasswordHash = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[a-z0-9]+\$\S{16,}$/, { message: "a password hash as `<algorithm>$<parameters and hash>`" })),
  Schema.brand("PasswordHash")
)
export type PasswordHash = typeof PasswordHash.Type

/**
 * Staff credentials: API tokens and sign-in sessions (both by the hash of their secret), and
 * passwords (as hashes). A staff member may hold several tokens and sessions; revoking ends all of
 * their tokens, `endSessionsOf` all of their sessions. Tokens do not expire on their own: revoke them
 * (e.g. when someone leaves); sessions expire by `sessionStanding`.
 *
 * @example
 * ```ts
 * yield* Credentials.use((c) => c.issueApiToken(staff.id, hash, now))
 * const staffId = yield* Credentials.use((c) => c.staffOfApiToken(hash)) // Option<StaffId>
 * ```
 */
export class Credentials extends Context.Service<Credentials, {
  /** Stores a new token's hash for the staff member; fails with `StorageError` if the hash is already stored. */
  readonly issueApiToken: (staffId: StaffId, tokenHash: TokenHash, now: number) => Io<void>
  /** Whose token this is; `None` for an unknown or revoked token. */
  readonly staffOfApiToken: (tokenHash: TokenHash) => Io<Option.Option<StaffId>>
  /** Revokes every live token of the staff member at `now`, and says how many there were. */
  readonly revokeApiTokens: (staffId: StaffId, now: number) => Io<number>
  /** Sets (or replaces) the staff member's password hash. */
  readonly setPassword: (staffId: StaffId, password: PasswordHash, now: number) => Io<void>
  /** The staff member's password hash; `None` when they have none (they cannot sign in). */
  readonly passwordOf: (staffId: StaffId) => Io<Option.Option<PasswordHash>>
  /** Records a new session; fails with `StorageError` if the hash is already stored. */
  readonly startSession: (sessionHash: TokenHash, staffId: StaffId, now: number) => Io<void>
  /** The session, if it was started and not ended (expiry is the caller's to judge: `sessionStanding`). */
  readonly sessionOf: (sessionHash: TokenHash) => Io<Option.Option<StaffSession>>
  /** Moves the session's last activity to `now` (never backwards); nothing for an unknown session. */
  readonly touchSession: (sessionHash: TokenHash, now: number) => Io<void>
  /** Ends one session (sign-out); nothing for an unknown session. */
  readonly endSession: (sessionHash: TokenHash) => Io<void>
  /** Ends every session of the staff member, and says how many there were. */
  readonly endSessionsOf: (staffId: StaffId) => Io<number>
}>()("@careline/core/Credentials") {}
