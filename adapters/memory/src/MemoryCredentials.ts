import { Credentials, type PasswordHash, type StaffId, type StaffSession, StorageError, type TokenHash } from "@careline/core"
import { Effect, HashMap, Layer, Option, Ref } from "effect"
import { refuseDuplicate } from "./DuplicateHash.js"

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
      startSession: (sessionHash, staffId, now) =>
        Effect.flatten(Ref.modify(ref, (state): readonly [Effect.Effect<void, StorageError>, State] =>
          HashMap.has(state.sessions, sessionHash)
            ? [refuseDuplicate("Credentials.startSession"), state]
            : [Effect.void, { ...state, sessions: HashMap.set(state.sessions, sessionHash, { staffId, startedAt: now, lastSeenAt: now }) }])),
      sessionOf: (sessionHash) => read((state) => HashMap.get(state.sessions, sessionHash)),
      touchSession: (sessionHash, now) =>
        update((state) => ({
          ...state,
          sessions: HashMap.modify(state.sessions, sessionHash, (session) => ({ ...session, lastSeenAt: Math.max(session.lastSeenAt, now) }))
        })),
      endSession: (sessionHash) => update((state) => ({ ...state, sessions: HashMap.remove(state.sessions, sessionHash) })),
      endSessionsOf: (staffId) =>
        Ref.modify(ref, (state) => {
          const theirs = HashMap.filter(state.sessions, (session) => session.staffId === staffId)
          return [HashMap.size(theirs), { ...state, sessions: HashMap.filter(state.sessions, (session) => session.staffId !== staffId) }]
        })
    })
  })
)
