import {
  Assignment,
  Client,
  Directory,
  Line,
  Organisation,
  Queue,
  Staff,
  type ClientId
} from "@careline/core"
import { and, asc, eq, exists, inArray, isNull, or, sql } from "drizzle-orm"
import { Effect, Option } from "effect"
import type { Database } from "./Database.js"
import { decodeAll, decodeFirst, decoder, decoderSync } from "./Decode.js"
import {
  assignmentFromRow,
  clientFromRow,
  lineFromRow,
  lineRow,
  membersJson,
  organisationFromRow,
  prepareClients,
  queueFromRow,
  selectClient,
  selectClients,
  selectQueues,
  staffFromRow,
  writeClient,
  writeStaff
} from "./DirectoryRows.js"
import { preparedQueries } from "./Prepared.js"
import * as t from "./schema.js"
import type { Sql } from "./WriteBatcher.js"

const decodeOrganisation = decoder("organisation", Organisation)
const decodeStaff = decoder("staff member", Staff)
const decodeStaffSync = decoderSync("staff member", Staff)
const decodeClient = decoder("client", Client)
const decodeClientSync = decoderSync("client", Client)
const decodeLine = decoder("line", Line)
const decodeQueue = decoder("queue", Queue)
const decodeAssignment = decoder("assignment", Assignment)

// The reads of every request (bearer check, the policy's lines, an inbox page's clients), prepared once per connection.
const staffQuery = (db: Sql) => db.select().from(t.staff).where(eq(t.staff.id, sql.placeholder("id"))).prepare()
const staffQueries = preparedQueries<ReturnType<typeof staffQuery>>()

const linesOfStaffQuery = (db: Sql) =>
  db
    .select({ line: t.lines, queue: t.queues, members: membersJson })
    .from(t.lines)
    .leftJoin(t.queues, and(eq(t.queues.id, t.lines.ownerQueueId), eq(t.queues.organisationId, t.lines.organisationId)))
    .where(and(
      eq(t.lines.organisationId, sql.placeholder("organisationId")),
      or(
        eq(t.lines.ownerKind, "Organisation"),
        eq(t.lines.ownerStaffId, sql.placeholder("staffId")),
        exists(db.select({ one: sql`1` }).from(t.queueMembers).where(and(eq(t.queueMembers.queueId, t.queues.id), eq(t.queueMembers.staffId, sql.placeholder("staffId")))))
      )
    ))
    .orderBy(asc(t.lines.id))
    .prepare()
const linesOfStaffQueries = preparedQueries<ReturnType<typeof linesOfStaffQuery>>()

/** Clients by id, the ids as one JSON array: one statement text (and one prepared query) for any number of them. */
const clientsQuery = (db: Sql) => prepareClients(db, inArray(t.clients.id, sql`(SELECT value FROM json_each(${sql.placeholder("ids")}))`))
const clientsQueries = preparedQueries<ReturnType<typeof clientsQuery>>()

/** The assignments of clients by id (a search page's policy check), the ids as one JSON array. */
const assignmentsQuery = (db: Sql) =>
  db.select().from(t.assignments).where(inArray(t.assignments.clientId, sql`(SELECT value FROM json_each(${sql.placeholder("ids")}))`))
    .orderBy(asc(t.assignments.clientId), asc(t.assignments.seq))
    .prepare()
const assignmentsQueries = preparedQueries<ReturnType<typeof assignmentsQuery>>()

/**
 * `Directory` over libSQL. Clients and queues are written with their phones and members in one
 * savepoint; `update*` read, change and write in one, so concurrent updates never lose one another;
 * lists answer in id order. A line number is unique in the database, and assignment history
 * is appended (`seq`) and only ever closed.
 */
export const makeDirectory = (database: Database) =>
  Directory.of({
    putOrganisation: (organisation) =>
      database.write("Directory.putOrganisation", async (tx) => {
        const row = {
          name: organisation.name,
          businessHours: JSON.stringify(organisation.businessHours),
          templates: JSON.stringify(organisation.templates),
          crisisWords: organisation.crisisWords === undefined ? null : JSON.stringify(organisation.crisisWords),
          portalShowsSms: organisation.portalShowsSms ?? null,
          emailCarriesContent: organisation.emailCarriesContent ?? null
        }
        await tx.insert(t.organisations).values({ id: organisation.id, ...row }).onConflictDoUpdate({ target: t.organisations.id, set: row })
      }),
    getOrganisation: (id) =>
      database
        .read("Directory.getOrganisation", (db) => db.select().from(t.organisations).where(eq(t.organisations.id, id)))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeOrganisation("Directory.getOrganisation"))(rows.map(organisationFromRow)))),

    putStaff: (staff) => database.write("Directory.putStaff", (tx) => writeStaff(tx, staff)),
    updateStaff: (id, change) =>
      database.write("Directory.updateStaff", async (tx) => {
        const [row] = await tx.select().from(t.staff).where(eq(t.staff.id, id))
        if (row === undefined) return Option.none()
        const after = change(decodeStaffSync(staffFromRow(row)))
        await writeStaff(tx, after)
        return Option.some(after)
      }),
    getStaff: (id) =>
      database
        .read("Directory.getStaff", (db) => staffQueries(db, "byId", () => staffQuery(db)).all({ id }))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeStaff("Directory.getStaff"))(rows.map(staffFromRow)))),
    listStaff: (organisationId) =>
      database
        .read("Directory.listStaff", (db) =>
          db.select().from(t.staff).where(eq(t.staff.organisationId, organisationId)).orderBy(asc(t.staff.id))
        )
        .pipe(Effect.flatMap((rows) => decodeAll(decodeStaff("Directory.listStaff"))(rows.map(staffFromRow)))),

    putClient: (client) => database.write("Directory.putClient", (tx) => writeClient(tx, client)),
    updateClient: (id, change) =>
      database.write("Directory.updateClient", async (tx) => {
        const [stored] = await selectClient(tx, id)
        if (stored === undefined) return Option.none()
        const after = change(decodeClientSync(stored))
        await writeClient(tx, after)
        return Option.some(after)
      }),
    getClient: (id) =>
      database
        .read("Directory.getClient", (db) => selectClient(db, id))
        .pipe(Effect.flatMap(decodeFirst(decodeClient("Directory.getClient")))),
    getClients: (ids) =>
      ids.length === 0
        ? Effect.succeed([])
        : database
            .read("Directory.getClients", async (db) =>
              (await clientsQueries(db, "byIds", () => clientsQuery(db)).all({ ids: JSON.stringify([...new Set(ids)]) })).map(clientFromRow))
            .pipe(Effect.flatMap(decodeAll(decodeClient("Directory.getClients")))),
    listClients: (organisationId) =>
      database
        .read("Directory.listClients", (db) => selectClients(db, eq(t.clients.organisationId, organisationId)))
        .pipe(Effect.flatMap(decodeAll(decodeClient("Directory.listClients")))),
    findClientsByPhone: (organisationId, phone) =>
      database
        .read("Directory.findClientsByPhone", (db) => {
          const withPhone = db.select({ clientId: t.clientPhones.clientId }).from(t.clientPhones).where(eq(t.clientPhones.phone, phone))
          return selectClients(db, and(eq(t.clients.organisationId, organisationId), inArray(t.clients.id, withPhone)))
        })
        .pipe(Effect.flatMap(decodeAll(decodeClient("Directory.findClientsByPhone")))),

    putLine: (line) =>
      database.write("Directory.putLine", async (tx) => {
        const { id, ...row } = lineRow(line)
        await tx.insert(t.lines).values({ id, ...row }).onConflictDoUpdate({ target: t.lines.id, set: row })
      }),
    getLine: (id) =>
      database
        .read("Directory.getLine", (db) => db.select().from(t.lines).where(eq(t.lines.id, id)))
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeLine("Directory.getLine"))(rows.map(lineFromRow)))),
    findLineByNumber: (number) =>
      database
        .read("Directory.findLineByNumber", (db) =>
          db.select().from(t.lines).where(eq(t.lines.number, number)).orderBy(asc(t.lines.id)).limit(1)
        )
        .pipe(Effect.flatMap((rows) => decodeFirst(decodeLine("Directory.findLineByNumber"))(rows.map(lineFromRow)))),
    listLines: (organisationId) =>
      database
        .read("Directory.listLines", (db) =>
          db.select().from(t.lines).where(eq(t.lines.organisationId, organisationId)).orderBy(asc(t.lines.id))
        )
        .pipe(Effect.flatMap((rows) => decodeAll(decodeLine("Directory.listLines"))(rows.map(lineFromRow)))),
    linesOfStaff: (organisationId, staffId) =>
      database
        .read("Directory.linesOfStaff", (db) => linesOfStaffQueries(db, "ofStaff", () => linesOfStaffQuery(db)).all({ organisationId, staffId }))
        .pipe(Effect.flatMap(Effect.forEach((row) =>
          Effect.all({
            line: decodeLine("Directory.linesOfStaff")(lineFromRow(row.line)),
            queue: row.queue === null ? Effect.succeed(undefined) : decodeQueue("Directory.linesOfStaff")(queueFromRow(row.queue, row.members))
          })))),

    putQueue: (queue) =>
      database.write("Directory.putQueue", async (tx) => {
        const row = {
          organisationId: queue.organisationId,
          name: queue.name,
          businessHours: queue.businessHours === undefined ? null : JSON.stringify(queue.businessHours),
          afterHoursReply: queue.afterHoursReply ?? null
        }
        await tx.insert(t.queues).values({ id: queue.id, ...row }).onConflictDoUpdate({ target: t.queues.id, set: row })
        await tx.delete(t.queueMembers).where(eq(t.queueMembers.queueId, queue.id))
        if (queue.members.length > 0) {
          await tx.insert(t.queueMembers).values(queue.members.map((staffId, position) => ({ queueId: queue.id, position, staffId })))
        }
      }),
    getQueue: (id) =>
      database
        .read("Directory.getQueue", (db) => selectQueues(db, eq(t.queues.id, id)))
        .pipe(Effect.flatMap(decodeFirst(decodeQueue("Directory.getQueue")))),
    listQueues: (organisationId) =>
      database
        .read("Directory.listQueues", (db) => selectQueues(db, eq(t.queues.organisationId, organisationId)))
        .pipe(Effect.flatMap(decodeAll(decodeQueue("Directory.listQueues")))),

    startAssignment: (assignment) =>
      database.write("Directory.startAssignment", async (tx) => {
        await tx.insert(t.assignments).values({
          staffId: assignment.staffId,
          clientId: assignment.clientId,
          startedAt: assignment.from,
          endedAt: assignment.until ?? null
        })
      }),
    endAssignment: (staffId, clientId, at) =>
      database.write("Directory.endAssignment", async (tx) => {
        const closed = await tx
          .update(t.assignments)
          .set({ endedAt: at })
          .where(and(eq(t.assignments.staffId, staffId), eq(t.assignments.clientId, clientId), isNull(t.assignments.endedAt)))
        return closed.rowsAffected > 0
      }),
    assignmentsOfClient: (clientId: ClientId) =>
      database
        .read("Directory.assignmentsOfClient", (db) =>
          db.select().from(t.assignments).where(eq(t.assignments.clientId, clientId)).orderBy(asc(t.assignments.seq))
        )
        .pipe(Effect.flatMap((rows) => decodeAll(decodeAssignment("Directory.assignmentsOfClient"))(rows.map(assignmentFromRow)))),
    assignmentsOfClients: (clientIds) =>
      clientIds.length === 0
        ? Effect.succeed([])
        : database
            .read("Directory.assignmentsOfClients", (db) =>
              assignmentsQueries(db, "ofClients", () => assignmentsQuery(db)).all({ ids: JSON.stringify([...new Set(clientIds)]) }))
            .pipe(Effect.flatMap((rows) => decodeAll(decodeAssignment("Directory.assignmentsOfClients"))(rows.map(assignmentFromRow))))
  })
