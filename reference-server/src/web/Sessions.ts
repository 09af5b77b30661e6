import { createHash, randomBytes } from "node:crypto"
import { Credentials, type Staff, type StaffId, sessionStanding, type SessionStanding, Directory, type TokenHash } from "@careline/core"
import { Clock, Effect, Option, Schema } from "effect"
import { hashToken } from "../ApiTokens.js"
import { findStaffByEmail } from "../commands/Organisations.js"
import { Roster } from "../Roster.js"
import { dummyPasswordHash, verifyPassword } from "./Passwords.js"
import type { SignInThrottle } from "./Throttle.js"

/** Why a sign-in did not start a session: said to the person without revealing whether the email exists. */
export class SignInRefused extends Schema.TaggedError<SignInRefused>()("SignInRefused", {
  reason: Schema.Literals(["invalid", "throttled"]),
  retryInMinutes: Schema.optional(Schema.Number)
}) {
  override get message() {
    return this.reason === "throttled"
      ? `Too many failed sign-ins. Try again in ${this.retryInMinutes ?? 15} minute(s).`
      : "That email and password do not match an active account."
  }
}

/** A signed-in request: who, and the session (by hash) it came with. */
export interface SignedIn {
  readonly staff: Staff
  readonly sessionHash: TokenHash
  /** The token every form and htmx request must echo (see `Csrf`). */
  readonly csrfToken: string
}

/** Why there is no signed-in staff member for a cookie (the sign-in page explains idle and expired). */
export type NoSession = Exclude<SessionStanding, "live"> | "none"

/** Activity is written back at most once a minute: a request per click need not be a write per click. */
const touchEveryMs = 60_000

/** The CSRF token of a session: derived, so nothing more is stored, and it reveals nothing of the session id. */
export const csrfTokenOf = (sessionId: string) => createHash("sha256").update(`csrf:${sessionId}`, "utf8").digest("base64url")

const activeStaffWithEmail = (email: string) =>
  Effect.gen(function* () {
    const found: Array<Staff> = []
    for (const organisationId of yield* Roster.use((roster) => roster.organisationIds)) {
      const staff = yield* findStaffByEmail(organisationId, email)
      if (Option.isSome(staff) && staff.value.active) found.push(staff.value)
    }
    return found
  })

const passwordMatches = (staffId: StaffId, password: string) =>
  Effect.flatMap(Credentials.use((c) => c.passwordOf(staffId)), (stored) =>
    Option.match(stored, { onNone: () => Effect.as(verifyPassword(password, dummyPasswordHash), false), onSome: (hash) => verifyPassword(password, hash) }))

/**
 * Email + password → a new session id (256 random bits; only its hash is stored), for an active staff
 * member whose password matches. Throttled per email and per client address.
 */
export const signIn = (throttle: SignInThrottle, email: string, password: string, address: string) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const keys = [`email:${email.trim().toLowerCase()}`, `address:${address}`]
    const wait = throttle.waitMs(keys, now)
    if (wait > 0) return yield* new SignInRefused({ reason: "throttled", retryInMinutes: Math.ceil(wait / 60_000) })
    const candidates = yield* activeStaffWithEmail(email.trim())
    if (candidates.length === 0) yield* verifyPassword(password, dummyPasswordHash)
    for (const staff of candidates) {
      if (yield* passwordMatches(staff.id, password)) {
        throttle.succeeded(keys[0]!)
        const sessionId = randomBytes(32).toString("base64url")
        yield* Credentials.use((c) => c.startSession(hashToken(sessionId), staff.id, now))
        return { sessionId, staff }
      }
    }
    throttle.failed(keys, now)
    return yield* new SignInRefused({ reason: "invalid" })
  })

/** The live session behind a session id and its active staff member, or why there is none (an ended session is removed). */
export const sessionFor = (sessionId: string) =>
  Effect.gen(function* () {
    const sessionHash = hashToken(sessionId)
    const credentials = yield* Credentials
    const session = yield* credentials.sessionOf(sessionHash)
    if (Option.isNone(session)) return { _tag: "None", why: "none" } as const
    const now = yield* Clock.currentTimeMillis
    const standing = sessionStanding(session.value, now)
    const staff = yield* Directory.use((d) => d.getStaff(session.value.staffId))
    if (standing !== "live" || Option.isNone(staff) || !staff.value.active) {
      yield* credentials.endSession(sessionHash)
      return { _tag: "None", why: standing === "live" ? "none" : standing } as const
    }
    if (now - session.value.lastSeenAt >= touchEveryMs) yield* credentials.touchSession(sessionHash, now)
    return { _tag: "Live", signedIn: { staff: staff.value, sessionHash, csrfToken: csrfTokenOf(sessionId) } satisfies SignedIn } as const
  })

/** Sign-out: the session ends server-side, so a copied cookie stops working too. */
export const signOut = (sessionHash: TokenHash) => Credentials.use((c) => c.endSession(sessionHash))

export type SessionLookup = Effect.Success<ReturnType<typeof sessionFor>>
