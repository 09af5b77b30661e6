import { randomBytes, randomUUID } from "node:crypto"
import { Ids } from "@careline/core"
import { Effect, Layer } from "effect"

/**
 * Production `Ids`: `next("msg")` gives `msg_<uuid v4>`; `secret` gives 256 random bits, base64url.
 *
 * @example
 * ```ts
 * const token = yield* Ids.use((ids) => ids.secret)
 * ```
 */
export const layer: Layer.Layer<Ids> = Layer.succeed(
  Ids,
  Ids.of({
    next: (prefix) => Effect.sync(() => `${prefix}_${randomUUID()}`),
    secret: Effect.sync(() => randomBytes(32).toString("base64url"))
  })
)
