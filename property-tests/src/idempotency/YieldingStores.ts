import { ConsentLedger, Conversations, Directory, type Stores } from "@careline/core"
import { Effect, Layer } from "effect"

/**
 * Yields to other fibers before every store operation, as a database round trip would. Over the
 * plain in-memory stores an application service runs start to end without a break, so
 * `concurrency: "unbounded"` would never interleave two webhooks; with this layer it does.
 */
const yielding = <S extends object>(service: S): S =>
  Object.fromEntries(
    Object.entries(service).map(([name, op]) => [
      name,
      typeof op === "function" ? (...args: Array<unknown>) => Effect.andThen(Effect.yieldNow, op(...args)) : op
    ])
  ) as S

export const yieldingStores = (stores: Layer.Layer<Stores, unknown>): Layer.Layer<Stores, unknown> => Layer.mergeAll(
  Layer.effect(Conversations, Conversations.useSync(yielding)),
  Layer.effect(Directory, Directory.useSync(yielding)),
  Layer.effect(ConsentLedger, ConsentLedger.useSync(yielding))
).pipe(Layer.provideMerge(stores))
