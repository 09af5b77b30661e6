import { Assignment, AuditEvent, Channel, Client, ConsentEntry, Line, Message, Organisation, OutboxEntry, Queue, Staff } from "@careline/core"
import { Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as F from "./fixtures.js"
import * as P from "./ParentRecords.js"

const valid = (schema: Schema.Top, value: unknown): void => {
  expect(Schema.is(schema)(value), JSON.stringify(value)).toBe(true)
}

describe("fixtures", () => {
  it("builders make records their schemas accept", () => {
    valid(Organisation, F.makeOrganisation())
    valid(Staff, F.makeStaff())
    valid(Client, F.makeClient())
    valid(Line, F.makeLine())
    valid(Queue, F.makeQueue())
    valid(Assignment, F.makeAssignment())
    valid(Channel, F.makeChannel())
    valid(Message, F.makeMessage())
    valid(Message, F.makeOutboundMessage())
    valid(OutboxEntry, F.makeOutboxEntry())
    valid(ConsentEntry, F.makeConsentEntry())
    valid(AuditEvent, F.makeAuditEvent())
  })

  it("arbitraries make records their schemas accept", () => {
    const cases: ReadonlyArray<readonly [Schema.Top, fc.Arbitrary<unknown>]> = [
      [Organisation, F.arbOrganisation],
      [Staff, F.arbStaff],
      [Client, F.arbClient],
      [Line, F.arbLine],
      [Line, F.arbLineOwnedBy({ staff: [], queues: [] })],
      [Channel, F.arbChannel],
      [Message, F.arbMessage()],
      [OutboxEntry, F.arbOutboxEntry],
      [ConsentEntry, F.arbConsentEntry],
      [AuditEvent, F.arbAuditEvent]
    ]
    for (const [schema, arb] of cases) fc.assert(fc.property(arb, (value) => valid(schema, value)), { numRuns: 50 })
  })

  it("arbitraries draw every parent id from a pool whose records ParentRecords stores", () => {
    const stored = (records: ReadonlyArray<{ readonly id: string }> | undefined) => new Set((records ?? []).map((r) => r.id))
    const parents = P.pooledParents
    const [organisations, staff, clients, queues, lines, channels] = [
      stored(parents.organisations),
      stored(parents.staff),
      stored(parents.clients),
      stored(parents.queues),
      stored(parents.lines),
      stored(parents.channels)
    ]
    const inPool = (pool: ReadonlySet<string>, id: string | undefined) => {
      if (id !== undefined) expect(pool.has(id), id).toBe(true)
    }
    const staffOf = (x: { readonly _tag: string; readonly staffId?: string }) => (x._tag === "Staff" ? x.staffId : undefined)
    fc.assert(
      fc.property(F.arbStaff, F.arbClient, F.arbLine, F.arbChannel, F.arbMessage(), F.arbConsentEntry, F.arbAuditEvent, (s, c, l, ch, m, ce, a) => {
        for (const record of [s, c, l, ch, m, ce, a]) inPool(organisations, record.organisationId)
        inPool(staff, staffOf(l.owner))
        inPool(queues, l.owner._tag === "Queue" ? l.owner.queueId : undefined)
        inPool(lines, ch.lineId)
        inPool(clients, ch.clientId)
        inPool(channels, m.channelId)
        inPool(staff, staffOf(m.author))
        inPool(staff, staffOf(a.actor))
        inPool(clients, a.clientId)
        inPool(channels, a.channelId)
      }),
      { numRuns: 200 }
    )
    fc.assert(
      fc.property(fc.array(F.arbOutboxEntry, { maxLength: 10 }), (entries) => {
        const withMessages = P.parentsOfOutboxEntries(entries)
        for (const entry of entries) {
          inPool(organisations, entry.organisationId)
          inPool(lines, entry.lineId)
          expect(withMessages.messages?.filter((m) => m.id === entry.messageId)).toHaveLength(1)
        }
        for (const message of withMessages.messages ?? []) {
          inPool(channels, message.channelId)
          inPool(staff, staffOf(message.author))
        }
      }),
      { numRuns: 100 }
    )
  })

  it("never gives two lines one number (a number belongs to at most one line)", () => {
    const distinctOwners = (records: ReadonlyArray<Line>) => {
      const owners = new Map<string, Set<string>>()
      for (const line of records) owners.set(line.number, (owners.get(line.number) ?? new Set()).add(line.id))
      for (const [number, ids] of owners) expect(ids.size, `${number}: ${[...ids].join(", ")}`).toBe(1)
    }
    fc.assert(fc.property(fc.array(F.arbLine, { maxLength: 20 }), (generated) => distinctOwners([...P.pooledLines, ...generated])), {
      numRuns: 200
    })
  })
})
