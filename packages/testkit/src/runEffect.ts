import { Effect, type Layer } from "effect"

/**
 * Runs an Effect against a fresh build of `layer` and resolves with its value (or rejects with
 * its failure), so plain vitest tests can exercise Effects. A fresh layer per run keeps tests apart.
 */
export const runWith =
  <R, E0>(layer: Layer.Layer<R, E0>) =>
  <A, E>(effect: Effect.Effect<A, E, R>): Promise<A> =>
    Effect.runPromise(effect.pipe(Effect.provide(layer, { local: true })))
