import { describe, expect, it } from "vitest"
import { csv, csvCell } from "./AuditCsv.js"

describe("audit CSV cells", () => {
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(csvCell("plain")).toBe("plain")
    expect(csvCell("a,b")).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell("two\nlines")).toBe('"two\nlines"')
  })

  it("defuses cells a spreadsheet would run as a formula", () => {
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe(`"'=HYPERLINK(""http://evil"")"`)
    expect(csvCell("+1")).toBe("'+1")
    expect(csvCell("-2")).toBe("'-2")
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)")
    expect(csvCell("\t=1")).toBe("'\t=1")
    expect(csvCell("a=b")).toBe("a=b")
  })

  it("joins rows with CRLF", () => {
    expect(csv([["a", "b"], ["c,d", "e"]])).toBe('a,b\r\n"c,d",e\r\n')
  })
})
