import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"
import { PasswordHash } from "@careline/core"
import { Effect } from "effect"

/** scrypt's cost (N = 2^15, r = 8, p = 1): OWASP's recommended floor, ~50 ms and 32 MiB a check. */
const cost = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }
const keyLength = 32

const derive = (password: string, salt: Buffer, params: { N: number; r: number; p: number }) =>
  Effect.callback<Buffer, Error>((resume) => {
    scrypt(password.normalize("NFKC"), salt, keyLength, { ...params, maxmem: cost.maxmem }, (error, key) =>
      resume(error === null ? Effect.succeed(key) : Effect.fail(error)))
  })

/**
 * A new salted scrypt hash of a password, as `scrypt$N$r$p$salt$key` (base64url), with the
 * parameters stored so they can be raised later without breaking old hashes.
 *
 * @example
 * const stored = yield* hashPassword("correct horse battery staple")
 */
export const hashPassword = (password: string) =>
  Effect.gen(function* () {
    const salt = randomBytes(16)
    const key = yield* derive(password, salt, cost)
    return PasswordHash.make(`scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString("base64url")}$${key.toString("base64url")}`)
  })

/** Whether the password matches the stored hash; a malformed hash matches nothing. Constant-time compare. */
export const verifyPassword = (password: string, stored: PasswordHash) =>
  Effect.gen(function* () {
    const [algorithm, n, r, p, salt, key] = stored.split("$")
    if (algorithm !== "scrypt" || salt === undefined || key === undefined) return false
    const expected = Buffer.from(key, "base64url")
    const actual = yield* derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) })
    return actual.length === expected.length && timingSafeEqual(actual, expected)
  }).pipe(Effect.orElseSucceed(() => false))

/** Checked at every password set: long enough to resist guessing, short enough to hash quickly. */
export const passwordProblem = (password: string): string | undefined =>
  password.length < 12 ? "Use at least 12 characters." : password.length > 256 ? "Use at most 256 characters." : undefined

/** Spent when the email is unknown, so a sign-in takes as long whether or not the account exists. */
export const dummyPasswordHash = PasswordHash.make(`scrypt$${cost.N}$${cost.r}$${cost.p}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)
