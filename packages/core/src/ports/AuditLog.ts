import { Context, type Effect } from "effect"
import type { AuditAction, AuditEvent } from "../AuditEvent.js"
import type { ClientId, OrganisationId, StaffId } from "../Ids.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

export interface AuditQuery {
  readonly clientId?: ClientId
  /** Only events done by this staff member. */
  readonly actorStaffId?: StaffId
  readonly action?: AuditAction
  /** Skips this many of the newest matching events first (paging back from the newest). */
  readonly offset?: number
  readonly limit?: number
}

/** Append-only record of every read, send, delete, status, consent and assignment change. */
export class AuditLog extends Context.Service<AuditLog, {
  readonly append: (event: AuditEvent) => Io<void>
  /** Oldest first, in append order, filtered by `query`; `offset` skips the newest matches, then `limit` keeps the newest left. */
  readonly list: (organisationId: OrganisationId, query: AuditQuery) => Io<ReadonlyArray<AuditEvent>>
}>()("@careline/core/AuditLog") {}
