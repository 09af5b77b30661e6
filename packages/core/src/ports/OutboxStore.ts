import { Context, type Effect, type Option } from "effect"
import type { OutboxId } from "../Ids.js"
import type { OutboxEntry, OutboxState } from "../Outbox.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/** The durable queue of sends; entries are written by `Conversations.recordOutbound`. */
export class OutboxStore extends Context.Service<OutboxStore, {
  /**
   * Atomically moves up to `limit` pending entries due at `now` to `sending` with a lease until
   * `leaseUntil` (kept in `notBefore`), oldest first, and returns them. A leased entry is never
   * claimed again, by this worker or another sharing the store.
   */
  readonly claimDue: (now: number, limit: number, leaseUntil: number) => Io<ReadonlyArray<OutboxEntry>>
  /**
   * Atomically moves every `sending` entry whose lease ended at or before `now` to `unknown` (with
   * `lastError` `LEASE_EXPIRED`) and returns them; live leases are left alone.
   */
  readonly expireLeases: (now: number) => Io<ReadonlyArray<OutboxEntry>>
  readonly save: (entry: OutboxEntry) => Io<void>
  readonly get: (id: OutboxId) => Io<Option.Option<OutboxEntry>>
  readonly listByState: (state: OutboxState) => Io<ReadonlyArray<OutboxEntry>>
}>()("@careline/core/OutboxStore") {}
