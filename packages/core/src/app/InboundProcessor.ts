import { Context, Effect, Latch, Layer, Option, Queue } from "effect"
import { classifyKeyword } from "../Consent.js"
import { crisisMatcher } from "../Crisis.js"
import type { Message } from "../Message.js"
import type { NotFound } from "../NotFound.js"
import type { InboundDelivery } from "../ports/Conversations.js"
import type { PhoneNumber } from "../PhoneNumber.js"
import { Directory } from "../ports/Directory.js"
import type { InboundSms } from "../ports/SmsProvider.js"
import type { StorageError } from "../ports/StorageError.js"
import { acceptInbound, inboundDelivery, processInbound, recoverInbound, ROUTE_BATCH, routeInbound, storeInbound } from "./Inbound.js"

/**
 * Takes received texts in and sets them in motion off the request path, so a webhook is answered as
 * soon as its text is durable and never waits for routing, consent, replies and notifications.
 * `accept` appends a text to the inbound log (`acceptInbound`); a router stores logged texts in their
 * channels in large batches (`routeInbound`) and hands them to a few workers through a bounded queue.
 * When the workers are behind, the router waits and the texts wait in the log, so a flood costs
 * storage, not memory. `processInbound`'s claim makes sure each text is processed once, whoever gets
 * to it; `sweep` (run by the server at start-up and now and then) picks up whatever a crash left.
 *
 * @example
 * ```ts
 * yield* InboundProcessor.use((p) => p.accept(sms))  // durable: now answer the webhook
 * ```
 */
export class InboundProcessor extends Context.Service<InboundProcessor, {
  /**
   * Takes a received text in: once this succeeds the text is durable and will be processed. A text
   * to a number no line has is dropped later with a warning; an urgent one (see
   * `InboundProcessorOptions.burstPerSecond`) fails with `NotFound` at once.
   */
  readonly accept: (sms: InboundSms) => Effect.Effect<void, StorageError | NotFound>
  /** Stores and processes what a crash or a restart left: the inbound log and unprocessed texts; says how many it processed. */
  readonly sweep: Effect.Effect<number>
  /**
   * `sweep`, but only when no accepted text is waiting or being processed: those are already taken
   * care of. For the server's periodic sweep, which then never competes with the workers.
   */
  readonly sweepWhenIdle: Effect.Effect<number>
  /** Waits until every accepted text has been processed (tests, and an orderly shutdown). */
  readonly settled: Effect.Effect<void>
}>()("@careline/core/InboundProcessor") {}

export interface InboundProcessorOptions {
  /** Texts processed at once; their storage work shares group commits. */
  readonly workers: number
  /** Stored texts waiting for a worker at most; more wait in the inbound log. */
  readonly capacity: number
  /**
   * Acknowledging comes first: while texts arrive faster than this many a second and more than twice
   * `workers` are waiting, the router stores one logged text a second (so the backlog never stands
   * still) and the rest wait in the log for the burst to pass, so the CPU and the database connection
   * go to answering webhooks and the backlog is processed after. Urgent texts never wait for a burst:
   * they are stored in their channel at once and a worker of their own processes them ahead of the
   * backlog. They are consent keywords (STOP, START, HELP…: a client who said STOP is not texted while
   * their STOP waits) and texts with one of the organisation's crisis words (the channel turns urgent
   * and supervisors are alerted at once). Unset: the router always stores what is logged.
   */
  readonly burstPerSecond?: number
}

/** How long a window the burst rate is measured over. */
const BURST_WINDOW_MS = 100
/**
 * How long the router rests in a burst after storing one text. Processing a text is several write
 * transactions, each holding the only writing connection while the busy event loop gets round to its
 * statements; at one text per 100 ms that left webhooks waiting ~100 ms for the connection (inbound
 * benchmark: 265–650 webhooks/s, against 2,200–2,600 at one a second).
 */
const PACED_PAUSE_MS = 1_000

/** How long the processor goes by an organisation's crisis words before it reads them again (wall time, as bursts). */
const CRISIS_WORDS_FRESH_MS = 10_000

/**
 * A burst is measured in wall time (a test clock standing still is no burst), so the router paced by
 * one waits in wall time too: under a virtual clock it would otherwise never look again.
 */
const pauseFor = (ms: number) => Effect.callback<void>((resume) => {
  const timer = setTimeout(() => resume(Effect.void), ms)
  return Effect.sync(() => clearTimeout(timer))
})
const pauseAfterPacedText = pauseFor(PACED_PAUSE_MS)
/** How long the router waits after a failure before it tries the log again. */
const pauseAfterFailure = pauseFor(1_000)

/**
 * A test for the crisis words of the organisation a line number belongs to (see `crisisMatcher`), as
 * read at most {@link CRISIS_WORDS_FRESH_MS} ago: one read per line in a burst, not one per text. Only
 * whether a text skips the log depends on it: processing reads the words afresh. Should the read fail,
 * the test made before (or none) is used.
 */
const recentCrisisMatchers = () => {
  const known = new Map<PhoneNumber, { readonly matches: (body: string) => boolean; readonly readAt: number }>()
  const wordsOfLine = (number: PhoneNumber) =>
    Effect.gen(function* () {
      const line = yield* Directory.use((d) => d.findLineByNumber(number))
      if (Option.isNone(line)) return []
      const organisation = yield* Directory.use((d) => d.getOrganisation(line.value.organisationId))
      return Option.isSome(organisation) ? organisation.value.crisisWords ?? [] : []
    })
  return (number: PhoneNumber) =>
    Effect.suspend(() => {
      const last = known.get(number)
      if (last !== undefined && Date.now() - last.readAt < CRISIS_WORDS_FRESH_MS) return Effect.succeed(last.matches)
      return wordsOfLine(number).pipe(
        Effect.map(crisisMatcher),
        Effect.catch(() => Effect.succeed(last?.matches ?? crisisMatcher([]))),
        Effect.tap((matches) => Effect.sync(() => known.set(number, { matches, readAt: Date.now() })))
      )
    })
}

const logFailure = (what: string) => Effect.catchCause((cause) => Effect.logError(`${what} failed; the sweep will retry it.`, cause))

/**
 * The processor over the stores of its context; its workers live as long as the layer's scope.
 *
 * @example
 * ```ts
 * const processor = InboundProcessor.layer({ workers: 8, capacity: 10_000 }).pipe(Layer.provide(stores))
 * ```
 */
export const inboundProcessorLayer = (options: InboundProcessorOptions) =>
  Layer.effect(
    InboundProcessor,
    Effect.gen(function* () {
      const queue = yield* Queue.bounded<Message>(Math.max(1, options.capacity))
      const urgent = yield* Queue.dropping<Message>(Math.max(1, options.capacity))
      const context = yield* Effect.context<Effect.Services<ReturnType<typeof recoverInbound>>>()
      // Work in hand: webhooks being accepted, a pass of the router owed or under way, texts queued or being
      // processed. `idle` is open exactly when there is none; whatever a failure leaves behind is in storage,
      // for the sweep.
      let work = 0
      // Texts logged and not yet processed, as far as this process knows (bursts are judged by it); none when idle.
      let backlog = 0
      const idle = yield* Latch.make(true)
      const begin = Effect.suspend(() => (work++ === 0 ? idle.close : Effect.void))
      const end = Effect.suspend(() => {
        if (--work > 0) return Effect.void
        backlog = 0
        return idle.open
      })
      // The router is owed a pass when a text has been logged since its current pass took the log's head.
      const logged = yield* Queue.sliding<true>(1)
      let passOwed = false
      const owePass = Effect.suspend(() => {
        if (passOwed) return Effect.void
        passOwed = true
        return Effect.andThen(begin, Queue.offer(logged, true))
      })
      // Texts accepted in the current window and the one before (wall time, not the Clock: a test clock standing still is no burst).
      let windowStart = 0
      let inWindow = 0
      let inPreviousWindow = 0
      const countArrival = () => {
        const now = Date.now()
        if (now - windowStart >= BURST_WINDOW_MS) {
          inPreviousWindow = now - windowStart < 2 * BURST_WINDOW_MS ? inWindow : 0
          windowStart = now
          inWindow = 0
        }
        inWindow++
      }
      const burstLimit = options.burstPerSecond === undefined ? undefined : (options.burstPerSecond * BURST_WINDOW_MS) / 1000
      const inBurst = () => {
        if (burstLimit === undefined || backlog <= 2 * options.workers) return false
        const sinceStart = Date.now() - windowStart
        if (sinceStart >= 2 * BURST_WINDOW_MS) return false
        return (sinceStart < BURST_WINDOW_MS ? Math.max(inWindow, inPreviousWindow) : inWindow) > burstLimit
      }
      const processOne = (message: Message) => processInbound(message).pipe(logFailure("Processing a received text"), Effect.ensuring(end))
      const processLogged = (message: Message) => Effect.andThen(Effect.sync(() => void (backlog = Math.max(0, backlog - 1))), processOne(message))
      for (let i = 0; i < options.workers; i++) yield* Effect.forkScoped(Effect.forever(Effect.flatMap(Queue.take(queue), processLogged)))
      if (options.workers > 0) yield* Effect.forkScoped(Effect.forever(Effect.flatMap(Queue.take(urgent), processOne)))
      // One pass: the log is worked through until a batch stores and settles nothing; stored texts join the
      // queue (waiting while it is full). In a burst, one text a second.
      const pass = Effect.gen(function* () {
        for (;;) {
          const paced = inBurst()
          const batch = yield* routeInbound(paced ? 1 : ROUTE_BATCH)
          const taken = batch.stored.length + batch.settled.length
          backlog = Math.max(0, backlog - batch.settled.length)
          for (const message of batch.stored) yield* Effect.andThen(begin, Queue.offer(queue, message))
          if (taken === 0) return
          if (paced) yield* pauseAfterPacedText
        }
      }).pipe(
        Effect.provide(context),
        Effect.catchCause((cause) =>
          Effect.logError("Storing logged texts in their channels failed; trying again in a second.", cause).pipe(
            Effect.andThen(pauseAfterFailure),
            Effect.andThen(owePass)
          ))
      )
      const route = Effect.gen(function* () {
        yield* Queue.take(logged)
        passOwed = false
        yield* Effect.ensuring(pass, end)
      })
      if (options.workers > 0) {
        yield* Effect.forkScoped(Effect.forever(route))
        // Whatever the last run left in the log is worked through now.
        yield* owePass
      }
      const crisisMatcherOf = recentCrisisMatchers()
      const isUrgent = (sms: InboundSms) =>
        Option.isSome(classifyKeyword(sms.body))
          ? Effect.succeed(true)
          : crisisMatcherOf(sms.to).pipe(Effect.map((matches) => matches(sms.body)), Effect.provide(context))
      // Pipelines, not Effect.gen, from here: this runs for every webhook of a flood, where a generator's cost shows.
      const storeUrgent = (delivery: InboundDelivery) =>
        storeInbound(delivery).pipe(
          Effect.tap(() => begin),
          Effect.flatMap((message) => Queue.offer(urgent, message)),
          Effect.flatMap((queued) => (queued ? Effect.void : end))
        )
      const logForLater = (delivery: InboundDelivery) =>
        Effect.andThen(acceptInbound(delivery), Effect.suspend(() => {
          backlog++
          return options.workers > 0 ? owePass : Effect.void
        }))
      const accept = (sms: InboundSms) =>
        Effect.uninterruptible(Effect.andThen(
          begin,
          Effect.suspend(() => {
            countArrival()
            return Effect.zip(isUrgent(sms), inboundDelivery(sms))
          }).pipe(
            Effect.flatMap(([urgent, delivery]) => (urgent ? storeUrgent(delivery) : logForLater(delivery))),
            Effect.provide(context),
            Effect.ensuring(end)
          )
        ))
      const sweep = recoverInbound(1_000, Math.max(1, options.workers)).pipe(
        Effect.provide(context),
        Effect.catchCause((cause) => Effect.as(Effect.logError("Sweeping unprocessed texts failed.", cause), 0))
      )
      return InboundProcessor.of({
        accept,
        sweep,
        sweepWhenIdle: Effect.suspend(() => (work === 0 ? sweep : Effect.succeed(0))),
        settled: idle.await
      })
    })
  )
