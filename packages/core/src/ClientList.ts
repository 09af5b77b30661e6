import { Schema } from "effect"
import { ClientId, Millis, OrganisationId, StaffId } from "./Ids.js"
import { hasControlCharacters } from "./Text.js"

export const ClientListId = Schema.String.pipe(Schema.brand("ClientListId"))
export type ClientListId = typeof ClientListId.Type

/** The longest list name: enough to say what the list is for, short enough for a picker. */
export const CLIENT_LIST_NAME_MAX = 80

/** A list name: trimmed, 1–80 characters. */
export const ClientListName = Schema.String.check(
  Schema.isMinLength(1, { message: "Give the list a name." }),
  Schema.isMaxLength(CLIENT_LIST_NAME_MAX, { message: `Use at most ${CLIENT_LIST_NAME_MAX} characters for the name.` })
)

/**
 * A saved list of clients for bulk sends (S3 "a list of clients that has been created"). It belongs
 * to the staff member who made it (and so to their organisation); members keep their order.
 */
export const ClientList = Schema.Struct({
  id: ClientListId,
  organisationId: OrganisationId,
  ownerId: StaffId,
  name: ClientListName,
  clientIds: Schema.Array(ClientId),
  createdAt: Millis,
  updatedAt: Millis
})
export type ClientList = typeof ClientList.Type

/** A list name as typed, trimmed; or why it cannot be one. */
export const clientListName = (text: string): { readonly ok: true; readonly name: string } | { readonly ok: false; readonly problem: string } => {
  const name = text.trim()
  if (name === "") return { ok: false, problem: "Give the list a name." }
  if (name.length > CLIENT_LIST_NAME_MAX) return { ok: false, problem: `Use at most ${CLIENT_LIST_NAME_MAX} characters for the name.` }
  // Control characters are never part of a name (and a NUL would not survive storage intact).
  if (hasControlCharacters(name)) return { ok: false, problem: "Use letters, numbers, spaces and punctuation only in the name." }
  return { ok: true, name }
}

/**
 * The list's clients the staff member may still use (in list order, once each), and how many were
 * left out: a list outlives assignments, so a specialist's list may name clients they no longer reach.
 */
export const usableMembers = (list: ClientList, mayAccess: (clientId: ClientId) => boolean) => {
  const unique = [...new Set(list.clientIds)]
  const usable = unique.filter(mayAccess)
  return { usable, leftOut: unique.length - usable.length }
}

/** The order lists are shown in: by name, case aside, then by id. Every store sorts with it. */
export const compareClientLists = (a: ClientList, b: ClientList): number =>
  a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
