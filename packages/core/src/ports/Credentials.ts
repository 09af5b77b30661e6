import { Context, type Effect, type Option, Schema } from "effect"
import type { StaffId } from "../Ids.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/**
 * The SHA-256 of a secret (an API token), as 64 lower-case hex digits. Only this is ever stored: a
 * leaked database or backup gives no working token. The type keeps a raw token from being passed
 * where a hash is due.
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
 * Staff API tokens, by hash. A staff member may hold several; revoking ends all of them. Tokens do
 * not expire on their own: revoke them (e.g. when someone leaves).
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
}>()("@careline/core/Credentials") {}
