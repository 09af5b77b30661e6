/** Directory records ↔ rows: a client is a `clients` row and its `client_phones`, a queue its `queue_members`. */
import type { Client, Line, Staff } from "@careline/core"
import { asc, eq, getTableColumns, type SQL, sql } from "drizzle-orm"
import { parseJson, withoutNulls } from "./Decode.js"
import * as t from "./schema.js"
import type { Sql } from "./WriteBatcher.js"

type Row<T extends { $inferSelect: unknown }> = T["$inferSelect"]

export const organisationFromRow = (row: Row<typeof t.organisations>) => ({
  id: row.id,
  name: row.name,
  businessHours: parseJson(row.businessHours),
  templates: parseJson(row.templates),
  ...(row.crisisWords === null ? {} : { crisisWords: parseJson(row.crisisWords) }),
  ...(row.portalShowsSms === null ? {} : { portalShowsSms: row.portalShowsSms }),
  ...(row.emailCarriesContent === null ? {} : { emailCarriesContent: row.emailCarriesContent })
})

export const staffFromRow = (row: Row<typeof t.staff>) => withoutNulls({ ...row })

/** A client's phones as one JSON column of its row, in their stored order: `[[phone, label, is_primary, okay_to_text], …]`. */
const phonesJson = sql<string>`(SELECT json_group_array(json_array(phone, label, is_primary, okay_to_text) ORDER BY position) FROM client_phones WHERE client_id = ${t.clients.id})`

/** The phones of {@link phonesJson}, booleans as drizzle reads a boolean column; anything else is left for the decoder to refuse. */
const phonesFromJson = (text: string): unknown => {
  const cells = parseJson(text)
  return Array.isArray(cells)
    ? cells.map((c: unknown) =>
      Array.isArray(c) ? { number: c[0], label: c[1], primary: Number(c[2]) === 1, okayToText: Number(c[3]) === 1 } : c)
    : cells
}

export const clientFromRow = (row: Row<typeof t.clients> & { readonly phones: string }) =>
  withoutNulls({
    id: row.id,
    organisationId: row.organisationId,
    name: row.name,
    active: row.active,
    blocked: row.blocked,
    email: row.email,
    timeZone: row.timeZone,
    phones: phonesFromJson(row.phones)
  })

export const lineFromRow = (row: Row<typeof t.lines>) => ({
  id: row.id,
  organisationId: row.organisationId,
  number: row.number,
  owner:
    row.ownerKind === "Staff"
      ? { _tag: "Staff", staffId: row.ownerStaffId }
      : row.ownerKind === "Queue"
        ? { _tag: "Queue", queueId: row.ownerQueueId }
        : { _tag: row.ownerKind },
  ratePerSecond: row.ratePerSecond
})

/** A queue's members as one JSON column of its row, in their stored order. */
export const membersJson = sql<string>`(SELECT json_group_array(staff_id ORDER BY position) FROM queue_members WHERE queue_id = ${t.queues.id})`

export const queueFromRow = (row: Row<typeof t.queues>, members: string) =>
  withoutNulls({
    id: row.id,
    organisationId: row.organisationId,
    name: row.name,
    members: parseJson(members),
    businessHours: row.businessHours === null ? null : parseJson(row.businessHours),
    afterHoursReply: row.afterHoursReply
  })

export const assignmentFromRow = (row: Row<typeof t.assignments>) =>
  withoutNulls({ staffId: row.staffId, clientId: row.clientId, from: row.startedAt, until: row.endedAt })

export const lineRow = (line: Line) => ({
  id: line.id,
  organisationId: line.organisationId,
  number: line.number,
  ownerKind: line.owner._tag,
  ownerStaffId: line.owner._tag === "Staff" ? line.owner.staffId : null,
  ownerQueueId: line.owner._tag === "Queue" ? line.owner.queueId : null,
  ratePerSecond: line.ratePerSecond
})

export const writeStaff = async (db: Sql, staff: Staff) => {
  const row = { organisationId: staff.organisationId, name: staff.name, email: staff.email ?? null, role: staff.role, active: staff.active }
  await db.insert(t.staff).values({ id: staff.id, ...row }).onConflictDoUpdate({ target: t.staff.id, set: row })
}

/** Upserts the client and replaces its phones. */
export const writeClient = async (db: Sql, client: Client) => {
  const row = {
    organisationId: client.organisationId,
    name: client.name,
    active: client.active,
    blocked: client.blocked,
    email: client.email ?? null,
    timeZone: client.timeZone ?? null
  }
  await db.insert(t.clients).values({ id: client.id, ...row }).onConflictDoUpdate({ target: t.clients.id, set: row })
  await db.delete(t.clientPhones).where(eq(t.clientPhones.clientId, client.id))
  if (client.phones.length > 0) {
    await db.insert(t.clientPhones).values(
      client.phones.map((p, position) => ({
        clientId: client.id,
        position,
        phone: p.number,
        label: p.label,
        primary: p.primary,
        okayToText: p.okayToText
      }))
    )
  }
}

const clientsWhere = (db: Sql, where: SQL | undefined) =>
  db.select({ ...getTableColumns(t.clients), phones: phonesJson }).from(t.clients).where(where).orderBy(asc(t.clients.id))

/** Clients with their phones, in id order: one statement. */
export const selectClients = async (db: Sql, where: SQL | undefined) => (await clientsWhere(db, where)).map(clientFromRow)

/** {@link selectClients} as a prepared query (`where` holds placeholders); its rows go through `clientFromRow`. */
export const prepareClients = (db: Sql, where: SQL | undefined) => clientsWhere(db, where).prepare()

/** The client with this id, with its phones (none or one). */
export const selectClient = (db: Sql, id: string) => selectClients(db, eq(t.clients.id, id))

/** Queues with their members, in id order: one statement. */
export const selectQueues = async (db: Sql, where: SQL | undefined) =>
  (await db.select({ queue: t.queues, members: membersJson }).from(t.queues).where(where).orderBy(asc(t.queues.id)))
    .map((row) => queueFromRow(row.queue, row.members))
