import { Schema } from "effect"
import { ClientId } from "./Ids.js"

/** SMS needs a primary number: it is where texts go and the number staff attest consent for (S0). */
export class NoPrimaryPhone extends Schema.TaggedError<NoPrimaryPhone>()("NoPrimaryPhone", {
  clientId: ClientId
}) {
  override get message() {
    return "This client has no primary phone number to text."
  }
}

/** The staff member has no line of their own, and named none they may send from. */
export class NoLineToSendFrom extends Schema.TaggedError<NoLineToSendFrom>()("NoLineToSendFrom", {}) {
  override get message() {
    return "You have no phone line to send from. Ask an admin to give you a line, or pick a queue line."
  }
}

/** A message that cannot be sent as written, with the reason a person can fix. */
export class InvalidMessage extends Schema.TaggedError<InvalidMessage>()("InvalidMessage", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}
