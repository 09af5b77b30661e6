import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Phone, PhoneNumber } from "./PhoneNumber.js"

const decode = Schema.decodeUnknownResult(PhoneNumber)

describe("PhoneNumber", () => {
  it("accepts E.164 numbers", () => {
    for (const ok of ["+15551234567", "+447911123456", "+4930123456", "+61412345678", "+1234567", "+123456789012345"]) {
      const result = decode(ok)
      expect(Result.isSuccess(result), ok).toBe(true)
      if (Result.isSuccess(result)) expect(result.success).toBe(ok)
    }
  })

  it("rejects local, zero-led, too long, too short, spaced and non-string input", () => {
    for (const bad of [
      "555-1234",
      "+0123456789",
      "+1234567890123456",
      "+123456",
      "15551234567",
      "+1 555 123 4567",
      "+1-555-123-4567",
      "+1555123456a",
      " +15551234567",
      "+15551234567\n",
      "",
      "+",
      15551234567,
      null,
      undefined
    ]) {
      expect(Result.isFailure(decode(bad)), JSON.stringify(bad)).toBe(true)
    }
  })

  it("a bad number fails with a message a person can act on", () => {
    for (const bad of ["555-1234", "+0123456789", "+1234567890123456"]) {
      const result = decode(bad)
      expect(Result.isFailure(result)).toBe(true)
      if (Result.isFailure(result)) {
        expect(result.failure.message).toContain("international form")
        expect(result.failure.message).toContain("+15551234567")
      }
    }
  })
})

describe("Phone", () => {
  it("decodes a labelled number and rejects an unknown label or a bad number", () => {
    const phone = { number: "+15551234567", label: "mobile", primary: true, okayToText: false }
    expect(Result.isSuccess(Schema.decodeUnknownResult(Phone)(phone))).toBe(true)
    for (const label of ["home", "work"]) expect(Result.isSuccess(Schema.decodeUnknownResult(Phone)({ ...phone, label }))).toBe(true)
    expect(Result.isFailure(Schema.decodeUnknownResult(Phone)({ ...phone, label: "pager" }))).toBe(true)
    expect(Result.isFailure(Schema.decodeUnknownResult(Phone)({ ...phone, number: "555-1234" }))).toBe(true)
    expect(Result.isFailure(Schema.decodeUnknownResult(Phone)({ number: "+15551234567", label: "mobile" }))).toBe(true)
  })
})
