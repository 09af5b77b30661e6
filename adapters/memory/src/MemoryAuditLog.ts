import { AuditLog } from "@careline/core"
import { Ref } from "effect"
import { appendAt, listAt, type MemoryRef, read } from "./MemoryState.js"

/** `AuditLog` over the shared in-memory state: append order per organisation; `limit` keeps the newest. */
export const makeAuditLog = (ref: MemoryRef) =>
  AuditLog.of({
    append: (event) => Ref.update(ref, (s) => ({ ...s, audit: appendAt(s.audit, event.organisationId, event) })),
    list: (organisationId, query) =>
      read(ref, (s) => {
        const events = listAt(s.audit, organisationId).filter((e) => query.clientId === undefined || e.clientId === query.clientId)
        if (query.limit === undefined) return events
        const limit = Math.max(0, query.limit)
        return limit === 0 ? [] : events.slice(-limit)
      })
  })
