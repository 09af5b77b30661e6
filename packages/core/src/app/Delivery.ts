import { Effect, Option } from "effect"
import { providerOptOutChange } from "../Consent.js"
import { mergeDelivery } from "../DeliveryStatus.js"
import { type Message, withDelivery } from "../Message.js"
import { NotFound } from "../NotFound.js"
import { Conversations } from "../ports/Conversations.js"
import { OutboxStore } from "../ports/OutboxStore.js"
import type { StatusUpdate } from "../ports/SmsProvider.js"
import { transitionConsent } from "./ConsentRecords.js"

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

const failedAsUnsubscribed = (update: StatusUpdate): boolean =>
  update.reason === "RecipientUnsubscribed" && (update.status === "failed" || update.status === "undelivered")

/**
 * The provider failed a text because its recipient unsubscribed, which it can tell only after
 * accepting it: the number becomes `opted_out` (source `provider_error`, evidence the message id),
 * as when a send is refused for that reason.
 */
const recordUnsubscribed = (message: Message) =>
  Effect.gen(function* () {
    const channel = yield* Conversations.use((c) => c.getChannel(message.channelId))
    if (Option.isNone(channel)) return
    yield* transitionConsent(
      { organisationId: message.organisationId, phone: channel.value.phone, evidence: message.id, actor: { _tag: "System" }, clientId: channel.value.clientId },
      (status) => ({
        change: providerOptOutChange(status) ? Option.some({ state: "opted_out" as const, source: "provider_error" as const }) : Option.none()
      })
    )
  })

/**
 * Applies a provider's delivery-status callback. Callbacks arrive late, twice or out of order: the
 * merge never moves a state backwards, so any order of the same callbacks ends in the same state.
 * Only a callback that moves the message on is acted upon, so a replayed "unsubscribed" failure
 * never opts out again a number that has since opted back in.
 */
export const applyStatusUpdate = (update: StatusUpdate) =>
  Effect.gen(function* () {
    const message = yield* messageOfUpdate(update)
    const current = { status: message.status, ...(message.errorCode === undefined ? {} : { errorCode: message.errorCode }) }
    const merged = mergeDelivery(current, { status: update.status, ...(update.errorCode === undefined ? {} : { errorCode: update.errorCode }) })
    const movedOn = merged.status !== current.status || merged.errorCode !== current.errorCode
    // Consent first: a crash before the message is saved leaves the callback to be applied again.
    if (movedOn && failedAsUnsubscribed(update)) yield* recordUnsubscribed(message)
    const updated = withDelivery(message, merged.status, merged.errorCode)
    yield* Conversations.use((c) => c.saveMessage(updated))
    return updated
  })
