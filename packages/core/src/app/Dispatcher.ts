import { Clock, Effect, Option, Ref } from "effect"
import { type ConsentState, providerOptOutChange } from "../Consent.js"
import { mergeDelivery } from "../DeliveryStatus.js"
import type { LineId } from "../Ids.js"
import { type Message, withDelivery } from "../Message.js"
import { CLAIM_LEASE_MS, handOverAllowed, LEASE_EXPIRED, MAX_ATTEMPTS, nextFreeAt, type OutboxEntry, rateWindow, recordHandOver, retryDelayMs } from "../Outbox.js"
import { Conversations } from "../ports/Conversations.js"
import { Directory } from "../ports/Directory.js"
import { OutboxStore } from "../ports/OutboxStore.js"
import { SmsProvider, type SmsSendFailed } from "../ports/SmsProvider.js"
import { consentOf, transitionConsent } from "./ConsentRecords.js"
import { requireLine } from "./Lookup.js"

export interface DispatchReport {
  readonly sent: number
  readonly retrying: number
  readonly failed: number
  readonly unknown: number
  readonly refused: number
  readonly deferred: number
  /** Claims whose lease ran out (their worker died mid-send), now `unknown` for staff. */
  readonly expired: number
}

type Outcome = keyof DispatchReport

const emptyReport: DispatchReport = { sent: 0, retrying: 0, failed: 0, unknown: 0, refused: 0, deferred: 0, expired: 0 }

const isBlocked = (message: Message) =>
  Effect.gen(function* () {
    const channel = yield* Conversations.use((c) => c.getChannel(message.channelId))
    if (Option.isNone(channel) || channel.value.clientId === undefined) return false
    const client = yield* Directory.use((d) => d.getClient(channel.value.clientId!))
    return Option.isSome(client) && client.value.blocked
  })

const refusalCode = (consent: ConsentState, blocked: boolean): string => (blocked ? "blocked" : `consent_${consent}`)

/** What a provider failure means for the entry, the message, and (for an unsubscribed number) consent. */
const settleFailure = (entry: OutboxEntry, message: Message, error: SmsSendFailed, now: number) =>
  Effect.gen(function* () {
    const outbox = yield* OutboxStore
    const conversations = yield* Conversations
    const attempts = entry.attempts + 1
    const lastError = error.code ?? error.reason
    if (error.reason === "Transient" && attempts < MAX_ATTEMPTS) {
      yield* outbox.save({ ...entry, state: "pending", attempts, notBefore: now + retryDelayMs(attempts, error.retryAfterMs), lastError })
      return "retrying" as Outcome
    }
    if (error.reason === "Indeterminate") {
      yield* outbox.save({ ...entry, state: "unknown", attempts, lastError })
      yield* conversations.saveMessage(withDelivery(message, "unknown", lastError))
      return "unknown" as Outcome
    }
    if (error.reason === "RecipientUnsubscribed") {
      yield* transitionConsent(
        { organisationId: entry.organisationId, phone: entry.to, evidence: error.code ?? "RecipientUnsubscribed", actor: { _tag: "System" }, clientId: undefined },
        (status) => ({
          change: providerOptOutChange(status) ? Option.some({ state: "opted_out" as const, source: "provider_error" as const }) : Option.none()
        })
      )
    }
    yield* outbox.save({ ...entry, state: "failed", attempts, lastError })
    yield* conversations.saveMessage(withDelivery(message, "failed", lastError))
    return "failed" as Outcome
  })

const handOver = (entry: OutboxEntry, now: number) =>
  Effect.gen(function* () {
    const outbox = yield* OutboxStore
    const conversations = yield* Conversations
    const found = yield* conversations.getMessage(entry.messageId)
    if (Option.isNone(found)) {
      yield* outbox.save({ ...entry, state: "failed", lastError: "message_deleted" })
      return "refused" as Outcome
    }
    const message = found.value
    const consent = (yield* consentOf(entry.organisationId, entry.to)).state
    const blocked = yield* isBlocked(message)
    if (!handOverAllowed(message.author, consent, blocked)) {
      const code = refusalCode(consent, blocked)
      yield* outbox.save({ ...entry, state: "failed", lastError: code })
      yield* conversations.saveMessage(withDelivery(message, "failed", code))
      return "refused" as Outcome
    }
    return yield* SmsProvider.use((p) => p.send({ outboxId: entry.id, from: entry.from, to: entry.to, body: entry.body })).pipe(
      Effect.matchEffect({
        onFailure: (error) => settleFailure(entry, message, error, now),
        onSuccess: (providerMessageId) =>
          Effect.gen(function* () {
            yield* outbox.save({ ...entry, state: "sent", attempts: entry.attempts + 1, providerMessageId })
            yield* conversations.saveMessage({ ...withDelivery(message, "sending"), providerMessageId })
            return "sent" as Outcome
          })
      })
    )
  })

/**
 * Claims whose lease ran out may or may not have reached the provider: they become `unknown`, flagged
 * for staff to reconcile (a later status callback settles them), and are never sent again. The
 * message's state is merged, so a callback that already moved it on is kept.
 */
const recoverExpired = (now: number) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const expired = yield* OutboxStore.use((o) => o.expireLeases(now))
    for (const entry of expired) {
      const message = yield* conversations.getMessage(entry.messageId)
      if (Option.isNone(message)) continue
      const { status, errorCode } = message.value
      const merged = mergeDelivery({ status, ...(errorCode === undefined ? {} : { errorCode }) }, { status: "unknown", errorCode: LEASE_EXPIRED })
      yield* conversations.saveMessage(withDelivery(message.value, merged.status, merged.errorCode))
    }
    return expired.length
  })

/** A round still handing over after this puts its remaining claims back, well before their lease ends. */
const ROUND_BUDGET_MS = CLAIM_LEASE_MS / 2

/**
 * Hands due outbox entries to the provider, each line at most at its rate (a sliding window, see
 * `nextFreeAt`). It never waits: an entry whose line's window is full goes back to `pending` until
 * the window has room, so a caller simply runs `dispatchDue` again as time passes. Consent and blocks are checked again at hand-over.
 * Several workers (server instances) may share one store: each claim carries a lease, a live lease
 * is never taken by another worker, and each round first turns expired leases into `unknown`.
 */
export const makeOutboxDispatcher = Effect.gen(function* () {
  // Each line's recent hand-overs (this worker's), for its rate window.
  const recent = yield* Ref.make<ReadonlyMap<LineId, ReadonlyArray<number>>>(new Map())

  const dispatchEntry = (entry: OutboxEntry, now: number) =>
    Effect.gen(function* () {
      const line = yield* requireLine(entry.lineId)
      const rate = rateWindow(line.ratePerSecond)
      // A slow provider must not keep the rest of the round's claims past their lease: they go back, never sent.
      if ((yield* Clock.currentTimeMillis) - now > ROUND_BUDGET_MS) {
        yield* OutboxStore.use((o) => o.save({ ...entry, state: "pending", notBefore: now }))
        return "deferred" as Outcome
      }
      const freeAt = yield* Ref.modify(recent, (byLine) => {
        const sent = byLine.get(line.id) ?? []
        const free = nextFreeAt(sent, now, rate)
        return free > now ? [free, byLine] : [now, new Map(byLine).set(line.id, recordHandOver(sent, now, rate))]
      })
      if (freeAt > now) {
        yield* OutboxStore.use((o) => o.save({ ...entry, state: "pending", notBefore: Math.ceil(freeAt) }))
        return "deferred" as Outcome
      }
      return yield* handOver(entry, now)
    })

  const dispatchDue = (limit = 100) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const expired = yield* recoverExpired(now)
      const claimed = yield* OutboxStore.use((o) => o.claimDue(now, limit, now + CLAIM_LEASE_MS))
      const byLine = new Map<LineId, Array<OutboxEntry>>()
      for (const entry of claimed) byLine.set(entry.lineId, [...(byLine.get(entry.lineId) ?? []), entry])
      const outcomes = yield* Effect.forEach(
        [...byLine.values()],
        (entries) => Effect.forEach(entries, (entry) => dispatchEntry(entry, now)),
        { concurrency: "unbounded" }
      )
      return outcomes.flat().reduce<DispatchReport>((report, o) => ({ ...report, [o]: report[o] + 1 }), { ...emptyReport, expired })
    })

  /**
   * Start-up recovery: claims whose lease has run out are marked `unknown` (see `dispatchDue`). A
   * claim still under lease may belong to another live instance and is left to it; if its worker
   * is dead, a later round recovers it once the lease ends. Returns how many were recovered.
   */
  const recoverInterrupted = Effect.flatMap(Clock.currentTimeMillis, recoverExpired)

  return { dispatchDue, recoverInterrupted }
})
