import { createHash } from "node:crypto"
import { Credentials, Directory, Ids, type Staff, type StaffId, TokenHash } from "@careline/core"
import { Clock, Effect, Option } from "effect"

/** The SHA-256 of a token: what `Credentials` stores and looks up; the token itself is never stored. */
export const hashToken = (token: string): TokenHash => TokenHash.make(createHash("sha256").update(token, "utf8").digest("hex"))

/**
 * Issues a new API token for a staff member and returns it: the only time it is ever seen, since
 * only its hash is kept. 256 random bits from `Ids.secret`.
 *
 * @example
 * const token = yield* issueApiToken(admin.id) // print it once
 */
export const issueApiToken = (staffId: StaffId) =>
  Effect.gen(function* () {
    const token = yield* Ids.use((ids) => ids.secret)
    const now = yield* Clock.currentTimeMillis
    yield* Credentials.use((c) => c.issueApiToken(staffId, hashToken(token), now))
    return token
  })

/** The active staff member a token belongs to; `None` for an unknown or revoked token or a deactivated person. */
export const staffOfToken = (token: string) =>
  Effect.gen(function* () {
    const staffId = yield* Credentials.use((c) => c.staffOfApiToken(hashToken(token)))
    if (Option.isNone(staffId)) return Option.none<Staff>()
    const staff = yield* Directory.use((d) => d.getStaff(staffId.value))
    return Option.filter(staff, (s) => s.active)
  })
