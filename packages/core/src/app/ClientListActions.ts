import { Clock, Effect, Option, Schema } from "effect"
import { AccessDenied, canAccessClient } from "../AccessPolicy.js"
import { type ClientList, ClientListId, clientListName, usableMembers } from "../ClientList.js"
import type { ClientId, StaffId } from "../Ids.js"
import { NotFound } from "../NotFound.js"
import { ClientLists } from "../ports/ClientLists.js"
import { Directory } from "../ports/Directory.js"
import { Ids } from "../ports/Ids.js"
import type { Staff } from "../Staff.js"
import { audit } from "./Audit.js"
import { requireStaff } from "./Lookup.js"

/** A list that cannot be saved as asked (no name, a name too long, no client), with what to fix. */
export class InvalidClientList extends Schema.TaggedError<InvalidClientList>()("InvalidClientList", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}

const activeStaff = (staffId: StaffId) =>
  Effect.gen(function* () {
    const staff = yield* requireStaff(staffId)
    if (!staff.active) return yield* new AccessDenied({ reason: "StaffInactive" })
    return staff
  })

const nameOrRefuse = (text: string) => {
  const parsed = clientListName(text)
  return parsed.ok ? Effect.succeed(parsed.name) : Effect.fail(new InvalidClientList({ reason: parsed.problem }))
}

/** Which of these clients the staff member may access now (their organisation; a specialist's current assignments). */
const accessibleOf = (staff: Staff, clientIds: ReadonlyArray<ClientId>) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const reachable = new Set<ClientId>()
    for (const client of yield* directory.getClients([...new Set(clientIds)])) {
      if (canAccessClient(staff, client, yield* directory.assignmentsOfClient(client.id))._tag === "Allowed") reachable.add(client.id)
    }
    return reachable
  })

/** The staff member's own list; anyone else's (or none) is `NotFound`, so an id reveals nothing. */
const ownList = (staff: Staff, listId: ClientListId) =>
  Effect.gen(function* () {
    const found = yield* ClientLists.use((l) => l.get(listId))
    if (Option.isNone(found) || found.value.ownerId !== staff.id || found.value.organisationId !== staff.organisationId) {
      return yield* new NotFound({ entity: "client_list", id: listId })
    }
    return found.value
  })

const actor = (staff: Staff) => ({ organisationId: staff.organisationId, actor: { _tag: "Staff", staffId: staff.id } as const })

/**
 * Saves a named list of clients for bulk sends (S3). Only clients the staff member may access are
 * kept (the rest are dropped, not looked up for them); at least one must remain. Audited as
 * `client_list.create` with the list id and its size, never a name.
 */
export const createClientList = (input: { readonly staffId: StaffId; readonly name: string; readonly clientIds: ReadonlyArray<ClientId> }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const name = yield* nameOrRefuse(input.name)
    const reachable = yield* accessibleOf(staff, input.clientIds)
    const clientIds = [...new Set(input.clientIds)].filter((id) => reachable.has(id))
    if (clientIds.length === 0) return yield* new InvalidClientList({ reason: "Pick at least one of your clients for the list." })
    const now = yield* Clock.currentTimeMillis
    const list: ClientList = {
      id: ClientListId.make(yield* Ids.use((ids) => ids.next("lst"))),
      organisationId: staff.organisationId,
      ownerId: staff.id,
      name,
      clientIds,
      createdAt: now,
      updatedAt: now
    }
    yield* ClientLists.use((l) => l.save(list))
    yield* audit({ ...actor(staff), action: "client_list.create", detail: `list=${list.id} clients=${clientIds.length}` })
    return list
  })

/** The staff member's lists, by name. */
export const listClientLists = (input: { readonly staffId: StaffId }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const lists = yield* ClientLists.use((l) => l.listsOf(staff.id))
    return lists.filter((list) => list.organisationId === staff.organisationId)
  })

/** Renames one of the staff member's lists (`client_list.update`, by id only). */
export const renameClientList = (input: { readonly staffId: StaffId; readonly listId: ClientListId; readonly name: string }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const list = yield* ownList(staff, input.listId)
    const name = yield* nameOrRefuse(input.name)
    const renamed: ClientList = { ...list, name, updatedAt: yield* Clock.currentTimeMillis }
    yield* ClientLists.use((l) => l.save(renamed))
    yield* audit({ ...actor(staff), action: "client_list.update", detail: `list=${list.id} renamed` })
    return renamed
  })

/** Deletes one of the staff member's lists (`client_list.delete`); its clients are untouched. */
export const deleteClientList = (input: { readonly staffId: StaffId; readonly listId: ClientListId }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const list = yield* ownList(staff, input.listId)
    yield* ClientLists.use((l) => l.remove(list.id))
    yield* audit({ ...actor(staff), action: "client_list.delete", detail: `list=${list.id} clients=${list.clientIds.length}` })
  })

/**
 * One of the staff member's lists, ready to pre-select a bulk send: the clients they may still
 * access, and how many of the list's clients were left out (never who).
 */
export const useClientList = (input: { readonly staffId: StaffId; readonly listId: ClientListId }) =>
  Effect.gen(function* () {
    const staff = yield* activeStaff(input.staffId)
    const list = yield* ownList(staff, input.listId)
    const reachable = yield* accessibleOf(staff, list.clientIds)
    const { usable, leftOut } = usableMembers(list, (id) => reachable.has(id))
    return { list, clientIds: usable, leftOut }
  })
