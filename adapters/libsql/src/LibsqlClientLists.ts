import { ClientList, ClientLists, compareClientLists, type StaffId } from "@careline/core"
import { asc, eq, inArray } from "drizzle-orm"
import { Effect } from "effect"
import type { Database } from "./Database.js"
import { decodeAll, decodeFirst, decoder } from "./Decode.js"
import * as t from "./schema.js"
import type { Sql } from "./WriteBatcher.js"

const decodeList = decoder("client list", ClientList)

type ListRow = typeof t.clientLists.$inferSelect

/** The lists' rows with their members, in list order. */
const withMembers = async (db: Sql, rows: ReadonlyArray<ListRow>) => {
  if (rows.length === 0) return []
  const members = await db
    .select()
    .from(t.clientListMembers)
    .where(inArray(t.clientListMembers.listId, rows.map((row) => row.id)))
    .orderBy(asc(t.clientListMembers.position))
  return rows.map((row) => ({ ...row, clientIds: members.filter((m) => m.listId === row.id).map((m) => m.clientId) }))
}

/**
 * `ClientLists` over `client_lists` and `client_list_members` (position keeps the list's order; members
 * go with their list). A save replaces the list's name and members in one transaction.
 */
export const make = (database: Database) =>
  ClientLists.of({
    save: (list) =>
      database.write("ClientLists.save", async (tx) => {
        const row = { organisationId: list.organisationId, ownerId: list.ownerId, name: list.name, createdAt: list.createdAt, updatedAt: list.updatedAt }
        await tx.insert(t.clientLists).values({ id: list.id, ...row }).onConflictDoUpdate({ target: t.clientLists.id, set: row })
        await tx.delete(t.clientListMembers).where(eq(t.clientListMembers.listId, list.id))
        const clientIds = [...new Set(list.clientIds)]
        if (clientIds.length > 0) {
          await tx.insert(t.clientListMembers).values(clientIds.map((clientId, position) => ({ listId: list.id, clientId, position })))
        }
      }),
    get: (id) =>
      database
        .read("ClientLists.get", async (db) => withMembers(db, await db.select().from(t.clientLists).where(eq(t.clientLists.id, id))))
        .pipe(Effect.flatMap(decodeFirst(decodeList("ClientLists.get")))),
    listsOf: (ownerId: StaffId) =>
      database
        .read("ClientLists.listsOf", async (db) =>
          withMembers(db, await db.select().from(t.clientLists).where(eq(t.clientLists.ownerId, ownerId))))
        .pipe(Effect.flatMap(decodeAll(decodeList("ClientLists.listsOf"))), Effect.map((lists) => [...lists].sort(compareClientLists))),
    remove: (id) =>
      database.write("ClientLists.remove", async (tx) => {
        await tx.delete(t.clientListMembers).where(eq(t.clientListMembers.listId, id))
        const removed = await tx.delete(t.clientLists).where(eq(t.clientLists.id, id)).returning({ id: t.clientLists.id })
        return removed.length > 0
      })
  })
