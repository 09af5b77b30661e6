import { describe, expect, it } from "vitest"
import { crisisMatcher, mentionsCrisis } from "./Crisis.js"

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

describe("crisisMatcher", () => {
  it("prepares the words once and answers for message after message as mentionsCrisis does", () => {
    const matches = crisisMatcher(["Overdose", " kill   myself "])
    const bodies = ["an OVERDOSE?", "I could kill myself", "killing myself", "overdosed", "fine thanks"]
    expect(bodies.map(matches)).toEqual([true, true, false, false, false])
    expect(bodies.map((body) => mentionsCrisis(body, ["Overdose", " kill   myself "]))).toEqual(bodies.map(matches))
    expect(crisisMatcher([])("overdose")).toBe(false)
  })
})
