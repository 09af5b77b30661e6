import { Clock, Context, Effect, Latch, Layer, Option, Queue } from "effect"
import { classifyKeyword } from "../Consent.js"
import { crisisMatcher } from "../Crisis.js"
import type { OrganisationId } from "../Ids.js"
import type { Message } from "../Message.js"
import { Conversations } from "../ports/Conversations.js"
import { Directory } from "../ports/Directory.js"
import { processInbound, recoverInbound } from "./Inbound.js"

/**
 * Processes stored inbound texts off the request path, so a webhook is answered as soon as its text
 * is durable (`acceptInbound`) and never waits for routing, consent, replies and notifications.
 * Texts wait in a bounded queue for a few workers; one that finds the queue full is not lost: it is
 * stored unprocessed, and once the queue has drained the processor takes it back from storage (and
 * `sweep`, run by the server now and then and at start-up, picks up whatever is left).
 * `processInbound`'s claim makes sure each text is processed once, whoever gets to it.
 *
 * @example
 * ```ts
 * const message = yield* acceptInbound(sms)  // durable: now answer the webhook
 * yield* InboundProcessor.use((p) => p.submit(message))
 * ```
 */
export class InboundProcessor extends Context.Service<InboundProcessor, {
  /** Queues a stored text for processing; `false` when the queue is full (the sweep will get it). */
  readonly submit: (message: Message) => Effect.Effect<boolean>
  /** Processes stored texts nobody processed (a full queue, a crash); says how many. */
  readonly sweep: Effect.Effect<number>
  /**
   * `sweep`, but only when no submitted text is waiting or being processed: the texts in the queue
   * are already taken care of, and what a full queue refused is swept once it has drained. For the
   * server's periodic sweep, which then never competes with the workers for the same texts.
   */
  readonly sweepWhenIdle: Effect.Effect<number>
  /** Waits until every submitted text has been processed (tests, and an orderly shutdown). */
  readonly settled: Effect.Effect<void>
}>()("@careline/core/InboundProcessor") {}

export interface InboundProcessorOptions {
  /** Texts processed at once; their storage work shares group commits. */
  readonly workers: number
  /** Texts waiting at most; more wait in storage until the queue has drained. */
  readonly capacity: number
  /**
   * Acknowledging comes first: while texts are submitted faster than this many a second and more
   * than twice `workers` are waiting, one worker processes one text a second (so the backlog never
   * stands still) and the others wait for the burst to pass, so the CPU and the database connection go
   * to answering webhooks and the backlog is processed after. Urgent texts never wait for a burst: a
   * worker of their own takes them ahead of the backlog. They are consent keywords (STOP, START,
   * HELP…: a client who said STOP is not texted while their STOP waits) and texts with one of the
   * organisation's crisis words (the channel turns urgent and supervisors are alerted at once).
   * Unset: every worker always processes.
   */
  readonly burstPerSecond?: number
}

/** How long a window the burst rate is measured over, and how long a held-back worker waits before looking again. */
const BURST_WINDOW_MS = 100
/**
 * How long the one worker still processing in a burst rests after each text. Processing a text is
 * several write transactions, each holding the only writing connection while the busy event loop
 * gets round to its statements; at one text per 100 ms that left webhooks waiting ~100 ms for the
 * connection (inbound benchmark: 265–650 webhooks/s, against 2,200–2,600 at one a second).
 */
const PACED_PAUSE_MS = 1_000

/** How long the processor goes by an organisation's crisis words before it reads them again (wall time, as bursts). */
const CRISIS_WORDS_FRESH_MS = 10_000

/**
 * A burst is measured in wall time (a test clock standing still is no burst), so a worker held back by
 * one waits in wall time too: under a virtual clock it would otherwise never look again.
 */
const pauseFor = (ms: number) => Effect.callback<void>((resume) => {
  const timer = setTimeout(() => resume(Effect.void), ms)
  return Effect.sync(() => clearTimeout(timer))
})
const pauseOneWindow = pauseFor(BURST_WINDOW_MS)
const pauseAfterPacedText = pauseFor(PACED_PAUSE_MS)

/**
 * A test for an organisation's crisis words (see `crisisMatcher`) as read at most
 * {@link CRISIS_WORDS_FRESH_MS} ago: one read per organisation in a burst, not one per text. Only
 * which queue a text joins depends on it: processing reads the words afresh. Should the read fail, the
 * test made before (or none) is used.
 */
const recentCrisisMatchers = () => {
  const known = new Map<OrganisationId, { readonly matches: (body: string) => boolean; readonly readAt: number }>()
  return (organisationId: OrganisationId) =>
    Effect.suspend(() => {
      const last = known.get(organisationId)
      if (last !== undefined && Date.now() - last.readAt < CRISIS_WORDS_FRESH_MS) return Effect.succeed(last.matches)
      return Directory.use((d) => d.getOrganisation(organisationId)).pipe(
        Effect.map((organisation) => crisisMatcher(Option.isSome(organisation) ? organisation.value.crisisWords ?? [] : [])),
        Effect.catch(() => Effect.succeed(last?.matches ?? crisisMatcher([]))),
        Effect.tap((matches) => Effect.sync(() => known.set(organisationId, { matches, readAt: Date.now() })))
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
      const queue = yield* Queue.dropping<Message>(options.capacity)
      const urgent = yield* Queue.dropping<Message>(options.capacity)
      // Open exactly when no submitted text is waiting or being processed.
      const idle = yield* Latch.make(true)
      let outstanding = 0
      const finished = Effect.suspend(() => (--outstanding === 0 ? idle.open : Effect.void))
      const context = yield* Effect.context<Effect.Services<ReturnType<typeof processInbound>>>()
      // Submissions in the current window and the one before (wall time, not the Clock: a test clock standing still is no burst).
      let windowStart = 0
      let inWindow = 0
      let inPreviousWindow = 0
      const countSubmission = () => {
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
        if (burstLimit === undefined || outstanding <= 2 * options.workers) return false
        const sinceStart = Date.now() - windowStart
        if (sinceStart >= 2 * BURST_WINDOW_MS) return false
        return (sinceStart < BURST_WINDOW_MS ? Math.max(inWindow, inPreviousWindow) : inWindow) > burstLimit
      }
      const processOne = (message: Message) => processInbound(message).pipe(logFailure("Processing a received text"), Effect.ensuring(finished))
      const processNext = Effect.flatMap(Queue.take(queue), processOne)
      const heldBackInBursts = Effect.suspend(() => (inBurst() ? pauseOneWindow : processNext))
      // In a burst the first worker still processes one text a second, so the backlog never stands still.
      const pacedInBursts = Effect.suspend(() => (inBurst() ? Effect.andThen(processNext, pauseAfterPacedText) : processNext))
      for (let i = 0; i < options.workers; i++) {
        yield* Effect.forkScoped(Effect.forever(burstLimit === undefined ? processNext : i === 0 ? pacedInBursts : heldBackInBursts))
      }
      if (options.workers > 0) yield* Effect.forkScoped(Effect.forever(Effect.flatMap(Queue.take(urgent), processOne)))
      const crisisMatcherOf = recentCrisisMatchers()
      const isUrgent = (message: Message) =>
        Option.isSome(classifyKeyword(message.body))
          ? Effect.succeed(true)
          : crisisMatcherOf(message.organisationId).pipe(Effect.map((matches) => matches(message.body)), Effect.provide(context))
      // Signalled when the full queue refuses a text, which then waits in storage, unprocessed.
      const refused = yield* Queue.sliding<true>(1)
      const enqueue = (message: Message) =>
        Effect.uninterruptible(Effect.gen(function* () {
          if (outstanding++ === 0) yield* idle.close
          const queued = yield* Queue.offer((yield* isUrgent(message)) ? urgent : queue, message)
          if (!queued) yield* Effect.andThen(finished, Queue.offer(refused, true))
          return queued
        }))
      const submit = (message: Message) => Effect.suspend(() => (countSubmission(), enqueue(message)))
      // Once the queue has drained, the texts it refused are taken from storage into it (no burst: they were counted when they came in).
      const takeBackRefused = Effect.gen(function* () {
        yield* Queue.take(refused)
        yield* idle.await
        const now = yield* Clock.currentTimeMillis
        const waiting = yield* Conversations.use((c) => c.unprocessedInbound(now, options.capacity))
        for (const message of waiting) yield* enqueue(message)
        if (waiting.length === options.capacity) yield* Queue.offer(refused, true)
      }).pipe(Effect.provide(context), logFailure("Taking back the texts a full queue refused"))
      if (options.workers > 0) yield* Effect.forkScoped(Effect.forever(takeBackRefused))
      const sweep = recoverInbound(1_000, Math.max(1, options.workers)).pipe(
        Effect.provide(context),
        Effect.catchCause((cause) => Effect.as(Effect.logError("Sweeping unprocessed texts failed.", cause), 0))
      )
      return InboundProcessor.of({
        submit,
        sweep,
        sweepWhenIdle: Effect.suspend(() => (outstanding === 0 ? sweep : Effect.succeed(0))),
        settled: idle.await
      })
    })
  )
