import { Assignment, AuditEvent, Channel, Client, ConsentEntry, Line, Message, Organisation, OutboxEntry, Queue, Staff } from "@careline/core"
import { Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as F from "./fixtures.js"

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
      [Channel, F.arbChannel],
      [Message, F.arbMessage()],
      [OutboxEntry, F.arbOutboxEntry],
      [ConsentEntry, F.arbConsentEntry],
      [AuditEvent, F.arbAuditEvent]
    ]
    for (const [schema, arb] of cases) fc.assert(fc.property(arb, (value) => valid(schema, value)), { numRuns: 50 })
  })
})
