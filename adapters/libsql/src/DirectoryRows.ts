/** Directory records ↔ rows: a client is a `clients` row and its `client_phones`, a queue its `queue_members`. */
import type { Client, Line, Staff } from "@careline/core"
import { asc, eq, inArray } from "drizzle-orm"
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

export const clientFromRows = (row: Row<typeof t.clients>, phones: ReadonlyArray<Row<typeof t.clientPhones>>) =>
  withoutNulls({
    id: row.id,
    organisationId: row.organisationId,
    name: row.name,
    active: row.active,
    blocked: row.blocked,
    email: row.email,
    timeZone: row.timeZone,
    phones: phones.map((p) => ({ number: p.phone, label: p.label, primary: p.primary, okayToText: p.okayToText }))
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

export const queueFromRows = (row: Row<typeof t.queues>, members: ReadonlyArray<Row<typeof t.queueMembers>>) =>
  withoutNulls({
    id: row.id,
    organisationId: row.organisationId,
    name: row.name,
    members: members.map((m) => m.staffId),
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

/** Phones of some clients, grouped per client in their stored order. */
export const phonesOf = async (db: Sql, clientIds: ReadonlyArray<string>) => {
  const rows =
    clientIds.length === 0
      ? []
      : await db
          .select()
          .from(t.clientPhones)
          .where(inArray(t.clientPhones.clientId, [...clientIds]))
          .orderBy(asc(t.clientPhones.clientId), asc(t.clientPhones.position))
  const byClient = new Map<string, Array<Row<typeof t.clientPhones>>>()
  for (const row of rows) byClient.set(row.clientId, [...(byClient.get(row.clientId) ?? []), row])
  return byClient
}

export const clientsWithPhones = async (db: Sql, rows: ReadonlyArray<Row<typeof t.clients>>) => {
  const phones = await phonesOf(db, rows.map((r) => r.id))
  return rows.map((row) => clientFromRows(row, phones.get(row.id) ?? []))
}

/** The client with this id, with its phones (none or one). */
export const selectClient = async (db: Sql, id: string) => clientsWithPhones(db, await db.select().from(t.clients).where(eq(t.clients.id, id)))

export const queuesWithMembers = async (db: Sql, rows: ReadonlyArray<Row<typeof t.queues>>) => {
  const members =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(t.queueMembers)
          .where(inArray(t.queueMembers.queueId, rows.map((r) => r.id)))
          .orderBy(asc(t.queueMembers.queueId), asc(t.queueMembers.position))
  return rows.map((row) => queueFromRows(row, members.filter((m) => m.queueId === row.id)))
}
