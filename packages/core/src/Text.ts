/**
 * Rules for the text people type. A NUL is not text, and a store may end a string at one (libSQL
 * does), so a body with one would be cut short without a word: refused when staff or a client type
 * it, replaced with U+FFFD in a text that already arrived (an SMS cannot be refused).
 */

/** Control characters (tabs, line breaks, NUL…) have no place in a name. */
export const hasControlCharacters = (text: string): boolean => /[\u0000-\u001f\u007f]/.test(text)

export const hasNul = (text: string): boolean => text.includes("\u0000")

/** The text with each NUL replaced by U+FFFD (the replacement character), so nothing after it is lost. */
export const withoutNul = (text: string): string => text.replaceAll("\u0000", "\uFFFD")
