import { describe, expect, it } from "vitest"
import { mentionsCrisis } from "./Crisis.js"

describe("mentionsCrisis", () => {
  const words = ["suicide", "overdose", "kill myself"]
  it("finds whole words and phrases in any case, with punctuation around them", () => {
    expect(mentionsCrisis("I think about SUICIDE.", words)).toBe(true)
    expect(mentionsCrisis("scared of an overdose!!", words)).toBe(true)
    expect(mentionsCrisis("I want to kill   myself", words)).toBe(true)
  })
  it("does not match inside other words, or with no words configured", () => {
    expect(mentionsCrisis("overdosed", words)).toBe(false)
    expect(mentionsCrisis("skill myself up", ["kill"])).toBe(false)
    expect(mentionsCrisis("suicide", [])).toBe(false)
    expect(mentionsCrisis("anything", ["  "])).toBe(false)
  })
})
