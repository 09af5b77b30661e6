import { Context, type Effect } from "effect"

/** Where new identifiers and secrets come from, so the core stays free of randomness. */
export class Ids extends Context.Service<Ids, {
  /** A new unique id, e.g. `msg_01J…`; the prefix says what it names. */
  readonly next: (prefix: string) => Effect.Effect<string>
  /** An unguessable token (≥ 128 bits), for reply links and the like. */
  readonly secret: Effect.Effect<string>
}>()("@careline/core/Ids") {}
