import { Effect, Option } from "effect"
import { mergeDelivery } from "../DeliveryStatus.js"
import { type Message, withDelivery } from "../Message.js"
import { NotFound } from "../NotFound.js"
import { Conversations } from "../ports/Conversations.js"
import { OutboxStore } from "../ports/OutboxStore.js"
import type { StatusUpdate } from "../ports/SmsProvider.js"

/**
 * Finds the message a callback is about: by the provider's id, or — when the send's own answer was
 * lost and the message never learned that id — by the outbox id the callback URL carries. A
 * callback for a send whose fate was `unknown` proves it left: the outbox entry becomes `sent`.
 */
const messageOfUpdate = (update: StatusUpdate) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const byProviderId = yield* conversations.findMessageByProviderId(update.providerMessageId)
    if (Option.isSome(byProviderId)) return byProviderId.value
    const outbox = yield* OutboxStore
    const entry = update.outboxId === undefined ? Option.none() : yield* outbox.get(update.outboxId)
    const message = Option.isSome(entry) ? yield* conversations.getMessage(entry.value.messageId) : Option.none<Message>()
    if (Option.isNone(entry) || Option.isNone(message)) {
      return yield* new NotFound({ entity: "message", id: update.providerMessageId })
    }
    if (entry.value.state === "unknown" || entry.value.state === "sending") {
      yield* outbox.save({ ...entry.value, state: "sent", providerMessageId: update.providerMessageId })
    }
    return { ...message.value, providerMessageId: update.providerMessageId }
  })

/**
 * Applies a provider's delivery-status callback. Callbacks arrive late, twice or out of order: the
 * merge never moves a state backwards, so any order of the same callbacks ends in the same state.
 */
export const applyStatusUpdate = (update: StatusUpdate) =>
  Effect.gen(function* () {
    const message = yield* messageOfUpdate(update)
    const merged = mergeDelivery(
      { status: message.status, ...(message.errorCode === undefined ? {} : { errorCode: message.errorCode }) },
      { status: update.status, ...(update.errorCode === undefined ? {} : { errorCode: update.errorCode }) }
    )
    const updated = withDelivery(message, merged.status, merged.errorCode)
    yield* Conversations.use((c) => c.saveMessage(updated))
    return updated
  })
