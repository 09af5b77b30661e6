import { Context, type Effect } from "effect"
import type { AuditEvent } from "../AuditEvent.js"
import type { ClientId, OrganisationId } from "../Ids.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

export interface AuditQuery {
  readonly clientId?: ClientId
  readonly limit?: number
}

/** Append-only record of every read, send, delete, status, consent and assignment change. */
export class AuditLog extends Context.Service<AuditLog, {
  readonly append: (event: AuditEvent) => Io<void>
  /** Oldest first, in append order; `limit` keeps the newest events. */
  readonly list: (organisationId: OrganisationId, query: AuditQuery) => Io<ReadonlyArray<AuditEvent>>
}>()("@careline/core/AuditLog") {}
