import { Schema } from "effect"

/** A referenced record does not exist — or, to the asker, must look as if it did not. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.Literals(["organisation", "staff", "client", "line", "queue", "channel", "message", "thread", "thread_message", "draft", "client_list", "chat_room"]),
  id: Schema.String
}) {
  override get message() {
    return `No ${this.entity} ${this.id}.`
  }
}
