import {
  type InboundSms,
  type OutboundSms,
  type OutboxId,
  type PhoneNumber,
  ProviderMessageId,
  SmsProvider,
  SmsSendFailed,
  type StatusUpdate
} from "@careline/core"
import { Clock, Context, Effect, Layer, PubSub, Ref, type Scope, Stream } from "effect"
import { statusCallbacks, type StatusCallbackOptions } from "./StatusCallbacks.js"

export type { StatusCallbackOptions } from "./StatusCallbacks.js"

/** A text the fake provider accepted; `sequence` counts accepted texts from 1. */
export interface SentSms {
  readonly outboxId: OutboxId
  readonly from: PhoneNumber
  readonly to: PhoneNumber
  readonly body: string
  readonly providerMessageId: ProviderMessageId
  readonly sequence: number
}

/**
 * A text the fake network carried, either way: to a handset (a send this fake accepted) or from one
 * (an `inbound` text). What a phone's screen would show; the phone simulator reads it.
 */
export interface CarriedSms {
  readonly direction: "to_phone" | "from_phone"
  readonly from: PhoneNumber
  readonly to: PhoneNumber
  readonly body: string
  readonly providerMessageId: ProviderMessageId
  readonly at: number
}

/**
 * What the next send does. A `Fail` records nothing, except `Indeterminate`: the request left and
 * the answer was lost, so the text is recorded as sent while the caller still gets the failure.
 */
export type SendOutcome =
  | {
    readonly _tag: "Fail"
    readonly reason: SmsSendFailed["reason"]
    readonly code?: string
    readonly retryAfterMs?: number
  }
  | { readonly _tag: "Succeed" }

/**
 * The test's handle on the fake provider: what was sent, faults to inject, and provider-side
 * events (inbound texts, status callbacks) to hand to the application.
 *
 * @example
 * const control = yield* FakeSmsControl
 * yield* control.injectFaults([{ _tag: "Fail", reason: "Transient", retryAfterMs: 1000 }, { _tag: "Succeed" }])
 * const [first] = yield* control.sent
 */
export class FakeSmsControl extends Context.Service<FakeSmsControl, {
  readonly sent: Effect.Effect<ReadonlyArray<SentSms>>
  /** Queues outcomes for the next sends, in order; sends beyond the queue succeed. */
  readonly injectFaults: (plan: ReadonlyArray<SendOutcome>) => Effect.Effect<void>
  /** An inbound text with a fresh provider id unless one is given. */
  readonly inbound: (fields: {
    readonly from: PhoneNumber
    readonly to: PhoneNumber
    readonly body: string
    readonly providerMessageId?: ProviderMessageId
  }) => Effect.Effect<InboundSms>
  /** Status callbacks for a text this fake sent; dies if it never sent that id (a test bug). */
  readonly statusCallbacks: (
    providerMessageId: ProviderMessageId,
    options?: StatusCallbackOptions
  ) => Effect.Effect<ReadonlyArray<StatusUpdate>>
  /** Every text carried so far in either direction, oldest first. */
  readonly traffic: Effect.Effect<ReadonlyArray<CarriedSms>>
  /** The texts carried from the moment it is run, one subscription per run (a live phone screen). */
  readonly carried: Stream.Stream<CarriedSms>
  /**
   * Subscribes now, for as long as the scope: the stream holds every text carried from the moment
   * this returns, so "read the traffic, then listen" has no gap.
   */
  readonly subscribe: Effect.Effect<Stream.Stream<CarriedSms>, never, Scope.Scope>
  /** Forgets sent texts, traffic and pending faults, and restarts provider ids. */
  readonly reset: Effect.Effect<void>
}>()("@careline/adapter-fake-sms/FakeSmsControl") {}

interface State {
  readonly issued: number
  readonly sent: ReadonlyArray<SentSms>
  readonly faults: ReadonlyArray<SendOutcome>
  readonly traffic: ReadonlyArray<CarriedSms>
}

const initial: State = { issued: 0, sent: [], faults: [], traffic: [] }

/** Enough for a burst of texts; a subscriber that falls behind loses the oldest, never the log. */
const subscriberCapacity = 1024

/** Twilio-like: `SM` and 32 hex digits, here the counter zero-padded so ids are deterministic. */
const providerId = (n: number): ProviderMessageId => ProviderMessageId.make(`SM${n.toString(16).padStart(32, "0")}`)

const accept = (state: State, sms: OutboundSms): [SentSms, State] => {
  const record: SentSms = {
    outboxId: sms.outboxId,
    from: sms.from,
    to: sms.to,
    body: sms.body,
    providerMessageId: providerId(state.issued + 1),
    sequence: state.sent.length + 1
  }
  return [record, { ...state, issued: state.issued + 1, sent: [...state.sent, record] }]
}

const failure = (outcome: Extract<SendOutcome, { _tag: "Fail" }>) =>
  new SmsSendFailed({
    reason: outcome.reason,
    ...(outcome.code === undefined ? {} : { code: outcome.code }),
    ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs })
  })

/** One state step per send, so concurrent sends each take exactly one planned outcome. */
const step = (state: State, sms: OutboundSms): [Effect.Effect<ProviderMessageId, SmsSendFailed>, State] => {
  const [outcome, ...faults] = state.faults
  const next = { ...state, faults }
  if (outcome === undefined || outcome._tag === "Succeed") {
    const [record, after] = accept(next, sms)
    return [Effect.succeed(record.providerMessageId), after]
  }
  if (outcome.reason === "Indeterminate") return [Effect.fail(failure(outcome)), accept(next, sms)[1]]
  return [Effect.fail(failure(outcome)), next]
}

/**
 * Provides `SmsProvider` and `FakeSmsControl` over one in-memory state; each build starts empty.
 *
 * @example
 * const program = Effect.gen(function* () {
 *   const id = yield* (yield* SmsProvider).send(sms)
 *   return yield* (yield* FakeSmsControl).statusCallbacks(id, { final: "undelivered" })
 * })
 * await runWith(FakeSms.layer)(program)
 */
export const layer: Layer.Layer<SmsProvider | FakeSmsControl> = Layer.effectContext(
  Effect.gen(function* () {
    const state = yield* Ref.make(initial)
    const pubsub = yield* PubSub.sliding<CarriedSms>(subscriberCapacity)
    const carry = (s: State, sms: CarriedSms): State => ({ ...s, traffic: [...s.traffic, sms] })
    const provider = SmsProvider.of({
      send: (sms) =>
        Effect.flatMap(Clock.currentTimeMillis, (at) =>
          Effect.flatMap(
            Ref.modify(state, (s): [readonly [Effect.Effect<ProviderMessageId, SmsSendFailed>, CarriedSms | undefined], State] => {
              const [result, next] = step(s, sms)
              const record = next.sent.length > s.sent.length ? next.sent[next.sent.length - 1] : undefined
              if (record === undefined) return [[result, undefined] as const, next]
              const carried: CarriedSms = { direction: "to_phone", from: record.from, to: record.to, body: record.body, providerMessageId: record.providerMessageId, at }
              return [[result, carried] as const, carry(next, carried)]
            }),
            ([result, carried]) => (carried === undefined ? result : Effect.andThen(PubSub.publish(pubsub, carried), result))
          ))
    })
    const received = (sms: InboundSms) =>
      Effect.flatMap(Clock.currentTimeMillis, (at) => {
        const carried: CarriedSms = { direction: "from_phone", from: sms.from, to: sms.to, body: sms.body, providerMessageId: sms.providerMessageId, at }
        return Ref.update(state, (s) => carry(s, carried)).pipe(Effect.andThen(PubSub.publish(pubsub, carried)), Effect.as(sms))
      })
    const control = FakeSmsControl.of({
      sent: Effect.map(Ref.get(state), (s) => s.sent),
      injectFaults: (plan) => Ref.update(state, (s) => ({ ...s, faults: [...s.faults, ...plan] })),
      inbound: ({ providerMessageId, ...fields }) =>
        Effect.flatMap(
          providerMessageId !== undefined
            ? Effect.succeed<InboundSms>({ ...fields, providerMessageId })
            : Ref.modify(state, (s): [InboundSms, State] => [
              { ...fields, providerMessageId: providerId(s.issued + 1) },
              { ...s, issued: s.issued + 1 }
            ]),
          received
        ),
      statusCallbacks: (providerMessageId, options) =>
        Effect.flatMap(Ref.get(state), (s) =>
          s.sent.some((m) => m.providerMessageId === providerMessageId)
            ? Effect.succeed(statusCallbacks(providerMessageId, options))
            : Effect.die(new Error(`FakeSms never sent ${providerMessageId}, so it has no status callbacks for it.`))),
      traffic: Effect.map(Ref.get(state), (s) => s.traffic),
      carried: Stream.fromPubSub(pubsub),
      subscribe: Effect.map(PubSub.subscribe(pubsub), Stream.fromSubscription),
      reset: Ref.set(state, initial)
    })
    return Context.make(SmsProvider, provider).pipe(Context.add(FakeSmsControl, control))
  })
)
