/**
 * Does a message mention one of the organisation's crisis words? Whole words or phrases, any case,
 * so "overdose" matches "Overdosed?" only if listed as such, and "kill" never matches "skill".
 */
export const mentionsCrisis = (body: string, crisisWords: ReadonlyArray<string>): boolean => {
  const text = ` ${body.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")} `
  return crisisWords.some((word) => {
    const needle = word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim()
    return needle.length > 0 && text.includes(` ${needle} `)
  })
}
