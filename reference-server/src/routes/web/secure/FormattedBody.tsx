/**
 * Safe formatting of a secure message's body (S1: "the common formatting options on the top bar above
 * the Body area"). The body is stored as plain text in a small markup and turned into Hono JSX
 * elements here, never into HTML text: every character a person typed stays a text node (escaped on
 * output), and no tag or attribute other than those below can appear.
 *
 * The markup (formatting stays within one line):
 * - `**bold**` and `_italic_`: the text between the markers is not empty and neither starts nor ends
 *   with a space; `_` only counts at a word's edge (snake_case stays as typed). Bold may hold italic
 *   and italic may hold bold, no deeper; a marker without its partner stays as typed.
 * - a line starting `- ` is an item of a bulleted list, one starting `1. ` (any number) an item of a
 *   numbered list; consecutive items make one list (lists do not nest).
 * - other lines make paragraphs, a blank line between paragraphs; a single line break stays one.
 * - `http://` and `https://` addresses become links that open in a new tab
 *   (`rel="noopener noreferrer nofollow"`); no other scheme is ever a link.
 *
 * Output tags: p, br, strong, em, ul, ol (`start`), li, a (`href`, `rel`, `target`).
 */

export type Inline =
  | string
  | { readonly kind: "strong" | "em"; readonly children: ReadonlyArray<Inline> }
  | { readonly kind: "link"; readonly href: string; readonly text: string }

export type Block =
  | { readonly kind: "p"; readonly lines: ReadonlyArray<ReadonlyArray<Inline>> }
  | { readonly kind: "ul"; readonly items: ReadonlyArray<ReadonlyArray<Inline>> }
  | { readonly kind: "ol"; readonly start: number; readonly items: ReadonlyArray<ReadonlyArray<Inline>> }

const MAX_URL_LENGTH = 2048
const wordChar = /[\p{L}\p{N}]/u
const space = /\s/u
const urlChar = /[A-Za-z0-9\-._~:/?#[\]@!$&()+,;=%]/
const isWord = (c: string | undefined) => c !== undefined && wordChar.test(c)
const isSpace = (c: string | undefined) => c !== undefined && space.test(c)

/** An http(s) address starting at `i` (what is linked, as typed), or undefined. */
const urlAt = (text: string, i: number): string | undefined => {
  const head = text.slice(i, i + 8).toLowerCase()
  if (!head.startsWith("http://") && !head.startsWith("https://")) return undefined
  if (isWord(text[i - 1])) return undefined
  let end = i
  while (end < text.length && end - i < MAX_URL_LENGTH && urlChar.test(text[end]!)) end++
  let candidate = text.slice(i, end)
  // Trailing punctuation ends the sentence, not the address; a ")" only belongs to it when opened inside.
  for (;;) {
    const last = candidate.at(-1)
    if (last !== undefined && ".,;:!?".includes(last)) candidate = candidate.slice(0, -1)
    else if (last === ")" && candidate.split(")").length > candidate.split("(").length) candidate = candidate.slice(0, -1)
    else break
  }
  try {
    const url = new URL(candidate)
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" ? candidate : undefined
  } catch {
    return undefined
  }
}

/** The end of a `**…**` opened at `i`, or -1. */
const boldEnd = (text: string, i: number): number => {
  const close = text.indexOf("**", i + 2)
  if (close <= i + 2) return -1
  return isSpace(text[i + 2]) || isSpace(text[close - 1]) ? -1 : close
}

/** Where a `_` may close italic: not followed by a letter or digit, not after a space (ascending). */
const italicClosers = (text: string): ReadonlyArray<number> => {
  const closers: Array<number> = []
  for (let j = text.indexOf("_", 1); j !== -1; j = text.indexOf("_", j + 1)) {
    if (!isWord(text[j + 1]) && !isSpace(text[j - 1])) closers.push(j)
  }
  return closers
}

/** The end of a `_…_` opened at `i` (the first closer past `i + 1`), or -1. */
const italicEnd = (text: string, i: number, closers: ReadonlyArray<number>): number => {
  if (isWord(text[i - 1]) || i + 1 >= text.length || isSpace(text[i + 1]) || text[i + 1] === "_") return -1
  let low = 0
  let high = closers.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (closers[mid]! < i + 2) low = mid + 1
    else high = mid
  }
  return closers[low] ?? -1
}

const push = (out: Array<Inline>, piece: Inline) => {
  const last = out.at(-1)
  if (typeof piece === "string" && typeof last === "string") out[out.length - 1] = last + piece
  else if (piece !== "") out.push(piece)
}

/** One line's inline formatting; `bold`/`italic` say which markers may still open (the nesting limit). */
export const parseInline = (text: string, bold = true, italic = true): ReadonlyArray<Inline> => {
  const out: Array<Inline> = []
  const closers = italic ? italicClosers(text) : []
  let i = 0
  while (i < text.length) {
    const url = urlAt(text, i)
    if (url !== undefined) {
      push(out, { kind: "link", href: new URL(url).href, text: url })
      i += url.length
      continue
    }
    if (bold && text.startsWith("**", i)) {
      const end = boldEnd(text, i)
      if (end > 0) {
        push(out, { kind: "strong", children: parseInline(text.slice(i + 2, end), false, italic) })
        i = end + 2
        continue
      }
      push(out, "**")
      i += 2
      continue
    }
    if (italic && text[i] === "_") {
      const end = italicEnd(text, i, closers)
      if (end > 0) {
        push(out, { kind: "em", children: parseInline(text.slice(i + 1, end), bold, false) })
        i = end + 1
        continue
      }
    }
    push(out, text[i]!)
    i++
  }
  return out
}

const bullet = /^- (.*)$/
const numbered = /^(\d{1,9})\. (.*)$/

/** The body's blocks: paragraphs and lists, each line's inline formatting parsed. */
export const parseBody = (body: string): ReadonlyArray<Block> => {
  const blocks: Array<Block> = []
  let current: { kind: "p"; lines: Array<ReadonlyArray<Inline>> } | { kind: "ul"; items: Array<ReadonlyArray<Inline>> } | { kind: "ol"; start: number; items: Array<ReadonlyArray<Inline>> } | undefined
  const close = () => {
    if (current !== undefined) blocks.push(current)
    current = undefined
  }
  for (const line of body.replace(/\r\n?/g, "\n").split("\n")) {
    if (line.trim() === "") {
      close()
      continue
    }
    const b = bullet.exec(line)
    const n = b === null ? numbered.exec(line) : null
    if (b !== null) {
      if (current?.kind !== "ul") close()
      current ??= { kind: "ul", items: [] }
      ;(current as { items: Array<ReadonlyArray<Inline>> }).items.push(parseInline(b[1]!))
    } else if (n !== null) {
      if (current?.kind !== "ol") close()
      current ??= { kind: "ol", start: Number(n[1]), items: [] }
      ;(current as { items: Array<ReadonlyArray<Inline>> }).items.push(parseInline(n[2]!))
    } else {
      if (current?.kind !== "p") close()
      current ??= { kind: "p", lines: [] }
      ;(current as { lines: Array<ReadonlyArray<Inline>> }).lines.push(parseInline(line))
    }
  }
  close()
  return blocks
}

const InlineNodes = (props: { readonly nodes: ReadonlyArray<Inline> }) => (
  <>
    {props.nodes.map((node) =>
      typeof node === "string"
        ? node
        : node.kind === "link"
          ? <a href={node.href} rel="noopener noreferrer nofollow" target="_blank">{node.text}</a>
          : node.kind === "strong"
            ? <strong><InlineNodes nodes={node.children} /></strong>
            : <em><InlineNodes nodes={node.children} /></em>
    )}
  </>
)

/** A body in the markup above, as elements (every typed character escaped). */
export const FormattedBody = (props: { readonly text: string }) => (
  <>
    {parseBody(props.text).map((block) =>
      block.kind === "p"
        ? <p>{block.lines.map((line, i) => <>{i === 0 ? null : <br />}<InlineNodes nodes={line} /></>)}</p>
        : block.kind === "ul"
          ? <ul>{block.items.map((item) => <li><InlineNodes nodes={item} /></li>)}</ul>
          : <ol start={block.start === 1 ? undefined : block.start}>{block.items.map((item) => <li><InlineNodes nodes={item} /></li>)}</ol>
    )}
  </>
)
