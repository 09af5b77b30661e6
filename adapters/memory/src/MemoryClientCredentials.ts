import {
  ClientCredentials,
  type ClientId,
  type ClientSession,
  normaliseEmail,
  type PortalAccount,
  type PortalInvitation,
  StorageError,
  type TokenHash
} from "@careline/core"
import { Effect, HashMap, Layer, Option, Ref } from "effect"
import { refuseDuplicate } from "./DuplicateHash.js"
import { sessionsOver } from "./MemorySessions.js"

interface StoredInvitation extends PortalInvitation {
  /** Insertion order: the newest of several created at the same time is the last one. */
  readonly order: number
}

interface State {
  readonly invitations: HashMap.HashMap<TokenHash, StoredInvitation>
  readonly accounts: HashMap.HashMap<ClientId, PortalAccount>
  readonly sessions: HashMap.HashMap<TokenHash, ClientSession>
}


const withoutOrder = ({ order: _order, ...invitation }: StoredInvitation): PortalInvitation => invitation

const unused = (invitation: PortalInvitation) => invitation.usedAt === undefined && invitation.revokedAt === undefined

const revokeUnused = (state: State, clientId: ClientId, now: number): State => ({
  ...state,
  invitations: HashMap.map(state.invitations, (invitation) =>
    invitation.clientId === clientId && unused(invitation) ? { ...invitation, revokedAt: now } : invitation)
})

const emptyState: State = { invitations: HashMap.empty(), accounts: HashMap.empty(), sessions: HashMap.empty() }

/**
 * `ClientCredentials` in memory over its own state; each build starts empty.
 *
 * @example
 * ```ts
 * const live = Layer.mergeAll(MemoryStores.layer, MemoryClientCredentials.layer)
 * ```
 */
export const layer: Layer.Layer<ClientCredentials> = Layer.effect(
  ClientCredentials,
  Effect.map(Ref.make<State>(emptyState), (ref) => {
    const update = (f: (state: State) => State) => Ref.update(ref, f)
    const read = <A>(f: (state: State) => A) => Effect.map(Ref.get(ref), f)
    const insertUnique = (operation: string, has: (state: State) => boolean, insert: (state: State) => State) =>
      Effect.flatten(Ref.modify(ref, (state): readonly [Effect.Effect<void, StorageError>, State] =>
        has(state) ? [refuseDuplicate(operation), state] : [Effect.void, insert(state)]))
    return ClientCredentials.of({
      createInvitation: (tokenHash, { usedAt: _used, revokedAt: _revoked, ...invitation }) =>
        insertUnique("ClientCredentials.createInvitation", (state) => HashMap.has(state.invitations, tokenHash), (state) => {
          const revoked = revokeUnused(state, invitation.clientId, invitation.createdAt)
          return { ...revoked, invitations: HashMap.set(revoked.invitations, tokenHash, { ...invitation, order: HashMap.size(state.invitations) }) }
        }),
      invitationOf: (tokenHash) => read((state) => Option.map(HashMap.get(state.invitations, tokenHash), withoutOrder)),
      latestInvitationOf: (clientId) =>
        read((state) => {
          const theirs = [...HashMap.values(state.invitations)].filter((invitation) => invitation.clientId === clientId)
          const newest = theirs.reduce<StoredInvitation | undefined>((best, invitation) =>
            best === undefined || invitation.createdAt > best.createdAt || (invitation.createdAt === best.createdAt && invitation.order > best.order) ? invitation : best, undefined)
          return Option.map(Option.fromUndefinedOr(newest), withoutOrder)
        }),
      redeemInvitation: (tokenHash, now) =>
        Ref.modify(ref, (state) => {
          const found = HashMap.get(state.invitations, tokenHash)
          if (Option.isNone(found) || !unused(found.value) || found.value.expiresAt <= now) return [Option.none(), state]
          const used = { ...found.value, usedAt: now }
          return [Option.some(withoutOrder(used)), { ...state, invitations: HashMap.set(state.invitations, tokenHash, used) }]
        }),
      setAccount: (clientId, email, passwordHash) =>
        update((state) => ({ ...state, accounts: HashMap.set(state.accounts, clientId, { clientId, email: normaliseEmail(email), passwordHash }) })),
      accountOf: (clientId) => read((state) => HashMap.get(state.accounts, clientId)),
      accountsWithEmail: (email) =>
        read((state) =>
          [...HashMap.values(state.accounts)]
            .filter((account) => account.email === normaliseEmail(email))
            .sort((a, b) => (a.clientId < b.clientId ? -1 : 1))),
      removeAccount: (clientId, now) =>
        Ref.modify(ref, (state) => {
          const revoked = revokeUnused(state, clientId, now)
          return [HashMap.has(state.accounts, clientId), {
            invitations: revoked.invitations,
            accounts: HashMap.remove(state.accounts, clientId),
            sessions: HashMap.filter(state.sessions, (session) => session.clientId !== clientId)
          }]
        }),
      ...sessionsOver(ref, {
        startOperation: "ClientCredentials.startSession",
        start: (clientId: ClientId, now: number): ClientSession => ({ clientId, startedAt: now, lastSeenAt: now }),
        ownerOf: (session) => session.clientId
      })
    })
  })
)
