/** Letters and digits only, lower case, single spaces between. */
const normalise = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")

/**
 * A test for whether a message mentions one of the organisation's crisis words, with the words
 * prepared once (for checking many messages). Whole words or phrases, any case, so "overdose" matches
 * "Overdosed?" only if listed as such, and "kill" never matches "skill".
 */
export const crisisMatcher = (crisisWords: ReadonlyArray<string>): ((body: string) => boolean) => {
  const needles = crisisWords.map((word) => normalise(word).trim()).filter((needle) => needle.length > 0).map((needle) => ` ${needle} `)
  if (needles.length === 0) return () => false
  return (body) => {
    const text = ` ${normalise(body)} `
    return needles.some((needle) => text.includes(needle))
  }
}

/** Does a message mention one of the organisation's crisis words? (See {@link crisisMatcher}.) */
export const mentionsCrisis = (body: string, crisisWords: ReadonlyArray<string>): boolean => crisisMatcher(crisisWords)(body)
