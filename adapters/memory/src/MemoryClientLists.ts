import { type ClientList, ClientLists, compareClientLists } from "@careline/core"
import { Effect, Option, Ref } from "effect"

/** `ClientLists` in memory, by list id, over its own state; each build starts empty. */
export const makeClientLists = Effect.map(Ref.make<ReadonlyMap<string, ClientList>>(new Map()), (ref) =>
  ClientLists.of({
    save: (list) => Ref.update(ref, (lists) => new Map(lists).set(list.id, { ...list, clientIds: [...list.clientIds] })),
    get: (id) => Effect.map(Ref.get(ref), (lists) => Option.fromUndefinedOr(lists.get(id))),
    listsOf: (ownerId) => Effect.map(Ref.get(ref), (lists) => [...lists.values()].filter((l) => l.ownerId === ownerId).sort(compareClientLists)),
    remove: (id) =>
      Ref.modify(ref, (lists) => {
        if (!lists.has(id)) return [false, lists]
        const next = new Map(lists)
        next.delete(id)
        return [true, next]
      })
  }))
