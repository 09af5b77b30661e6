import { randomBytes } from "node:crypto"
import { type Client, ClientCredentials, type ClientId, Directory, type Organisation, type TokenHash } from "@careline/core"
import { Clock, Effect, Option } from "effect"
import { hashToken } from "../ApiTokens.js"
import { checkPassword, liveSession, sessionStillLive } from "./Sessions.js"
import type { SignInThrottle } from "./Throttle.js"

/** A signed-in portal request: the client, their organisation (the portal shows its name and settings), and the session. */
export interface SignedInClient {
  readonly client: Client
  readonly organisation: Organisation
  readonly sessionHash: TokenHash
  /** The token every form and htmx request must echo (see `Csrf`). */
  readonly csrfToken: string
}

/** A client may use the portal while they exist and are not blocked; an inactive client still may (they can write to front office). */
const portalClient = (clientId: ClientId) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const client = Option.filter(yield* directory.getClient(clientId), (found) => !found.blocked)
    if (Option.isNone(client)) return Option.none()
    const organisation = yield* directory.getOrganisation(client.value.organisationId)
    return Option.map(organisation, (org) => ({ client: client.value, organisation: org }))
  })

/** Starts a portal session for the client: a new id (256 random bits), only its hash stored. */
export const startPortalSession = (clientId: ClientId) =>
  Effect.gen(function* () {
    const sessionId = randomBytes(32).toString("base64url")
    const now = yield* Clock.currentTimeMillis
    yield* ClientCredentials.use((c) => c.startSession(hashToken(sessionId), clientId, now))
    return sessionId
  })

/**
 * Portal sign-in: the email an invitation went to and the password the client chose → a new portal
 * session. Throttled like staff sign-in; a blocked client cannot sign in.
 */
export const portalSignIn = (throttle: SignInThrottle, email: string, password: string, address: string) =>
  Effect.gen(function* () {
    const accounts = Effect.flatMap(ClientCredentials.use((c) => c.accountsWithEmail(email)), (found) =>
      Effect.filter(found, (account) => Effect.map(portalClient(account.clientId), Option.isSome)))
    const passed = yield* checkPassword(throttle, { email, password, address }, accounts, (account) => Effect.succeed(Option.some(account.passwordHash)))
    return { sessionId: yield* startPortalSession(passed.candidate.clientId) }
  })

/** The live portal session behind a session id and its client, or why there is none (same limits as staff: 30 min idle, 12 h). */
export const portalSessionFor = (sessionId: string) =>
  Effect.gen(function* () {
    const found = yield* liveSession(yield* ClientCredentials, sessionId, (session) => portalClient(session.clientId))
    if (found._tag === "None") return found
    return { _tag: "Live", signedIn: { ...found.who, sessionHash: found.sessionHash, csrfToken: found.csrfToken } satisfies SignedInClient } as const
  })

/** Whether a portal session is still live and its client may still use the portal (see `sessionStillLive`). */
export const portalSessionStillLive = (sessionHash: TokenHash) =>
  ClientCredentials.use((store) => sessionStillLive(store, sessionHash, (session) => portalClient(session.clientId)))

/** Portal sign-out: the session ends server-side. */
export const portalSignOut = (sessionHash: TokenHash) => ClientCredentials.use((c) => c.endSession(sessionHash))
