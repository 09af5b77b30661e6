import { Clock, Effect } from "effect"
import type { AuditEvent } from "../AuditEvent.js"
import { AuditEventId } from "../Ids.js"
import { AuditLog } from "../ports/AuditLog.js"
import { Ids } from "../ports/Ids.js"

/** Appends an audit event stamped with a fresh id and the current time. */
export const audit = (event: Omit<AuditEvent, "id" | "at">) =>
  Effect.gen(function* () {
    const id = AuditEventId.make(yield* Ids.use((ids) => ids.next("aud")))
    const at = yield* Clock.currentTimeMillis
    yield* AuditLog.use((log) => log.append({ ...event, id, at }))
  })
