import { ClientCredentials, type ClientId, type Directory, invitationLifetimeMs, PasswordHash, type PortalInvitation, TokenHash } from "@careline/core"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parentIdPools, T0 } from "./fixtures.js"
import { pooledClients, pooledOrganisations, pooledStaff, seedDirectory } from "./ParentRecords.js"
import { runWith } from "./runEffect.js"

const hash = (n: number): TokenHash => TokenHash.make(n.toString(16).padStart(64, "0"))
const password = (n: number): PasswordHash => PasswordHash.make(`scrypt$16384$8$1$${"a".repeat(22)}$${n.toString().padStart(43, "0")}`)

const [client1, client2] = parentIdPools.clients
const [staff1] = parentIdPools.staff

/** The clients and staff the invitations, accounts and sessions below refer to. */
const seed = seedDirectory({ organisations: pooledOrganisations, staff: pooledStaff, clients: pooledClients })

const invitation = (clientId: ClientId, createdAt: number, email = "casey@example.org"): PortalInvitation => ({
  clientId,
  email,
  invitedBy: staff1!,
  createdAt,
  expiresAt: createdAt + invitationLifetimeMs
})

/**
 * The behaviour every `ClientCredentials` adapter must show, each test on a fresh build of `layer`
 * after storing the clients and staff it refers to through the layer's `Directory`.
 *
 * @example
 * ```ts
 * clientCredentialsSuite("memory", Layer.merge(MemoryStores.layer, MemoryClientCredentials.layer))
 * ```
 */
export const clientCredentialsSuite = (name: string, layer: Layer.Layer<ClientCredentials | Directory, unknown>) =>
  describe(`ClientCredentials (${name})`, () => {
    const run = runWith(layer)

    it("stores an invitation by its hash and knows no other", () =>
      run(Effect.gen(function* () {
        const credentials = yield* ClientCredentials
        yield* seed
        yield* credentials.createInvitation(hash(1), invitation(client1!, T0))
        expect(yield* credentials.invitationOf(hash(1))).toEqual(Option.some(invitation(client1!, T0)))
        expect(yield* credentials.invitationOf(hash(2))).toEqual(Option.none())
        expect(yield* credentials.latestInvitationOf(client1!)).toEqual(Option.some(invitation(client1!, T0)))
        expect(yield* credentials.latestInvitationOf(client2!)).toEqual(Option.none())
      })))

    it("an invitation is redeemed once, before it expires; a second redeem and an expired one answer None", () =>
      run(Effect.gen(function* () {
        const credentials = yield* ClientCredentials
        yield* seed
        yield* credentials.createInvitation(hash(1), invitation(client1!, T0))
        yield* credentials.createInvitation(hash(2), invitation(client2!, T0))
        expect(yield* credentials.redeemInvitation(hash(1), T0 + 5)).toEqual(Option.some({ ...invitation(client1!, T0), usedAt: T0 + 5 }))
        expect(yield* credentials.redeemInvitation(hash(1), T0 + 6)).toEqual(Option.none())
        expect(yield* credentials.invitationOf(hash(1))).toEqual(Option.some({ ...invitation(client1!, T0), usedAt: T0 + 5 }))
        expect(yield* credentials.redeemInvitation(hash(2), T0 + invitationLifetimeMs)).toEqual(Option.none())
        expect(yield* credentials.invitationOf(hash(2))).toEqual(Option.some(invitation(client2!, T0)))
        expect(yield* credentials.redeemInvitation(hash(9), T0)).toEqual(Option.none())
      })))

    it("concurrent redeems of one invitation: exactly one wins", () =>
      run(Effect.gen(function* () {
        const credentials = yield* ClientCredentials
        yield* seed
        yield* credentials.createInvitation(hash(1), invitation(client1!, T0))
        const outcomes = yield* Effect.all(Array.from({ length: 8 }, () => credentials.redeemInvitation(hash(1), T0 + 1)), { concurrency: "unbounded" })
        expect(outcomes.filter(Option.isSome)).toHaveLength(1)
      })))

    it("a new invitation revokes the client's unused ones (not used ones, not other clients')", () =>
      run(Effect.gen(function* () {
        const credentials = yield* ClientCredentials
        yield* seed
        yield* credentials.createInvitation(hash(1), invitation(client1!, T0))
        yield* credentials.redeemInvitation(hash(1), T0 + 1)
        yield* credentials.createInvitation(hash(2), invitation(client1!, T0 + 2))
        yield* credentials.createInvitation(hash(3), invitation(client2!, T0 + 2))
        yield* credentials.createInvitation(hash(4), invitation(client1!, T0 + 3))
        expect(yield* credentials.invitationOf(hash(1))).toEqual(Option.some({ ...invitation(client1!, T0), usedAt: T0 + 1 }))
        expect(yield* credentials.invitationOf(hash(2))).toEqual(Option.some({ ...invitation(client1!, T0 + 2), revokedAt: T0 + 3 }))
        expect(yield* credentials.redeemInvitation(hash(2), T0 + 4)).toEqual(Option.none())
        expect(yield* credentials.latestInvitationOf(client1!)).toEqual(Option.some(invitation(client1!, T0 + 3)))
        expect(Option.isSome(yield* credentials.redeemInvitation(hash(3), T0 + 4))).toBe(true)
        expect(Option.isSome(yield* credentials.redeemInvitation(hash(4), T0 + 4))).toBe(true)
        expect((yield* Effect.flip(credentials.createInvitation(hash(4), invitation(client2!, T0 + 5))))._tag).toBe("StorageError")
      })))

    it("one account per client, found by its email in any case; replaced by a new password", () =>
      run(Effect.gen(function* () {
        const credentials = yield* ClientCredentials
        yield* seed
        expect(yield* credentials.accountOf(client1!)).toEqual(Option.none())
        yield* credentials.setAccount(client1!, "Casey@Example.org", password(1), T0)
        yield* credentials.setAccount(client2!, "casey@example.org", password(2), T0)
        yield* credentials.setAccount(client1!, "CASEY@example.org", password(3), T0 + 1)
        expect(yield* credentials.accountOf(client1!)).toEqual(Option.some({ clientId: client1, email: "casey@example.org", passwordHash: password(3) }))
        expect((yield* credentials.accountsWithEmail(" casey@EXAMPLE.org")).map((a) => a.clientId)).toEqual([client1, client2])
        expect(yield* credentials.accountsWithEmail("robin@example.org")).toEqual([])
      })))

    it("removing an account ends its sessions and unused invitations, and says whether there was one", () =>
      run(Effect.gen(function* () {
        const credentials = yield* ClientCredentials
        yield* seed
        yield* credentials.setAccount(client1!, "casey@example.org", password(1), T0)
        yield* credentials.startSession(hash(10), client1!, T0)
        yield* credentials.startSession(hash(11), client2!, T0)
        yield* credentials.createInvitation(hash(1), invitation(client1!, T0))
        expect(yield* credentials.removeAccount(client1!, T0 + 1)).toBe(true)
        expect(yield* credentials.accountOf(client1!)).toEqual(Option.none())
        expect(yield* credentials.sessionOf(hash(10))).toEqual(Option.none())
        expect(Option.isSome(yield* credentials.sessionOf(hash(11)))).toBe(true)
        expect(yield* credentials.redeemInvitation(hash(1), T0 + 2)).toEqual(Option.none())
        expect(yield* credentials.removeAccount(client1!, T0 + 3)).toBe(false)
      })))

    it("a session is known from its start until it is ended; touching only moves its last activity forward", () =>
      run(Effect.gen(function* () {
        const credentials = yield* ClientCredentials
        yield* seed
        expect(yield* credentials.sessionOf(hash(1))).toEqual(Option.none())
        yield* credentials.startSession(hash(1), client1!, T0)
        yield* credentials.touchSession(hash(1), T0 + 50)
        yield* credentials.touchSession(hash(1), T0 + 20)
        yield* credentials.touchSession(hash(9), T0 + 20)
        expect(yield* credentials.sessionOf(hash(1))).toEqual(Option.some({ clientId: client1, startedAt: T0, lastSeenAt: T0 + 50 }))
        yield* credentials.endSession(hash(1))
        yield* credentials.endSession(hash(1))
        expect(yield* credentials.sessionOf(hash(1))).toEqual(Option.none())
        yield* credentials.startSession(hash(2), client1!, T0)
        expect((yield* Effect.flip(credentials.startSession(hash(2), client2!, T0)))._tag).toBe("StorageError")
      })))

    it("ends every session of one client at once, says how many, and leaves the others", () =>
      run(Effect.gen(function* () {
        const credentials = yield* ClientCredentials
        yield* seed
        yield* credentials.startSession(hash(1), client1!, T0)
        yield* credentials.startSession(hash(2), client1!, T0)
        yield* credentials.startSession(hash(3), client2!, T0)
        expect(yield* credentials.endSessionsOf(client1!)).toBe(2)
        expect(yield* credentials.sessionOf(hash(1))).toEqual(Option.none())
        expect(Option.isSome(yield* credentials.sessionOf(hash(3)))).toBe(true)
        expect(yield* credentials.endSessionsOf(client1!)).toBe(0)
      })))

    it("property: only the newest unused, unexpired invitation of a client can be redeemed, and only once", () =>
      fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ client: fc.constantFrom(client1!, client2!), redeemAfter: fc.option(fc.integer({ min: 0, max: invitationLifetimeMs + 10 }), { nil: undefined }) }), { maxLength: 8 }),
          (steps) =>
            run(Effect.gen(function* () {
              const credentials = yield* ClientCredentials
              yield* seed
              const live = new Map<ClientId, number>()
              const used = new Set<number>()
              for (const [i, step] of steps.entries()) {
                const at = T0 + i * 10
                yield* credentials.createInvitation(hash(i + 1), invitation(step.client, at))
                live.set(step.client, i + 1)
                if (step.redeemAfter === undefined) continue
                const token = i + 1
                const expected = !used.has(token) && live.get(step.client) === token && step.redeemAfter < invitationLifetimeMs
                expect(Option.isSome(yield* credentials.redeemInvitation(hash(token), at + step.redeemAfter))).toBe(expected)
                if (expected) used.add(token)
              }
              for (let token = 1; token <= steps.length; token++) {
                const redeemable = !used.has(token) && [...live.values()].includes(token)
                expect(Option.isSome(yield* credentials.redeemInvitation(hash(token), T0 + steps.length * 10))).toBe(redeemable)
              }
            }))
        ),
        { numRuns: 20 }
      ))
  })
