import { Schema } from "effect"
import { ClientId } from "./Ids.js"
import { isManagerRole, type Staff } from "./Staff.js"

/**
 * A blocked client's texts are still stored (nothing is lost) but raise no notification and get no
 * automatic reply of any kind; nothing is sent to them. Consent keywords still change the ledger.
 */
export class ClientBlocked extends Schema.TaggedError<ClientBlocked>()("ClientBlocked", {
  clientId: ClientId
}) {
  override get message() {
    return "This client is blocked: messages to them are not sent. A supervisor or admin can unblock them."
  }
}

/** Only supervisors and admins block or unblock a client (S2). */
export const mayBlock = (staff: Staff): boolean => staff.active && isManagerRole(staff.role)
