import { LEASE_EXPIRED, type OutboxEntry, OutboxStore } from "@careline/core"
import { HashMap, Ref } from "effect"
import { compareStrings, type MemoryRef, read } from "./MemoryState.js"

const oldestFirst = (a: OutboxEntry, b: OutboxEntry): number => a.createdAt - b.createdAt || compareStrings(a.id, b.id)

/** Moves the entries `select` picks through `change`, in one `Ref.modify`, and returns them changed. */
const transition = (
  ref: MemoryRef,
  select: (entries: Array<OutboxEntry>) => Array<OutboxEntry>,
  change: (entry: OutboxEntry) => OutboxEntry
) =>
  Ref.modify(ref, (s) => {
    const changed = select(HashMap.toValues(s.outbox).sort(oldestFirst)).map(change)
    if (changed.length === 0) return [changed, s]
    return [changed, { ...s, outbox: HashMap.setMany(s.outbox, changed.map((e) => [e.id, e] as const)) }]
  })

/** `OutboxStore` over the shared in-memory state; a claim is one `Ref.modify`, so two claims never overlap. */
export const makeOutboxStore = (ref: MemoryRef) =>
  OutboxStore.of({
    claimDue: (now, limit, leaseUntil) =>
      transition(
        ref,
        (entries) => entries.filter((e) => e.state === "pending" && e.notBefore <= now).slice(0, Math.max(0, limit)),
        (e) => ({ ...e, state: "sending", notBefore: leaseUntil })
      ),
    expireLeases: (now) =>
      transition(
        ref,
        (entries) => entries.filter((e) => e.state === "sending" && e.notBefore <= now),
        (e) => ({ ...e, state: "unknown", lastError: LEASE_EXPIRED })
      ),
    save: (entry) => Ref.update(ref, (s) => ({ ...s, outbox: HashMap.set(s.outbox, entry.id, entry) })),
    get: (id) => read(ref, (s) => HashMap.get(s.outbox, id)),
    listByState: (state) =>
      read(ref, (s) => HashMap.toValues(HashMap.filter(s.outbox, (e) => e.state === state)).sort(oldestFirst))
  })
