import { Context, type Effect, type Option } from "effect"
import type { ClientList, ClientListId } from "../ClientList.js"
import type { StaffId } from "../Ids.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/**
 * Saved client lists (for bulk sends), each owned by one staff member. The access policy is the
 * application's: the store keeps what it is given.
 *
 * @example
 * ```ts
 * yield* ClientLists.use((l) => l.save(list))
 * const mine = yield* ClientLists.use((l) => l.listsOf(staff.id)) // by name
 * ```
 */
export class ClientLists extends Context.Service<ClientLists, {
  /** Stores the list, replacing any stored under its id (name, members and all). */
  readonly save: (list: ClientList) => Io<void>
  readonly get: (id: ClientListId) => Io<Option.Option<ClientList>>
  /** The staff member's lists, by name (then id). */
  readonly listsOf: (ownerId: StaffId) => Io<ReadonlyArray<ClientList>>
  /** Removes the list; false when there was none. */
  readonly remove: (id: ClientListId) => Io<boolean>
}>()("@careline/core/ClientLists") {}
