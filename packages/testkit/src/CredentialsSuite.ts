import { Credentials, type Directory, PasswordHash, type StaffId, TokenHash } from "@careline/core"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parentIdPools, T0 } from "./fixtures.js"
import { pooledOrganisations, pooledStaff, seedDirectory } from "./ParentRecords.js"
import { runWith } from "./runEffect.js"

/** A valid, obviously made-up hash for token `n`. */
const hash = (n: number): TokenHash => TokenHash.make(n.toString(16).padStart(64, "0"))

const [staff1, staff2] = parentIdPools.staff

const password = (n: number): PasswordHash => PasswordHash.make(`scrypt$16384$8$1$${"a".repeat(22)}$${n.toString().padStart(43, "0")}`)

/** The staff the tokens below belong to (pooled), for a store that enforces references. */
const seedStaff = seedDirectory({ organisations: pooledOrganisations, staff: pooledStaff })

type Command =
  | { readonly _tag: "Issue"; readonly staffId: StaffId; readonly token: number }
  | { readonly _tag: "Revoke"; readonly staffId: StaffId }

const arbCommand: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ _tag: fc.constant("Issue" as const), staffId: fc.constantFrom(...parentIdPools.staff), token: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ _tag: fc.constant("Revoke" as const), staffId: fc.constantFrom(...parentIdPools.staff) })
)

/**
 * The behaviour every `Credentials` adapter must show. Each test runs against a fresh build of `layer`
 * (which may fail to build: the test then fails with why), after storing the staff its tokens belong
 * to through the layer's `Directory`, so that it holds on a store that enforces references.
 *
 * @example
 * ```ts
 * credentialsSuite("memory", Layer.merge(MemoryStores.layer, MemoryCredentials.layer))
 * ```
 */
export const credentialsSuite = (name: string, layer: Layer.Layer<Credentials | Directory, unknown>) =>
  describe(`Credentials (${name})`, () => {
    const run = runWith(layer)

    it("knows no token it never issued", () =>
      run(Effect.gen(function* () {
        expect(yield* (yield* Credentials).staffOfApiToken(hash(1))).toEqual(Option.none())
      })))

    it("answers each issued token with its staff member; a staff member may hold several", () =>
      run(Effect.gen(function* () {
        const credentials = yield* Credentials
        yield* seedStaff
        yield* credentials.issueApiToken(staff1!, hash(1), T0)
        yield* credentials.issueApiToken(staff1!, hash(2), T0 + 1)
        yield* credentials.issueApiToken(staff2!, hash(3), T0 + 2)
        expect(yield* credentials.staffOfApiToken(hash(1))).toEqual(Option.some(staff1))
        expect(yield* credentials.staffOfApiToken(hash(2))).toEqual(Option.some(staff1))
        expect(yield* credentials.staffOfApiToken(hash(3))).toEqual(Option.some(staff2))
        expect(yield* credentials.staffOfApiToken(hash(4))).toEqual(Option.none())
      })))

    it("revokes every live token of one staff member, says how many, and leaves the others", () =>
      run(Effect.gen(function* () {
        const credentials = yield* Credentials
        yield* seedStaff
        yield* credentials.issueApiToken(staff1!, hash(1), T0)
        yield* credentials.issueApiToken(staff1!, hash(2), T0)
        yield* credentials.issueApiToken(staff2!, hash(3), T0)
        expect(yield* credentials.revokeApiTokens(staff1!, T0 + 10)).toBe(2)
        expect(yield* credentials.staffOfApiToken(hash(1))).toEqual(Option.none())
        expect(yield* credentials.staffOfApiToken(hash(2))).toEqual(Option.none())
        expect(yield* credentials.staffOfApiToken(hash(3))).toEqual(Option.some(staff2))
        expect(yield* credentials.revokeApiTokens(staff1!, T0 + 20)).toBe(0)
      })))

    it("a token issued after a revocation works; the revoked ones stay revoked", () =>
      run(Effect.gen(function* () {
        const credentials = yield* Credentials
        yield* seedStaff
        yield* credentials.issueApiToken(staff1!, hash(1), T0)
        yield* credentials.revokeApiTokens(staff1!, T0 + 1)
        yield* credentials.issueApiToken(staff1!, hash(2), T0 + 2)
        expect(yield* credentials.staffOfApiToken(hash(1))).toEqual(Option.none())
        expect(yield* credentials.staffOfApiToken(hash(2))).toEqual(Option.some(staff1))
      })))

    it("refuses to issue a hash that is already stored, revoked or not, with StorageError", () =>
      run(Effect.gen(function* () {
        const credentials = yield* Credentials
        yield* seedStaff
        yield* credentials.issueApiToken(staff1!, hash(1), T0)
        expect((yield* Effect.flip(credentials.issueApiToken(staff2!, hash(1), T0 + 1)))._tag).toBe("StorageError")
        yield* credentials.revokeApiTokens(staff1!, T0 + 2)
        expect((yield* Effect.flip(credentials.issueApiToken(staff1!, hash(1), T0 + 3)))._tag).toBe("StorageError")
        expect(yield* credentials.staffOfApiToken(hash(1))).toEqual(Option.none())
      })))

    it("property: a token answers its staff member exactly while it is issued and not revoked", () =>
      fc.assert(
        fc.asyncProperty(fc.array(arbCommand, { maxLength: 20 }), (commands) =>
          run(Effect.gen(function* () {
            const credentials = yield* Credentials
            yield* seedStaff
            const model = new Map<number, { readonly staffId: StaffId; revoked: boolean }>()
            for (const [i, command] of commands.entries()) {
              if (command._tag === "Issue") {
                if (model.has(command.token)) continue // a repeated hash is refused: tested above
                yield* credentials.issueApiToken(command.staffId, hash(command.token), T0 + i)
                model.set(command.token, { staffId: command.staffId, revoked: false })
              } else {
                const live = [...model.values()].filter((t) => t.staffId === command.staffId && !t.revoked)
                expect(yield* credentials.revokeApiTokens(command.staffId, T0 + i)).toBe(live.length)
                for (const token of live) token.revoked = true
              }
            }
            for (let token = 1; token <= 12; token++) {
              const expected = model.get(token)
              expect(yield* credentials.staffOfApiToken(hash(token))).toEqual(
                expected === undefined || expected.revoked ? Option.none() : Option.some(expected.staffId)
              )
            }
          }))
        ),
        { numRuns: 25 }
      ))

    it("keeps one password per staff member: none until set, the newest after a change", () =>
      run(Effect.gen(function* () {
        const credentials = yield* Credentials
        yield* seedStaff
        expect(yield* credentials.passwordOf(staff1!)).toEqual(Option.none())
        yield* credentials.setPassword(staff1!, password(1), T0)
        yield* credentials.setPassword(staff2!, password(2), T0)
        yield* credentials.setPassword(staff1!, password(3), T0 + 1)
        expect(yield* credentials.passwordOf(staff1!)).toEqual(Option.some(password(3)))
        expect(yield* credentials.passwordOf(staff2!)).toEqual(Option.some(password(2)))
      })))

    it("a session is known from its start until it is ended; touching only moves its last activity forward", () =>
      run(Effect.gen(function* () {
        const credentials = yield* Credentials
        yield* seedStaff
        expect(yield* credentials.sessionOf(hash(1))).toEqual(Option.none())
        yield* credentials.startSession(hash(1), staff1!, T0)
        yield* credentials.touchSession(hash(1), T0 + 50)
        yield* credentials.touchSession(hash(1), T0 + 20)
        yield* credentials.touchSession(hash(9), T0 + 20)
        expect(yield* credentials.sessionOf(hash(1))).toEqual(Option.some({ staffId: staff1, startedAt: T0, lastSeenAt: T0 + 50 }))
        yield* credentials.endSession(hash(1))
        yield* credentials.endSession(hash(1))
        expect(yield* credentials.sessionOf(hash(1))).toEqual(Option.none())
        expect((yield* Effect.flip(credentials.startSession(hash(2), staff1!, T0).pipe(Effect.andThen(credentials.startSession(hash(2), staff2!, T0)))))._tag)
          .toBe("StorageError")
      })))

    it("ends every session of one staff member at once, says how many, and leaves the others", () =>
      run(Effect.gen(function* () {
        const credentials = yield* Credentials
        yield* seedStaff
        yield* credentials.startSession(hash(1), staff1!, T0)
        yield* credentials.startSession(hash(2), staff1!, T0)
        yield* credentials.startSession(hash(3), staff2!, T0)
        expect(yield* credentials.endSessionsOf(staff1!)).toBe(2)
        expect(yield* credentials.sessionOf(hash(1))).toEqual(Option.none())
        expect(yield* credentials.sessionOf(hash(2))).toEqual(Option.none())
        expect(Option.isSome(yield* credentials.sessionOf(hash(3)))).toBe(true)
        expect(yield* credentials.endSessionsOf(staff1!)).toBe(0)
      })))
  })
