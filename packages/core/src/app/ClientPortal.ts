import { Clock, Effect, Option, Schema } from "effect"
import type { Channel } from "../Channel.js"
import type { Client } from "../Client.js"
import type { ClientId, StaffId } from "../Ids.js"
import type { Line } from "../Line.js"
import type { Message } from "../Message.js"
import { NotFound } from "../NotFound.js"
import { invitationLifetimeMs, type InvitationStanding, invitationStanding, type PortalInvitation } from "../PortalAccount.js"
import { ClientCredentials } from "../ports/ClientCredentials.js"
import { Conversations } from "../ports/Conversations.js"
import type { PasswordHash, TokenHash } from "../ports/Credentials.js"
import { Directory } from "../ports/Directory.js"
import { audit } from "./Audit.js"
import { actorAndClient } from "./ClientActions.js"
import { requireClient, requireOrganisation } from "./Lookup.js"

/** Why a client cannot be invited to (or join) the portal, said so staff or the client can act on it. */
export class PortalRefused extends Schema.TaggedError<PortalRefused>()("PortalRefused", {
  reason: Schema.Literals(["NoEmail", "ClientBlocked"])
}) {
  override get message() {
    return this.reason === "NoEmail"
      ? "This client has no email address: add one to their profile first, then invite them."
      : "This client is blocked, so they cannot use the portal. Unblock them first."
  }
}

/** An invitation link that cannot be used (any more): unknown, already used, replaced by a newer one, or expired. */
export class InvitationUnusable extends Schema.TaggedError<InvitationUnusable>()("InvitationUnusable", {
  standing: Schema.Literals(["unknown", "used", "revoked", "expired"])
}) {
  override get message() {
    switch (this.standing) {
      case "used":
        return "This invitation has already been used. Sign in with the password you chose."
      case "revoked":
        return "This invitation was replaced by a newer one. Use the link in the newest email."
      case "expired":
        return "This invitation has expired (invitations last 7 days). Ask your care team to send a new one."
      default:
        return "This invitation link is not valid. Check that you copied the whole link."
    }
  }
}

export interface InviteToPortal {
  readonly staffId: StaffId
  readonly clientId: ClientId
  /** The SHA-256 of the link's token: the caller makes the token, emails it, and forgets it. */
  readonly tokenHash: TokenHash
}

/**
 * Invites a client to the portal at their email address (S1): stores the invitation (7 days, single
 * use; the client's earlier unused ones stop working) and audits `client.portal_invite` (no email in
 * the log). The caller sends the email with the link. Refused for a client without an email or
 * blocked; `AccessDenied` for staff who may not reach the client.
 */
export const inviteToPortal = (input: InviteToPortal) =>
  Effect.gen(function* () {
    const { actor: staff, client } = yield* actorAndClient(input.staffId, input.clientId)
    if (client.blocked) return yield* new PortalRefused({ reason: "ClientBlocked" })
    const email = client.email?.trim()
    if (email === undefined || email === "") return yield* new PortalRefused({ reason: "NoEmail" })
    const organisation = yield* requireOrganisation(client.organisationId)
    const now = yield* Clock.currentTimeMillis
    const invitation: PortalInvitation = { clientId: client.id, email, invitedBy: staff.id, createdAt: now, expiresAt: now + invitationLifetimeMs }
    yield* ClientCredentials.use((c) => c.createInvitation(input.tokenHash, invitation))
    yield* audit({ organisationId: client.organisationId, actor: { _tag: "Staff", staffId: staff.id }, action: "client.portal_invite", clientId: client.id })
    return { client, organisation, invitation }
  })

/** Where a client stands with the portal, as the client profile shows it. */
export interface PortalStatus {
  readonly hasAccount: boolean
  readonly latestInvitation?: { readonly standing: InvitationStanding; readonly createdAt: number; readonly expiresAt: number }
}

/** The client's portal status, for staff who may reach the client. */
export const portalStatus = (staffId: StaffId, clientId: ClientId) =>
  Effect.gen(function* () {
    const { client } = yield* actorAndClient(staffId, clientId)
    const credentials = yield* ClientCredentials
    const hasAccount = Option.isSome(yield* credentials.accountOf(client.id))
    const latest = yield* credentials.latestInvitationOf(client.id)
    const now = yield* Clock.currentTimeMillis
    return {
      hasAccount,
      ...(Option.isNone(latest)
        ? {}
        : { latestInvitation: { standing: invitationStanding(latest.value, now), createdAt: latest.value.createdAt, expiresAt: latest.value.expiresAt } })
    } satisfies PortalStatus
  })

/** Removes the client's portal account: their sessions end at once and unused invitations stop working (`client.portal_remove`). */
export const removePortalAccess = (staffId: StaffId, clientId: ClientId) =>
  Effect.gen(function* () {
    const { actor: staff, client } = yield* actorAndClient(staffId, clientId)
    const removed = yield* ClientCredentials.use((c) => Effect.flatMap(Clock.currentTimeMillis, (now) => c.removeAccount(client.id, now)))
    yield* audit({ organisationId: client.organisationId, actor: { _tag: "Staff", staffId: staff.id }, action: "client.portal_remove", clientId: client.id })
    return removed
  })

/** What an invitation link is, before the client chooses a password (the page says why one cannot be used). */
export const invitationFor = (tokenHash: TokenHash) =>
  Effect.gen(function* () {
    const invitation = yield* ClientCredentials.use((c) => c.invitationOf(tokenHash))
    if (Option.isNone(invitation)) return yield* new InvitationUnusable({ standing: "unknown" })
    const standing = invitationStanding(invitation.value, yield* Clock.currentTimeMillis)
    if (standing !== "usable") return yield* new InvitationUnusable({ standing })
    const client = yield* requireClient(invitation.value.clientId)
    return { invitation: invitation.value, organisation: yield* requireOrganisation(client.organisationId) }
  })

/**
 * The client accepts an invitation with a password (hashed by the caller): the invitation is used
 * (once, atomically), the account is created or its password replaced, signing in with the email the
 * invitation went to, and `client.portal_join` is audited.
 */
export const acceptPortalInvitation = (tokenHash: TokenHash, passwordHash: PasswordHash) =>
  Effect.gen(function* () {
    const credentials = yield* ClientCredentials
    const now = yield* Clock.currentTimeMillis
    const redeemed = yield* credentials.redeemInvitation(tokenHash, now)
    if (Option.isNone(redeemed)) {
      const stored = yield* credentials.invitationOf(tokenHash)
      const standing = Option.match(stored, { onNone: () => "unknown" as const, onSome: (invitation) => invitationStanding(invitation, now) })
      return yield* new InvitationUnusable({ standing: standing === "usable" ? "used" : standing })
    }
    const client = yield* requireClient(redeemed.value.clientId)
    if (client.blocked) return yield* new PortalRefused({ reason: "ClientBlocked" })
    yield* credentials.setAccount(client.id, redeemed.value.email, passwordHash, now)
    yield* audit({ organisationId: client.organisationId, actor: { _tag: "Client" }, action: "client.portal_join", clientId: client.id })
    return client
  })

/** One of the client's SMS conversations as the portal shows it: who it is with, and its texts. */
export interface PortalSmsChannel {
  readonly channel: Channel
  /** The staff member, queue or organisation the line belongs to. */
  readonly with: string
  readonly messages: ReadonlyArray<Message>
}

const lineLabel = (line: Option.Option<Line>, organisationName: string) =>
  Effect.gen(function* () {
    if (Option.isNone(line)) return organisationName
    const owner = line.value.owner
    if (owner._tag === "Staff") return Option.match(yield* Directory.use((d) => d.getStaff(owner.staffId)), { onNone: () => organisationName, onSome: (s) => s.name })
    if (owner._tag === "Queue") return Option.match(yield* Directory.use((d) => d.getQueue(owner.queueId)), { onNone: () => organisationName, onSome: (q) => `${q.name} (${organisationName})` })
    return organisationName
  })

/**
 * The client's own SMS conversations, read-only, newest activity first — only when their
 * organisation shows SMS in the portal (otherwise `NotFound`, as if the page did not exist). Each
 * conversation shown is audited (`portal.sms_read`).
 */
export const portalSmsChannels = (client: Client, limit = 100) =>
  Effect.gen(function* () {
    const organisation = yield* requireOrganisation(client.organisationId)
    if (organisation.portalShowsSms !== true) return yield* new NotFound({ entity: "channel", id: "portal-sms" })
    const conversations = yield* Conversations
    const channels = [...(yield* conversations.channelsOfClient(client.id))]
      .filter((channel) => channel.organisationId === client.organisationId)
      .sort((a, b) => b.lastActivityAt - a.lastActivityAt)
    return yield* Effect.forEach(channels, (channel) =>
      Effect.gen(function* () {
        const messages = yield* conversations.listMessages(channel.id, { limit })
        const line = yield* Directory.use((d) => d.getLine(channel.lineId))
        yield* audit({ organisationId: client.organisationId, actor: { _tag: "Client" }, action: "portal.sms_read", clientId: client.id, channelId: channel.id })
        return { channel, with: yield* lineLabel(line, organisation.name), messages } satisfies PortalSmsChannel
      }))
  })
