import {
  AuditLog,
  ChannelId,
  ClientId,
  ConsentLedger,
  Conversations,
  Directory,
  LineId,
  MessageId,
  OrganisationId,
  StaffId
} from "@careline/core"
import { makeAuditEvent, makeChannel, makeConsentEntry, makeLine, makeMessage, makeStaff } from "@careline/testkit"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { Database } from "./Database.js"
import { inbound, phone, runSeeded } from "./testing/Seed.js"

/** Runs raw SQL on the lane and gives back the error it failed with (a statement that succeeds is a defect). */
const refusedSql = (database: Database, statement: string) =>
  Effect.tryPromise(() => database.batcher.read(() => database.client.execute(statement))).pipe(
    Effect.flatMap(() => Effect.die(new Error(`expected "${statement}" to be refused`))),
    Effect.flip,
    Effect.map((error) => String(error.cause))
  )

describe("the database enforces the schema", () => {
  it("refuses rows whose parents do not exist (foreign keys)", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        const directory = yield* Directory
        const failures = yield* Effect.all([
          Effect.flip(conversations.createChannel(makeChannel({ id: ChannelId.make("channel_x"), lineId: LineId.make("line_none") }))),
          Effect.flip(conversations.recordInbound(makeMessage({ id: MessageId.make("m_x"), channelId: ChannelId.make("channel_none") }))),
          Effect.flip(directory.putStaff(makeStaff({ id: StaffId.make("staff_x"), organisationId: OrganisationId.make("org_none") }))),
          Effect.flip(directory.startAssignment({ staffId: StaffId.make("staff_none"), clientId: ClientId.make("client_1"), from: 0 })),
          Effect.flip(conversations.setPreference(ChannelId.make("channel_1"), StaffId.make("staff_none"), { muted: true, hidden: false }))
        ])
        for (const failure of failures) {
          expect(failure._tag).toBe("StorageError")
          expect(String(failure.cause)).toMatch(/FOREIGN KEY constraint failed/)
        }
        const violations = yield* Effect.promise(() =>
          database.batcher.read(() => database.client.execute("PRAGMA foreign_key_check"))
        )
        expect(violations.rows).toEqual([])
      })
    ))

  it("routes a number to one line only: a second line with the same number is refused", () =>
    runSeeded(() =>
      Effect.gen(function* () {
        const directory = yield* Directory
        const failure = yield* Effect.flip(directory.putLine(makeLine({ id: LineId.make("line_2") })))
        expect(failure.operation).toBe("Directory.putLine")
        expect(String(failure.cause)).toMatch(/UNIQUE constraint failed: lines\.number/)
        yield* directory.putLine(makeLine({ id: LineId.make("line_2"), number: phone(9_000_002) }))
      })
    ))

  it("keeps the consent ledger and the audit log append-only: UPDATE and DELETE fail", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        yield* ConsentLedger.use((l) => l.append(makeConsentEntry()))
        yield* AuditLog.use((l) => l.append(makeAuditEvent()))
        expect(yield* refusedSql(database, "UPDATE consent_ledger SET state = 'opted_in'")).toMatch(/consent_ledger is append-only/)
        expect(yield* refusedSql(database, "DELETE FROM consent_ledger")).toMatch(/consent_ledger is append-only/)
        expect(yield* refusedSql(database, "UPDATE audit_log SET detail = 'x'")).toMatch(/audit_log is append-only/)
        expect(yield* refusedSql(database, "DELETE FROM audit_log")).toMatch(/audit_log is append-only/)
        expect(yield* ConsentLedger.use((l) => l.history(makeConsentEntry().organisationId, makeConsentEntry().phone))).toEqual([
          makeConsentEntry()
        ])
      })
    ))

  it("puts no message content or phone number into a StorageError", () =>
    runSeeded(() =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        const secret = "CANARY-7f3a my diagnosis"
        yield* conversations.recordInbound(inbound(1))
        const failures = [
          // The same message id again, with a confidential body: the unique index refuses it.
          yield* Effect.flip(conversations.recordInbound(inbound(1, { body: secret }))),
          // A second channel for (line_1, the client's phone).
          yield* Effect.flip(conversations.saveChannel(makeChannel({ id: ChannelId.make("channel_2"), phone: phone(1) })))
        ]
        for (const failure of failures) {
          const seen = `${String(failure.cause)} ${JSON.stringify(failure)} ${failure.message} ${(failure.cause as Error).stack ?? ""}`
          expect(seen).toMatch(/UNIQUE constraint failed/)
          expect(seen).not.toContain("CANARY")
          expect(seen).not.toContain(phone(1))
        }
      })
    ))
})
