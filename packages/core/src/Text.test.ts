import { describe, expect, it } from "vitest"
import { hasControlCharacters, hasNul, withoutNul } from "./Text.js"

describe("text rules", () => {
  it("finds control characters, NUL among them, and nothing in ordinary text", () => {
    for (const bad of ["\u0000", "a\u0000b", "line\nbreak", "tab\there", "\u007f"]) expect(hasControlCharacters(bad)).toBe(true)
    for (const good of ["Casey O'Neil", "Zoë – Mobile", "José 😀"]) expect(hasControlCharacters(good)).toBe(false)
  })

  it("replaces each NUL so nothing after it is lost", () => {
    expect(hasNul("a\u0000b")).toBe(true)
    expect(withoutNul("a\u0000b\u0000")).toBe("a\uFFFDb\uFFFD")
    expect(hasNul(withoutNul("a\u0000b"))).toBe(false)
  })
})
