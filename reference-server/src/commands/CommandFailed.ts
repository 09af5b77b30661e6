import { Schema } from "effect"

/** A command could not do what was asked; the reason says what to do instead. */
export class CommandFailed extends Schema.TaggedError<CommandFailed>()("CommandFailed", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}
