import { Effect, Layer } from "effect"

const describeFailure = (error: unknown): string => {
  if (error instanceof Error) return error.message
  if (typeof error === "string") return error
  try {
    return JSON.stringify(error) ?? String(error)
  } catch {
    return String(error)
  }
}

/** The layer a test runs against could not be built (a database that does not open, …); the message says why. */
export class LayerBuildFailed extends Error {
  constructor(readonly error: unknown) {
    super(`the layer under test failed to build: ${describeFailure(error)}`, { cause: error })
    this.name = "LayerBuildFailed"
  }
}

/**
 * Runs an Effect against a fresh build of `layer` and resolves with its value (or rejects with
 * its failure), so plain vitest tests can exercise Effects. A fresh layer per run keeps tests apart.
 * A layer that fails to build (a real database's may) rejects with a {@link LayerBuildFailed} that
 * carries the build error's message; its resources are released after each run.
 */
export const runWith =
  <R, E0>(layer: Layer.Layer<R, E0>) =>
  <A, E>(effect: Effect.Effect<A, E, R>): Promise<A> =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const context = yield* Layer.build(layer).pipe(Effect.mapError((error) => new LayerBuildFailed(error)))
          return yield* Effect.provideContext(effect, context)
        })
      )
    )
