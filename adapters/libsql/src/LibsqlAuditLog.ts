import { AuditEvent, AuditLog } from "@careline/core"
import { and, asc, desc, eq } from "drizzle-orm"
import { Effect } from "effect"
import { chainHash, lastHash } from "./AuditChain.js"
import type { Database } from "./Database.js"
import { decodeAll, decoder, withoutNulls } from "./Decode.js"
import * as t from "./schema.js"

type Row = typeof t.auditLog.$inferSelect

const decodeEvent = decoder("audit event", AuditEvent)

const eventFromRow = (row: Row) =>
  withoutNulls({
    id: row.id,
    organisationId: row.organisationId,
    at: row.at,
    actor: row.actorKind === "Staff" ? { _tag: "Staff", staffId: row.actorStaffId } : { _tag: row.actorKind },
    action: row.action,
    clientId: row.clientId,
    channelId: row.channelId,
    detail: row.detail
  })

/** `AuditLog` over libSQL: append-only (triggers refuse the rest) and hash-chained (see `AuditChain`), in `seq` order; `offset` skips the newest matches, `limit` keeps the newest left. */
export const makeAuditLog = (database: Database) =>
  AuditLog.of({
    append: (event) =>
      database.write("AuditLog.append", async (tx) => {
        const fields = {
          id: event.id,
          organisationId: event.organisationId,
          at: event.at,
          actorKind: event.actor._tag,
          actorStaffId: event.actor._tag === "Staff" ? event.actor.staffId : null,
          action: event.action,
          clientId: event.clientId ?? null,
          channelId: event.channelId ?? null,
          detail: event.detail ?? null
        }
        const prevHash = await lastHash(tx)
        await tx.insert(t.auditLog).values({ ...fields, prevHash, hash: chainHash(prevHash, fields) })
      }),
    list: (organisationId, query) => {
      const limit = query.limit === undefined ? undefined : Math.max(0, Math.floor(query.limit))
      if (limit === 0) return Effect.succeed([])
      return database
        .read("AuditLog.list", async (db) => {
          const where = and(
            eq(t.auditLog.organisationId, organisationId),
            query.clientId === undefined ? undefined : eq(t.auditLog.clientId, query.clientId),
            query.actorStaffId === undefined ? undefined : eq(t.auditLog.actorStaffId, query.actorStaffId),
            query.action === undefined ? undefined : eq(t.auditLog.action, query.action)
          )
          const offset = Math.max(0, Math.floor(query.offset ?? 0))
          if (limit === undefined && offset === 0) return db.select().from(t.auditLog).where(where).orderBy(asc(t.auditLog.seq))
          // SQLite takes an OFFSET only after a LIMIT: without one, the largest there is.
          const newest = await db.select().from(t.auditLog).where(where).orderBy(desc(t.auditLog.seq)).limit(limit ?? Number.MAX_SAFE_INTEGER).offset(offset)
          return newest.reverse()
        })
        .pipe(Effect.flatMap((rows) => decodeAll(decodeEvent("AuditLog.list"))(rows.map(eventFromRow))))
    }
  })
