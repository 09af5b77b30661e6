import type { ClientId, StaffId } from "./Ids.js"

/**
 * An invitation to the client portal, as stored (the token itself only ever hashed): sent to one
 * email address by one staff member; usable once, for seven days, and only the client's newest one.
 */
export interface PortalInvitation {
  readonly clientId: ClientId
  /** Where the invitation was sent; the account signs in with it. */
  readonly email: string
  readonly invitedBy: StaffId
  readonly createdAt: number
  readonly expiresAt: number
  readonly usedAt?: number
  /** Set when a newer invitation replaced it, or the client's portal access was removed. */
  readonly revokedAt?: number
}

/** A client's signed-in portal session (by the hash of its id), judged by `sessionStanding` like a staff session. */
export interface ClientSession {
  readonly clientId: ClientId
  readonly startedAt: number
  readonly lastSeenAt: number
}

/** Seven days: long enough to find the email after a weekend, short enough that an old inbox is no key. */
export const invitationLifetimeMs = 7 * 24 * 60 * 60_000

/** Whether an invitation may still be used at `now`, and if not, why (the invitation page says which). */
export type InvitationStanding = "usable" | "used" | "revoked" | "expired"

/**
 * @example
 * invitationStanding({ …, createdAt: 0, expiresAt: invitationLifetimeMs }, invitationLifetimeMs) // "expired"
 */
export const invitationStanding = (invitation: PortalInvitation, now: number): InvitationStanding =>
  invitation.usedAt !== undefined ? "used" : invitation.revokedAt !== undefined ? "revoked" : now >= invitation.expiresAt ? "expired" : "usable"

/** Emails are compared without case (and stored lower-cased for sign-in). */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase()
