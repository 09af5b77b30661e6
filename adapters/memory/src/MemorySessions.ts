import type { StorageError, TokenHash } from "@careline/core"
import { Effect, HashMap, type Option, Ref } from "effect"
import { refuseDuplicate } from "./DuplicateHash.js"

/** What a stored session needs for these rules: when it was last used. */
interface Session {
  readonly lastSeenAt: number
}

/** How one store's sessions are made and whose they are (a staff member's, a client's). */
export interface SessionKind<Owner, S extends Session> {
  /** Names the failure of a repeated hash, e.g. `"Credentials.startSession"`. */
  readonly startOperation: string
  readonly start: (owner: Owner, now: number) => S
  readonly ownerOf: (session: S) => Owner
}

/**
 * The session half of a credentials port in memory, over the `sessions` of the store's own state:
 * staff and client sessions follow the same rules (a repeated hash is refused, as libSQL's unique key
 * does; a touch never moves `lastSeenAt` back).
 *
 * @example
 * ```ts
 * const sessions = sessionsOver(ref, {
 *   startOperation: "Credentials.startSession",
 *   start: (staffId, now): StaffSession => ({ staffId, startedAt: now, lastSeenAt: now }),
 *   ownerOf: (session) => session.staffId
 * })
 * return Credentials.of({ ...sessions, … })
 * ```
 */
export const sessionsOver = <Owner, S extends Session, State extends { readonly sessions: HashMap.HashMap<TokenHash, S> }>(
  ref: Ref.Ref<State>,
  kind: SessionKind<Owner, S>
) => {
  const update = (f: (sessions: HashMap.HashMap<TokenHash, S>) => HashMap.HashMap<TokenHash, S>) =>
    Ref.update(ref, (state): State => ({ ...state, sessions: f(state.sessions) }))
  return {
    startSession: (sessionHash: TokenHash, owner: Owner, now: number): Effect.Effect<void, StorageError> =>
      Effect.flatten(Ref.modify(ref, (state): readonly [Effect.Effect<void, StorageError>, State] =>
        HashMap.has(state.sessions, sessionHash)
          ? [refuseDuplicate(kind.startOperation), state]
          : [Effect.void, { ...state, sessions: HashMap.set(state.sessions, sessionHash, kind.start(owner, now)) }])),
    sessionOf: (sessionHash: TokenHash): Effect.Effect<Option.Option<S>> =>
      Effect.map(Ref.get(ref), (state) => HashMap.get(state.sessions, sessionHash)),
    touchSession: (sessionHash: TokenHash, now: number): Effect.Effect<void> =>
      update((sessions) => HashMap.modify(sessions, sessionHash, (session) => ({ ...session, lastSeenAt: Math.max(session.lastSeenAt, now) }))),
    endSession: (sessionHash: TokenHash): Effect.Effect<void> => update((sessions) => HashMap.remove(sessions, sessionHash)),
    endSessionsOf: (owner: Owner): Effect.Effect<number> =>
      Ref.modify(ref, (state): readonly [number, State] => {
        const theirs = HashMap.filter(state.sessions, (session) => kind.ownerOf(session) === owner)
        return [HashMap.size(theirs), { ...state, sessions: HashMap.filter(state.sessions, (session) => kind.ownerOf(session) !== owner) }]
      })
  }
}
