import type { StaffId } from "./Ids.js"

/** A staff member's signed-in session, as stored (the session id itself is only ever stored hashed). */
export interface StaffSession {
  readonly staffId: StaffId
  readonly startedAt: number
  readonly lastSeenAt: number
}

/** How long a session lives: idle time since the last request, and age since sign-in. */
export interface SessionLimits {
  readonly idleMs: number
  readonly absoluteMs: number
}

/** Thirty minutes idle, twelve hours in all: a shift, with a screen left unattended locked soon. */
export const defaultSessionLimits: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 }

/** Whether a session may still be used at `now`, and if not, why (the sign-in page says which). */
export type SessionStanding = "live" | "idle" | "expired"

/**
 * Staff and client (portal) sessions alike.
 *
 * @example
 * sessionStanding({ staffId, startedAt: 0, lastSeenAt: 0 }, 31 * 60_000) // "idle"
 */
export const sessionStanding = (session: Pick<StaffSession, "startedAt" | "lastSeenAt">, now: number, limits: SessionLimits = defaultSessionLimits): SessionStanding =>
  now - session.startedAt >= limits.absoluteMs ? "expired" : now - session.lastSeenAt >= limits.idleMs ? "idle" : "live"
