import { type Notification, Notifier } from "@careline/core"
import { Context, Effect, Layer, Ref } from "effect"

/** Read side of the in-memory notifier: what has been published so far, in publish order. */
export class NotificationLog extends Context.Service<NotificationLog, {
  readonly all: Effect.Effect<ReadonlyArray<Notification>>
}>()("@careline/adapter-memory/NotificationLog") {}

const make = Effect.map(Ref.make<ReadonlyArray<Notification>>([]), (published) => ({
  notifier: Notifier.of({ publish: (notification) => Ref.update(published, (all) => [...all, notification]) }),
  log: NotificationLog.of({ all: Ref.get(published) })
}))

/**
 * A `Notifier` that records what it publishes, together with the `NotificationLog` to read it.
 *
 * @example
 * ```ts
 * const published = yield* NotificationLog.use((log) => log.all)
 * ```
 */
export const layerWithLog: Layer.Layer<Notifier | NotificationLog> = Layer.effectContext(
  Effect.map(make, ({ log, notifier }) => Context.make(Notifier, notifier).pipe(Context.add(NotificationLog, log)))
)

/** A `Notifier` that records what it publishes, for when nobody reads it back (use {@link layerWithLog} to). */
export const layer: Layer.Layer<Notifier> = Layer.effect(Notifier, Effect.map(make, ({ notifier }) => notifier))
