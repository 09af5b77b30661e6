import { Effect, Option } from "effect"
import { mergeDelivery } from "../DeliveryStatus.js"
import { NotFound } from "../NotFound.js"
import { Conversations } from "../ports/Conversations.js"
import type { StatusUpdate } from "../ports/SmsProvider.js"

/**
 * Applies a provider's delivery-status callback. Callbacks arrive late, twice or out of order: the
 * merge never moves a state backwards, so any order of the same callbacks ends in the same state.
 */
export const applyStatusUpdate = (update: StatusUpdate) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const found = yield* conversations.findMessageByProviderId(update.providerMessageId)
    if (Option.isNone(found)) return yield* new NotFound({ entity: "message", id: update.providerMessageId })
    const message = found.value
    const merged = mergeDelivery(
      { status: message.status, ...(message.errorCode === undefined ? {} : { errorCode: message.errorCode }) },
      { status: update.status, ...(update.errorCode === undefined ? {} : { errorCode: update.errorCode }) }
    )
    if (merged.status === message.status && merged.errorCode === message.errorCode) return message
    const { errorCode: _previous, ...rest } = message
    const updated = { ...rest, status: merged.status, ...(merged.errorCode === undefined ? {} : { errorCode: merged.errorCode }) }
    yield* conversations.saveMessage(updated)
    return updated
  })
