import { AuditEventId, AuditLog, ChannelId, Conversations, LineId, MessageId, OrganisationId, ProviderMessageId, type StorageError } from "@careline/core"
import { makeAuditEvent, makeOutboundMessage, makeOutboxEntry } from "@careline/testkit"
import { sql } from "drizzle-orm"
import { Effect, Exit, Option } from "effect"
import { describe, expect, it } from "vitest"
import type { Database } from "./Database.js"
import { channelId, inbound, runSeeded } from "./testing/Seed.js"
import { MAX_BATCH } from "./WriteBatcher.js"

const count = (database: Database, query: string) =>
  Effect.promise(() => database.batcher.read(async () => Number((await database.client.execute(query)).rows[0]?.[0])))

const sm = (id: string) => ProviderMessageId.make(id)

describe("group commit", () => {
  it("stores every one of many concurrent inbound messages, in fewer transactions than messages (and at most MAX_BATCH operations a transaction)", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        const before = database.batcher.stats.batches
        const operationsBefore = database.batcher.stats.operations
        const messages = Array.from({ length: 300 }, (_, i) => inbound(i, { providerMessageId: sm(`SM${i}`) }))
        const results = yield* Effect.all(
          messages.map((m) => conversations.recordInbound(m)),
          { concurrency: "unbounded" }
        )
        expect(results).toEqual(messages.map(() => "inserted"))
        const batches = database.batcher.stats.batches - before
        // MAX_BATCH bounds the operations of a transaction (inbound texts are further coalesced into multi-row inserts).
        expect(database.batcher.stats.operations - operationsBefore).toBeLessThanOrEqual(batches * MAX_BATCH)
        expect(batches).toBeLessThan(messages.length / 10)
        expect(yield* conversations.listMessages(channelId, { limit: 1000 })).toHaveLength(messages.length)
        expect(yield* count(database, "SELECT count(*) FROM messages")).toBe(messages.length)
      })
    ))

  it("fails only the operation that failed when a batch shares one transaction", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        const audit = yield* AuditLog
        const outbound = makeOutboundMessage({ id: MessageId.make("message_out") })
        const before = database.batcher.stats.batches
        const [first, broken, orphan, last] = yield* Effect.all(
          [
            Effect.exit(conversations.recordInbound(inbound(1))),
            // The message insert succeeds, the outbox insert names a line that does not exist: both go.
            Effect.exit(conversations.recordOutbound(outbound, makeOutboxEntry({ messageId: outbound.id, lineId: LineId.make("line_none") }))),
            Effect.exit(audit.append(makeAuditEvent({ id: AuditEventId.make("audit_x"), organisationId: OrganisationId.make("org_none") }))),
            Effect.exit(conversations.recordInbound(inbound(2)))
          ],
          { concurrency: "unbounded" }
        )
        expect(database.batcher.stats.batches - before).toBe(1)
        expect(first).toEqual(Exit.succeed("inserted"))
        expect(last).toEqual(Exit.succeed("inserted"))
        for (const failed of [broken, orphan]) {
          expect(Exit.isFailure(failed)).toBe(true)
          expect(Exit.findErrorOption(failed as Exit.Exit<unknown, { _tag: string }>).pipe(Option.map((e) => e._tag))).toEqual(
            Option.some("StorageError")
          )
        }
        expect(yield* conversations.getMessage(outbound.id)).toEqual(Option.none())
        expect((yield* conversations.listMessages(channelId, { limit: 10 })).map((m) => m.id)).toEqual(["message_2", "message_1"])
        expect(yield* count(database, "SELECT count(*) FROM outbox")).toBe(0)
        expect(yield* count(database, "SELECT count(*) FROM audit_log")).toBe(0)
      })
    ))

  it("rolls back an operation that throws half-way, and still commits the others", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        const write = (id: string, fail: boolean) =>
          Effect.exit(
            database.write("test", async (tx) => {
              await tx.run(sql`INSERT INTO consent_ledger (organisation_id, phone, at, state, source, evidence) VALUES ('org_1', '+15550000001', 0, 'pending', 'import', ${id})`)
              if (fail) throw new Error("half-way")
            })
          )
        const exits = yield* Effect.all([write("a", false), write("b", true), write("c", false)], { concurrency: "unbounded" })
        expect(exits.map(Exit.isSuccess)).toEqual([true, false, true])
        expect(yield* count(database, "SELECT count(*) FROM consent_ledger WHERE evidence IN ('a', 'c')")).toBe(2)
        expect(yield* count(database, "SELECT count(*) FROM consent_ledger WHERE evidence = 'b'")).toBe(0)
      })
    ))

  it("answers a writer only after its batch committed: what it wrote is then readable", () =>
    runSeeded(() =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        yield* Effect.forEach(
          Array.from({ length: 20 }, (_, i) => inbound(i)),
          (m) => Effect.andThen(conversations.recordInbound(m), conversations.getMessage(m.id)).pipe(Effect.map(Option.isSome)),
          { concurrency: "unbounded" }
        ).pipe(Effect.tap((found) => Effect.sync(() => expect(found.every(Boolean)).toBe(true))))
      })
    ))
})

describe("provider message ids", () => {
  it("stores exactly one of 50 concurrent deliveries of one provider id", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        const deliveries = Array.from({ length: 50 }, (_, i) => inbound(i, { providerMessageId: sm("SM1") }))
        const results = yield* Effect.all(
          deliveries.map((m) => conversations.recordInbound(m)),
          { concurrency: "unbounded" }
        )
        expect(results.filter((r) => r === "inserted")).toHaveLength(1)
        expect(results.filter((r) => r === "duplicate")).toHaveLength(49)
        expect(yield* count(database, "SELECT count(*) FROM messages WHERE provider_message_id = 'SM1'")).toBe(1)
      })
    ))

  it("is unique in the database itself: a raw second row with the same provider id is refused", () =>
    runSeeded((database) =>
      Effect.gen(function* () {
        yield* Conversations.use((c) => c.recordInbound(inbound(1, { providerMessageId: sm("SM1") })))
        const insert = (id: string, providerId: string | null) =>
          database.batcher.read(() =>
            database.client.execute({
              sql: `INSERT INTO messages (id, organisation_id, channel_id, direction, author_kind, body, at, status, provider_message_id)
                    VALUES (?, 'org_1', 'channel_1', 'inbound', 'Client', 'x', 0, 'received', ?)`,
              args: [id, providerId]
            })
          )
        const refused = yield* Effect.flip(Effect.tryPromise(() => insert("message_raw", "SM1")))
        expect(String(refused.cause)).toMatch(/UNIQUE constraint failed: messages\.provider_message_id/)
        // NULL provider ids repeat freely.
        yield* Effect.promise(() => insert("message_null_1", null))
        yield* Effect.promise(() => insert("message_null_2", null))
        expect(yield* count(database, "SELECT count(*) FROM messages WHERE provider_message_id IS NULL")).toBe(2)
      })
    ))
})

describe("coalesced inbound inserts", () => {
  it("two deliveries of one provider id in the same statement give one insert; a bad text fails alone", () =>
    runSeeded(() =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        const results = yield* Effect.all(
          [
            conversations.recordInbound(inbound(1, { providerMessageId: sm("SMsame") })),
            conversations.recordInbound(inbound(2, { providerMessageId: sm("SMsame") })),
            conversations.recordInbound(inbound(3, { providerMessageId: sm("SMother") })),
            Effect.flip(conversations.recordInbound(inbound(4, { providerMessageId: sm("SMorphan"), channelId: ChannelId.make("channel_gone") })))
          ],
          { concurrency: "unbounded" }
        )
        expect(results.slice(0, 3)).toEqual(["inserted", "duplicate", "inserted"])
        expect((results[3] as StorageError)._tag).toBe("StorageError")
        expect(yield* conversations.findMessageByProviderId(sm("SMorphan"))).toEqual(Option.none())
      })
    ))
})
