import { Credentials, type PasswordHash, type StaffId, type StaffSession, StorageError, type TokenHash } from "@careline/core"
import { Effect, HashMap, Layer, Option, Ref } from "effect"
import { refuseDuplicate } from "./DuplicateHash.js"
import { sessionsOver } from "./MemorySessions.js"

interface StoredToken {
  readonly staffId: StaffId
  readonly createdAt: number
  readonly revokedAt?: number
}

interface State {
  readonly tokens: HashMap.HashMap<TokenHash, StoredToken>
  readonly passwords: HashMap.HashMap<StaffId, PasswordHash>
  readonly sessions: HashMap.HashMap<TokenHash, StaffSession>
}

/**
 * `Credentials` in memory, by token and session hash, over its own state; each build starts empty.
 *
 * @example
 * ```ts
 * const live = Layer.mergeAll(MemoryStores.layer, MemoryCredentials.layer)
 * ```
 */
export const layer: Layer.Layer<Credentials> = Layer.effect(
  Credentials,
  Effect.map(Ref.make<State>({ tokens: HashMap.empty(), passwords: HashMap.empty(), sessions: HashMap.empty() }), (ref) => {
    const update = (f: (state: State) => State) => Ref.update(ref, f)
    const read = <A>(f: (state: State) => A) => Effect.map(Ref.get(ref), f)
    return Credentials.of({
      issueApiToken: (staffId, tokenHash, now) =>
        Effect.flatten(Ref.modify(ref, (state): readonly [Effect.Effect<void, StorageError>, State] =>
          HashMap.has(state.tokens, tokenHash)
            ? [refuseDuplicate("Credentials.issueApiToken"), state]
            : [Effect.void, { ...state, tokens: HashMap.set(state.tokens, tokenHash, { staffId, createdAt: now }) }])),
      staffOfApiToken: (tokenHash) =>
        read((state) =>
          Option.flatMap(HashMap.get(state.tokens, tokenHash), (token) =>
            token.revokedAt === undefined ? Option.some(token.staffId) : Option.none())),
      revokeApiTokens: (staffId, now) =>
        Ref.modify(ref, (state) => {
          const live = HashMap.filter(state.tokens, (token) => token.staffId === staffId && token.revokedAt === undefined)
          const tokens = HashMap.reduce(live, state.tokens, (all, token, hash) => HashMap.set(all, hash, { ...token, revokedAt: now }))
          return [HashMap.size(live), { ...state, tokens }]
        }),
      setPassword: (staffId, password) => update((state) => ({ ...state, passwords: HashMap.set(state.passwords, staffId, password) })),
      passwordOf: (staffId) => read((state) => HashMap.get(state.passwords, staffId)),
      ...sessionsOver(ref, {
        startOperation: "Credentials.startSession",
        start: (staffId: StaffId, now: number): StaffSession => ({ staffId, startedAt: now, lastSeenAt: now }),
        ownerOf: (session) => session.staffId
      })
    })
  })
)
