import { createHash, randomBytes } from "node:crypto"
import { Credentials, Directory, type PasswordHash, type Staff, sessionStanding, type SessionStanding, type StaffId, type StorageError, type TokenHash } from "@careline/core"
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

/** A new session id: 256 random bits (only its hash is ever stored). */
const newSessionId = () => randomBytes(32).toString("base64url")

/**
 * The password check every sign-in shares (staff and portal): throttled per email and per address,
 * the same work whether or not the email is known (a dummy hash is checked), and the first candidate
 * whose stored password matches wins. Candidates are the accounts with that email.
 */
export const checkPassword = <C, E1, R1, E2, R2>(
  throttle: SignInThrottle,
  login: { readonly email: string; readonly password: string; readonly address: string },
  candidates: Effect.Effect<ReadonlyArray<C>, E1, R1>,
  passwordOf: (candidate: C) => Effect.Effect<Option.Option<PasswordHash>, E2, R2>
) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const keys = [`email:${login.email.trim().toLowerCase()}`, `address:${login.address}`]
    const wait = throttle.waitMs(keys, now)
    if (wait > 0) return yield* new SignInRefused({ reason: "throttled", retryInMinutes: Math.ceil(wait / 60_000) })
    const found = yield* candidates
    if (found.length === 0) yield* verifyPassword(login.password, dummyPasswordHash)
    for (const candidate of found) {
      const stored = yield* passwordOf(candidate)
      const matches = yield* verifyPassword(login.password, Option.getOrElse(stored, () => dummyPasswordHash))
      if (matches && Option.isSome(stored)) {
        throttle.succeeded(keys[0]!)
        return { candidate, sessionId: newSessionId(), now }
      }
    }
    throttle.failed(keys, now)
    return yield* new SignInRefused({ reason: "invalid" })
  })

/**
 * Email + password → a new session id (256 random bits; only its hash is stored), for an active staff
 * member whose password matches. Throttled per email and per client address.
 */
export const signIn = (throttle: SignInThrottle, email: string, password: string, address: string) =>
  Effect.gen(function* () {
    const passed = yield* checkPassword(throttle, { email, password, address }, activeStaffWithEmail(email.trim()), (staff) =>
      Credentials.use((c) => c.passwordOf(staff.id)))
    yield* Credentials.use((c) => c.startSession(hashToken(passed.sessionId), passed.candidate.id, passed.now))
    return { sessionId: passed.sessionId, staff: passed.candidate }
  })

/** What every kind of session store offers the lookup below (staff `Credentials`, `ClientCredentials`). */
interface SessionStore<S> {
  readonly sessionOf: (sessionHash: TokenHash) => Effect.Effect<Option.Option<S>, StorageError>
  readonly touchSession: (sessionHash: TokenHash, now: number) => Effect.Effect<void, StorageError>
  readonly endSession: (sessionHash: TokenHash) => Effect.Effect<void, StorageError>
}

/**
 * The live session behind a session id and whose it is (`ownerOf` answers `None` for someone who may
 * no longer sign in), or why there is none; an ended session is removed, and activity is written back
 * at most once a minute.
 */
export const liveSession = <S extends { readonly startedAt: number; readonly lastSeenAt: number }, Who, E, R>(
  store: SessionStore<S>,
  sessionId: string,
  ownerOf: (session: S) => Effect.Effect<Option.Option<Who>, E, R>
) =>
  Effect.gen(function* () {
    const sessionHash = hashToken(sessionId)
    const found = yield* standingOf(store, sessionHash, ownerOf)
    if (found._tag === "None") {
      if (found.stored) yield* store.endSession(sessionHash)
      return { _tag: "None", why: found.why } as const
    }
    if (found.now - found.lastSeenAt >= touchEveryMs) yield* store.touchSession(sessionHash, found.now)
    return { _tag: "Live", who: found.who, sessionHash, csrfToken: csrfTokenOf(sessionId) } as const
  })

/** The session's standing and owner, changing nothing (`stored`: there is a session to end). */
const standingOf = <S extends { readonly startedAt: number; readonly lastSeenAt: number }, Who, E, R>(
  store: SessionStore<S>,
  sessionHash: TokenHash,
  ownerOf: (session: S) => Effect.Effect<Option.Option<Who>, E, R>
) =>
  Effect.gen(function* () {
    const session = yield* store.sessionOf(sessionHash)
    if (Option.isNone(session)) return { _tag: "None", why: "none", stored: false } as const
    const now = yield* Clock.currentTimeMillis
    const standing = sessionStanding(session.value, now)
    const owner = yield* ownerOf(session.value)
    if (standing !== "live" || Option.isNone(owner)) return { _tag: "None", why: standing === "live" ? "none" : standing, stored: true } as const
    return { _tag: "Live", who: owner.value, now, lastSeenAt: session.value.lastSeenAt } as const
  })

/**
 * Whether a session is still live and its owner still allowed, for a long request (a live-event
 * stream) that checks again now and then: reading only, so an open stream neither keeps the session
 * from going idle nor ends it (the next page view does that).
 */
export const sessionStillLive = <S extends { readonly startedAt: number; readonly lastSeenAt: number }, Who, E, R>(
  store: SessionStore<S>,
  sessionHash: TokenHash,
  ownerOf: (session: S) => Effect.Effect<Option.Option<Who>, E, R>
) => Effect.map(standingOf(store, sessionHash, ownerOf), (found) => found._tag === "Live")

/** The staff member behind a session while they may sign in (active). */
const activeStaffOf = (session: { readonly staffId: StaffId }) =>
  Effect.map(Directory.use((d) => d.getStaff(session.staffId)), Option.filter((staff) => staff.active))

/** The live session behind a session id and its active staff member, or why there is none (an ended session is removed). */
export const sessionFor = (sessionId: string) =>
  Effect.gen(function* () {
    const found = yield* liveSession(yield* Credentials, sessionId, activeStaffOf)
    if (found._tag === "None") return found
    return { _tag: "Live", signedIn: { staff: found.who, sessionHash: found.sessionHash, csrfToken: found.csrfToken } satisfies SignedIn } as const
  })

/** Whether a staff session is still live and its staff member active (see `sessionStillLive`). */
export const staffSessionStillLive = (sessionHash: TokenHash) =>
  Credentials.use((store) => sessionStillLive(store, sessionHash, activeStaffOf))

/** Sign-out: the session ends server-side, so a copied cookie stops working too. */
export const signOut = (sessionHash: TokenHash) => Credentials.use((c) => c.endSession(sessionHash))

export type SessionLookup = Effect.Success<ReturnType<typeof sessionFor>>
