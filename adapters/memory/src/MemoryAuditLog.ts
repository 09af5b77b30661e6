import { AuditLog } from "@careline/core"
import { Ref } from "effect"
import { appendAt, listAt, type MemoryRef, read } from "./MemoryState.js"

/** `AuditLog` over the shared in-memory state: append order per organisation; `offset` skips the newest matches, `limit` keeps the newest left. */
export const makeAuditLog = (ref: MemoryRef) =>
  AuditLog.of({
    append: (event) => Ref.update(ref, (s) => ({ ...s, audit: appendAt(s.audit, event.organisationId, event) })),
    list: (organisationId, query) =>
      read(ref, (s) => {
        const matching = listAt(s.audit, organisationId).filter((e) =>
          (query.clientId === undefined || e.clientId === query.clientId) &&
          (query.actorStaffId === undefined || (e.actor._tag === "Staff" && e.actor.staffId === query.actorStaffId)) &&
          (query.action === undefined || e.action === query.action))
        const events = matching.slice(0, Math.max(0, matching.length - Math.max(0, Math.floor(query.offset ?? 0))))
        if (query.limit === undefined) return events
        const limit = Math.max(0, query.limit)
        return limit === 0 ? [] : events.slice(-limit)
      })
  })
