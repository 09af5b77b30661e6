import { type Notification, Notifier } from "@careline/core"
import { Context, Effect, Layer, PubSub, Stream } from "effect"

/** The read side of the live notifier: every notification published from now on, for one listener. */
export class LiveEvents extends Context.Service<LiveEvents, {
  /** A fresh subscription each time it is run; it ends when its consumer stops. */
  readonly stream: Stream.Stream<Notification>
}>()("@careline/adapter-memory/LiveEvents") {}

/** Enough for a burst of texts; a listener that falls further behind loses the oldest nudges, never the data. */
const capacity = 1024

/**
 * A `Notifier` for in-app live updates within one process: each notification goes to every open
 * listener (the server's event streams), which pick out the ones addressed to their staff member.
 * Publishing never waits for a slow listener.
 *
 * @example
 * ```ts
 * yield* Stream.runForEach(yield* LiveEvents.use((live) => Effect.succeed(live.stream)), render)
 * ```
 */
export const layer: Layer.Layer<Notifier | LiveEvents> = Layer.effectContext(
  Effect.map(PubSub.sliding<Notification>(capacity), (pubsub) =>
    Context.make(Notifier, Notifier.of({ publish: (notification) => Effect.asVoid(PubSub.publish(pubsub, notification)) })).pipe(
      Context.add(LiveEvents, LiveEvents.of({ stream: Stream.fromPubSub(pubsub) }))
    ))
)
