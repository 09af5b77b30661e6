import { type OutboxEntry, OutboxStore } from "@careline/core"
import { HashMap, Ref } from "effect"
import { compareStrings, type MemoryRef, read } from "./MemoryState.js"

const oldestFirst = (a: OutboxEntry, b: OutboxEntry): number => a.createdAt - b.createdAt || compareStrings(a.id, b.id)

/** `OutboxStore` over the shared in-memory state; a claim is one `Ref.modify`, so two claims never overlap. */
export const makeOutboxStore = (ref: MemoryRef) =>
  OutboxStore.of({
    claimDue: (now, limit) =>
      Ref.modify(ref, (s) => {
        const claimed = HashMap.toValues(HashMap.filter(s.outbox, (e) => e.state === "pending" && e.notBefore <= now))
          .sort(oldestFirst)
          .slice(0, Math.max(0, limit))
          .map((e): OutboxEntry => ({ ...e, state: "sending" }))
        if (claimed.length === 0) return [claimed, s]
        return [claimed, { ...s, outbox: HashMap.setMany(s.outbox, claimed.map((e) => [e.id, e] as const)) }]
      }),
    save: (entry) => Ref.update(ref, (s) => ({ ...s, outbox: HashMap.set(s.outbox, entry.id, entry) })),
    get: (id) => read(ref, (s) => HashMap.get(s.outbox, id)),
    listByState: (state) =>
      read(ref, (s) => HashMap.toValues(HashMap.filter(s.outbox, (e) => e.state === state)).sort(oldestFirst))
  })
