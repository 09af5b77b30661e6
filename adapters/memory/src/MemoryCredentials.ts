import { Credentials, type StaffId, StorageError, type TokenHash } from "@careline/core"
import { Effect, HashMap, Layer, Option, Ref } from "effect"

interface StoredToken {
  readonly staffId: StaffId
  readonly createdAt: number
  readonly revokedAt?: number
}

type Tokens = HashMap.HashMap<TokenHash, StoredToken>

/** The same refusal the libSQL adapter gives for a repeated hash (its unique index). */
class DuplicateTokenHash extends Error {
  constructor() {
    super("This token hash is already stored.")
  }
}

/**
 * `Credentials` in memory, by token hash, over its own state; each build starts empty.
 *
 * @example
 * ```ts
 * const live = Layer.mergeAll(MemoryStores.layer, MemoryCredentials.layer)
 * ```
 */
export const layer: Layer.Layer<Credentials> = Layer.effect(
  Credentials,
  Effect.map(Ref.make<Tokens>(HashMap.empty()), (ref) =>
    Credentials.of({
      issueApiToken: (staffId, tokenHash, now) =>
        Effect.flatten(Ref.modify(ref, (tokens): readonly [Effect.Effect<void, StorageError>, Tokens] =>
          HashMap.has(tokens, tokenHash)
            ? [Effect.fail(new StorageError({ operation: "Credentials.issueApiToken", cause: new DuplicateTokenHash() })), tokens]
            : [Effect.void, HashMap.set(tokens, tokenHash, { staffId, createdAt: now })])),
      staffOfApiToken: (tokenHash) =>
        Effect.map(Ref.get(ref), (tokens) =>
          Option.flatMap(HashMap.get(tokens, tokenHash), (token) =>
            token.revokedAt === undefined ? Option.some(token.staffId) : Option.none())),
      revokeApiTokens: (staffId, now) =>
        Ref.modify(ref, (tokens) => {
          const live = HashMap.filter(tokens, (token) => token.staffId === staffId && token.revokedAt === undefined)
          const revoked = HashMap.reduce(live, tokens, (all, token, hash) => HashMap.set(all, hash, { ...token, revokedAt: now }))
          return [HashMap.size(live), revoked]
        })
    }))
)
