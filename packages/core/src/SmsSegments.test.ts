import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { measureSms } from "./SmsSegments.js"

// Independent oracle tables (GSM 03.38), written out separately from the implementation.
const BASIC = [
  ..."@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?",
  ..."¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
]
const EXTENSION = [..."^{}\\[~]|€\f"]
const weight = (c: string): number => (EXTENSION.includes(c) ? 2 : 1)

describe("measureSms", () => {
  it("empty body is 0 segments", () => {
    expect(measureSms("")).toEqual({
      encoding: "GSM-7",
      units: 0,
      segments: 0,
      perSegment: 160,
      remainingInSegment: 160
    })
  })

  it("knows the whole GSM 03.38 basic table (127 chars) and extension table", () => {
    expect(new Set(BASIC).size).toBe(127)
    for (const c of BASIC) expect(measureSms(c), JSON.stringify(c)).toMatchObject({ encoding: "GSM-7", units: 1 })
    for (const c of EXTENSION) expect(measureSms(c), JSON.stringify(c)).toMatchObject({ encoding: "GSM-7", units: 2 })
  })

  it("Greek look-alikes outside the table, ç, ESC and other accents force UCS-2", () => {
    for (const c of ["ç", "á", "ê", "\u001B", "\t", "`", "’", "€€x\u00A0", "Α" /* Greek capital alpha */]) {
      expect(measureSms(c).encoding, JSON.stringify(c)).toBe("UCS-2")
    }
  })

  it("GSM-7 boundary 160 / 161", () => {
    expect(measureSms("a".repeat(160))).toEqual({
      encoding: "GSM-7",
      units: 160,
      segments: 1,
      perSegment: 160,
      remainingInSegment: 0
    })
    expect(measureSms("a".repeat(161))).toEqual({
      encoding: "GSM-7",
      units: 161,
      segments: 2,
      perSegment: 153,
      remainingInSegment: 145
    })
  })

  it("GSM-7 boundary 306 / 307", () => {
    expect(measureSms("a".repeat(306))).toMatchObject({ segments: 2, remainingInSegment: 0 })
    expect(measureSms("a".repeat(307))).toMatchObject({ segments: 3, remainingInSegment: 152 })
  })

  it("extension characters count 2 septets", () => {
    expect(measureSms("€".repeat(80))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1 })
    expect(measureSms("€".repeat(81))).toMatchObject({
      encoding: "GSM-7",
      units: 162,
      segments: 2,
      perSegment: 153,
      remainingInSegment: 153 - 10 // 76 € (152 septets) in segment 1, 5 € in segment 2
    })
    expect(measureSms("a{b}").units).toBe(6)
  })

  it("never splits an escape sequence across segments", () => {
    // 152 + [ESC €] + 152 = 306 septets: ceil(306/153) would say 2, but € cannot
    // start at septet 153, so segment 1 holds 152, segment 2 holds € + 151, then 1.
    const body = "a".repeat(152) + "€" + "a".repeat(152)
    expect(measureSms(body)).toMatchObject({ encoding: "GSM-7", units: 306, segments: 3, remainingInSegment: 152 })
    // €, exactly filling the segment, is fine.
    expect(measureSms("a".repeat(151) + "€" + "a".repeat(153))).toMatchObject({ units: 306, segments: 2 })
  })

  it("UCS-2 boundary 70 / 71", () => {
    expect(measureSms("ж".repeat(70))).toEqual({
      encoding: "UCS-2",
      units: 70,
      segments: 1,
      perSegment: 70,
      remainingInSegment: 0
    })
    expect(measureSms("ж".repeat(71))).toEqual({
      encoding: "UCS-2",
      units: 71,
      segments: 2,
      perSegment: 67,
      remainingInSegment: 63
    })
  })

  it("UCS-2 boundary 134 / 135", () => {
    expect(measureSms("ж".repeat(134))).toMatchObject({ segments: 2, remainingInSegment: 0 })
    expect(measureSms("ж".repeat(135))).toMatchObject({ segments: 3, remainingInSegment: 66 })
  })

  it("an emoji forces UCS-2 and counts 2 code units", () => {
    expect(measureSms("Hello 😀")).toEqual({
      encoding: "UCS-2",
      units: 8,
      segments: 1,
      perSegment: 70,
      remainingInSegment: 62
    })
    // GSM-only text that would fit in 160 septets becomes 2 UCS-2 segments.
    expect(measureSms("a".repeat(100) + "😀")).toMatchObject({ encoding: "UCS-2", units: 102, segments: 2 })
  })

  it("never splits a surrogate pair across segments", () => {
    const body = "ж".repeat(66) + "😀" + "ж".repeat(66) // 134 units, but 3 segments
    expect(measureSms(body)).toMatchObject({ encoding: "UCS-2", units: 134, segments: 3, remainingInSegment: 66 })
    expect(measureSms("ж".repeat(65) + "😀" + "ж".repeat(67))).toMatchObject({ units: 134, segments: 2 })
  })

  const gsmChar = fc.constantFrom(...BASIC, ...EXTENSION)
  const anyChar = fc.oneof(
    { arbitrary: gsmChar, weight: 8 },
    { arbitrary: fc.constantFrom("ж", "😀", "é", "ç", "你", "\uD83D", "\uDE00"), weight: 1 },
    { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 1 }
  )

  it("property: segments never decrease when a character is appended", () => {
    fc.assert(
      fc.property(fc.array(anyChar, { maxLength: 420 }), anyChar, (chars, extra) => {
        const body = chars.join("")
        const before = measureSms(body)
        const after = measureSms(body + extra)
        expect(after.segments).toBeGreaterThanOrEqual(before.segments)
        if (after.encoding === before.encoding) expect(after.units).toBeGreaterThan(before.units)
      }),
      { numRuns: 500 }
    )
  })

  it("property: for GSM-7 bodies units is the sum of char weights, and capacity is consistent", () => {
    fc.assert(
      fc.property(fc.array(gsmChar, { maxLength: 500 }), (chars) => {
        const m = measureSms(chars.join(""))
        expect(m.encoding).toBe("GSM-7")
        expect(m.units).toBe(chars.reduce((n, c) => n + weight(c), 0))
        expect(m.segments).toBeGreaterThanOrEqual(Math.ceil(m.units / m.perSegment))
        expect(m.segments * m.perSegment).toBeGreaterThanOrEqual(m.units)
        expect(m.remainingInSegment).toBeGreaterThanOrEqual(0)
        expect(m.remainingInSegment).toBeLessThanOrEqual(m.perSegment)
      }),
      { numRuns: 500 }
    )
  })
})
