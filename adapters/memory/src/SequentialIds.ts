import { Ids } from "@careline/core"
import { Effect, Layer, Ref } from "effect"

/** Four 32-bit mixes of `n` (a splitmix-style finaliser): distinct, stable, random-looking hex. */
const hex32 = (n: number): string =>
  [1, 2, 3, 4]
    .map((lane) => {
      let x = Math.imul(n ^ (lane * 0x9e3779b9), 0x85ebca6b)
      x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
      x ^= x >>> 16
      return (x >>> 0).toString(16).padStart(8, "0")
    })
    .join("")

/**
 * Deterministic `Ids` for tests. `next("msg")` gives `msg_000001`, `msg_000002`, … (one counter for all
 * prefixes, zero-padded to six digits so ids sort in creation order). `secret` gives 32 hex characters
 * derived from its own counter: same sequence on every run, and therefore NOT unguessable — never use
 * this layer outside tests (use `RandomIds.layer`).
 *
 * @example
 * ```ts
 * const id = yield* Ids.use((ids) => ids.next("ch")) // "ch_000001"
 * ```
 */
export const layer: Layer.Layer<Ids> = Layer.effect(
  Ids,
  Effect.gen(function* () {
    const ids = yield* Ref.make(0)
    const secrets = yield* Ref.make(0)
    return Ids.of({
      next: (prefix) => Ref.modify(ids, (n) => [`${prefix}_${String(n + 1).padStart(6, "0")}`, n + 1]),
      secret: Ref.modify(secrets, (n) => [hex32(n + 1), n + 1])
    })
  })
)
