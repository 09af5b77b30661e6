/**
 * SMS length accounting: which encoding a body needs, how many septets / code
 * units it uses and how many concatenated segments it will be sent as.
 *
 * @module
 */

/** The two SMS data codings we distinguish. */
export type SmsEncoding = "GSM-7" | "UCS-2"

/** Result of {@link measureSms}. */
export interface SmsMeasure {
  readonly encoding: SmsEncoding
  /** Septets for GSM-7 (extension-table characters count 2), UTF-16 code units for UCS-2. */
  readonly units: number
  /** Number of segments the body is sent as; 0 for an empty body. */
  readonly segments: number
  /** Capacity of one segment: 160 / 153 (GSM-7) or 70 / 67 (UCS-2), single vs concatenated. */
  readonly perSegment: number
  /** Units still free in the last segment (a full `perSegment` for an empty body). */
  readonly remainingInSegment: number
}

/** GSM 03.38 default alphabet (every position except 0x1B, the escape). */
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅå" +
  "\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039EÆæßÉ" +
  " !\"#¤%&'()*+,-./" +
  "0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§" +
  "¿abcdefghijklmnopqrstuvwxyzäöñüà"

/** GSM 03.38 extension table: each is sent as ESC + char, i.e. 2 septets. */
const GSM7_EXTENSION = "\f^{}\\[~]|€"

const GSM7_BASIC_SET: ReadonlySet<string> = new Set(GSM7_BASIC)
const GSM7_EXTENSION_SET: ReadonlySet<string> = new Set(GSM7_EXTENSION)

const GSM7_SINGLE = 160
const GSM7_MULTI = 153
const UCS2_SINGLE = 70
const UCS2_MULTI = 67

/** Septet weight of one code point in GSM-7, or `undefined` if it is not representable. */
const gsm7Weight = (char: string): 1 | 2 | undefined =>
  GSM7_BASIC_SET.has(char) ? 1 : GSM7_EXTENSION_SET.has(char) ? 2 : undefined

/**
 * Greedy packing of indivisible items (an escape sequence or a surrogate pair
 * is one item) into segments, exactly as a handset/SMSC concatenates them.
 */
const pack = (
  encoding: SmsEncoding,
  weights: ReadonlyArray<number>,
  single: number,
  multi: number
): SmsMeasure => {
  let units = 0
  for (const w of weights) units += w
  if (units === 0) {
    return { encoding, units, segments: 0, perSegment: single, remainingInSegment: single }
  }
  if (units <= single) {
    return { encoding, units, segments: 1, perSegment: single, remainingInSegment: single - units }
  }
  let segments = 1
  let used = 0
  for (const w of weights) {
    if (used + w > multi) {
      segments += 1
      used = 0
    }
    used += w
  }
  return { encoding, units, segments, perSegment: multi, remainingInSegment: multi - used }
}

/**
 * Measures an SMS body: GSM-7 if every character is in the GSM 03.38 default
 * alphabet or its extension table, UCS-2 otherwise. Segments are counted by
 * greedy packing so an escape sequence (GSM-7) or a surrogate pair (UCS-2) is
 * never split across two segments.
 */
export const measureSms = (body: string): SmsMeasure => {
  // Iterating a string yields code points (a lone surrogate comes out on its own).
  const chars = Array.from(body)
  const gsmWeights: Array<number> = []
  let gsm = true
  for (const char of chars) {
    const w = gsm7Weight(char)
    if (w === undefined) {
      gsm = false
      break
    }
    gsmWeights.push(w)
  }
  if (gsm) return pack("GSM-7", gsmWeights, GSM7_SINGLE, GSM7_MULTI)
  return pack("UCS-2", chars.map((char) => char.length), UCS2_SINGLE, UCS2_MULTI)
}
