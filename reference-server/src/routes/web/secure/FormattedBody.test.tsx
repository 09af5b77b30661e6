import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { FormattedBody } from "./FormattedBody.js"

const render = (text: string) => (<FormattedBody text={text} />).toString() as string

// --- A strict parser of what the renderer may write -----------------------------------------------
// Hono writes well-formed markup with double-quoted attributes and escapes &, <, >, " and ' in text;
// anything else (a stray "<", an unknown entity, an unclosed or mismatched tag) fails the parse.

interface Element {
  readonly tag: string
  readonly attributes: Readonly<Record<string, string>>
  readonly children: ReadonlyArray<Node>
}
type Node = string | Element

const entities: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" }
const decode = (s: string) => {
  if (/&(?!amp;|lt;|gt;|quot;|#39;)/.test(s)) throw new Error(`unknown entity in ${JSON.stringify(s)}`)
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]!)
}

const parseHtml = (html: string): ReadonlyArray<Node> => {
  const root: { tag: string; attributes: Record<string, string>; children: Array<Node> } = { tag: "#root", attributes: {}, children: [] }
  const stack = [root]
  const token = /<([a-z]+)((?: [a-z-]+="[^"<>]*")*)(\/?)>|<\/([a-z]+)>|([^<>]+)/y
  let at = 0
  while (at < html.length) {
    token.lastIndex = at
    const m = token.exec(html)
    if (m === null) throw new Error(`unparseable at ${at}: ${JSON.stringify(html.slice(at, at + 40))}`)
    at = token.lastIndex
    const top = stack.at(-1)!
    if (m[5] !== undefined) {
      top.children.push(decode(m[5]))
    } else if (m[4] !== undefined) {
      if (top.tag !== m[4]) throw new Error(`</${m[4]}> closes <${top.tag}>`)
      stack.pop()
    } else {
      const attributes: Record<string, string> = {}
      for (const a of m[2]!.matchAll(/ ([a-z-]+)="([^"]*)"/g)) {
        if (a[1]! in attributes) throw new Error(`duplicate ${a[1]}`)
        attributes[a[1]!] = decode(a[2]!)
      }
      const element = { tag: m[1]!, attributes, children: [] as Array<Node> }
      top.children.push(element)
      if (m[3] === "/") {
        if (m[1] !== "br") throw new Error(`self-closed <${m[1]}>`)
      } else if (m[1] !== "br") stack.push(element)
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.tag}>`)
  return root.children
}

const elements = (nodes: ReadonlyArray<Node>): ReadonlyArray<Element> =>
  nodes.flatMap((n) => (typeof n === "string" ? [] : [n, ...elements(n.children)]))

/** The text a reader sees; `separators` marks line breaks ("\n"), list items ("\n") and blocks ("\n\n"). */
const visibleText = (nodes: ReadonlyArray<Node>, separators: boolean, top = true): string =>
  nodes.map((n, i) => {
    if (typeof n === "string") return n
    const sep = !separators ? "" : top && i > 0 ? "\n\n" : n.tag === "li" && i > 0 ? "\n" : ""
    return sep + (n.tag === "br" ? (separators ? "\n" : "") : visibleText(n.children, separators, false))
  }).join("")

const allowed: Record<string, ReadonlyArray<string>> = { p: [], br: [], strong: [], em: [], ul: [], ol: ["start"], li: [], a: ["href", "rel", "target"] }

/** What the parsed output breaks of the whitelist (empty when all is well). */
const violations = (html: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  for (const element of elements(parseHtml(html))) {
    const attrs = allowed[element.tag]
    if (attrs === undefined) {
      found.push(`<${element.tag}>`)
      continue
    }
    for (const [name, value] of Object.entries(element.attributes)) {
      if (!attrs.includes(name)) found.push(`<${element.tag} ${name}>`)
      if (name === "start" && !/^\d+$/.test(value)) found.push(`start=${value}`)
    }
    if (element.tag === "a") {
      if (!/^https?:\/\/[^\s"'<>]+$/.test(element.attributes["href"] ?? "")) found.push(`href=${element.attributes["href"]}`)
      if (element.attributes["rel"] !== "noopener noreferrer nofollow" || element.attributes["target"] !== "_blank") found.push("link without rel/target")
      if (element.children.some((c) => typeof c !== "string")) found.push("markup inside a link")
    }
  }
  return found
}

/** True when `shown` is `typed` with only marker characters (and whitespace) removed. */
const isTypedMinusMarkers = (typed: string, shown: string) => {
  let j = 0
  for (const c of typed) {
    if (j < shown.length && shown.startsWith(c, j)) j += c.length
    else if (!/[*_\-.0-9\s]/.test(c)) return false
  }
  return j === shown.length
}

describe("FormattedBody: each construct", () => {
  it("plain text is one paragraph, escaped", () => {
    expect(render("Hello Casey, see you at 3 <pm> & \"soon\"")).toBe("<p>Hello Casey, see you at 3 &lt;pm&gt; &amp; &quot;soon&quot;</p>")
  })

  it("**bold** and _italic_", () => {
    expect(render("a **strong** word")).toBe("<p>a <strong>strong</strong> word</p>")
    expect(render("an _emphasised_ word")).toBe("<p>an <em>emphasised</em> word</p>")
    expect(render("**one** and **two**, _three_.")).toBe("<p><strong>one</strong> and <strong>two</strong>, <em>three</em>.</p>")
  })

  it("underscores inside words and markers around spaces stay as typed", () => {
    expect(render("my_file_name and snake_case")).toBe("<p>my_file_name and snake_case</p>")
    expect(render("2 ** 3 ** 4 and _ spaced _")).toBe("<p>2 ** 3 ** 4 and _ spaced _</p>")
    expect(render("**** and __")).toBe("<p>**** and __</p>")
  })

  it("lines starting '- ' make a bulleted list, '1. ' a numbered one (its first number kept)", () => {
    expect(render("- milk\n- **eggs**")).toBe("<ul><li>milk</li><li><strong>eggs</strong></li></ul>")
    expect(render("1. first\n2. second")).toBe("<ol><li>first</li><li>second</li></ol>")
    expect(render("3. third\n4. fourth")).toBe('<ol start="3"><li>third</li><li>fourth</li></ol>')
    expect(render("-not a list\n1.not either")).toBe("<p>-not a list<br/>1.not either</p>")
  })

  it("a blank line separates paragraphs; a single line break stays a break; lists end paragraphs", () => {
    expect(render("one\ntwo\n\n\nthree")).toBe("<p>one<br/>two</p><p>three</p>")
    expect(render("Plan:\n- walk\n- rest\nThanks")).toBe("<p>Plan:</p><ul><li>walk</li><li>rest</li></ul><p>Thanks</p>")
    expect(render("- a\n1. b\n- c")).toBe("<ul><li>a</li></ul><ol><li>b</li></ol><ul><li>c</li></ul>")
    expect(render("- a\n\n- b")).toBe("<ul><li>a</li></ul><ul><li>b</li></ul>")
    expect(render("a\r\nb\r\rc")).toBe("<p>a<br/>b</p><p>c</p>")
    expect(render("")).toBe("")
    expect(render("  \n\t\n")).toBe("")
  })

  it("http(s) addresses become links in a new tab, without trailing punctuation", () => {
    const link = (href: string, text = href) => `<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${text}</a>`
    expect(render("See https://example.org/a_b?x=1&y=2.")).toBe(`<p>See ${link("https://example.org/a_b?x=1&amp;y=2")}.</p>`)
    expect(render("(http://example.org/page)")).toBe(`<p>(${link("http://example.org/page")})</p>`)
    expect(render("https://en.wikipedia.org/wiki/Care_(x)")).toBe(`<p>${link("https://en.wikipedia.org/wiki/Care_(x)")}</p>`)
    expect(render("**https://example.org**")).toBe(`<p><strong>${link("https://example.org/", "https://example.org")}</strong></p>`)
    expect(render("ftp://example.org mailto:a@b.c www.example.org http:// https://")).toBe("<p>ftp://example.org mailto:a@b.c www.example.org http:// https://</p>")
    expect(render("xhttps://example.org")).toBe("<p>xhttps://example.org</p>")
  })
})

describe("FormattedBody: nesting limits and unbalanced markers", () => {
  it("bold may hold italic and italic bold, one level deep", () => {
    expect(render("**bold _and italic_**")).toBe("<p><strong>bold <em>and italic</em></strong></p>")
    expect(render("_italic **and bold**_")).toBe("<p><em>italic <strong>and bold</strong></em></p>")
    expect(render("**_both_**")).toBe("<p><strong><em>both</em></strong></p>")
    // No third level: inside bold-in-italic, an italic marker is text.
    expect(render("_a **b _c d** e_")).toBe("<p><em>a <strong>b _c d</strong> e</em></p>")
    // Italic never holds italic: the first closing marker ends it.
    expect(render("_a **b _c_ d** e_")).toBe("<p><em>a **b _c</em> d** e_</p>")
    // Bold never holds bold: the first closing marker ends it.
    expect(render("**a **b** c**")).toBe("<p>**a <strong>b</strong> c**</p>")
  })

  it("list items never nest, and markers never reach across lines", () => {
    expect(render("- - a\n  - b")).toBe("<ul><li>- a</li></ul><p>  - b</p>")
    expect(render("**start\nend**")).toBe("<p>**start<br/>end**</p>")
    expect(render("_start\nend_")).toBe("<p>_start<br/>end_</p>")
  })

  it("a marker without its partner stays as typed", () => {
    expect(render("**open")).toBe("<p>**open</p>")
    expect(render("close**")).toBe("<p>close**</p>")
    expect(render("_open and **bold**")).toBe("<p>_open and <strong>bold</strong></p>")
    expect(render("**a _b** c_")).toBe("<p><strong>a _b</strong> c_</p>")
    expect(render("***x***")).toBe("<p><strong>*x</strong>*</p>")
  })

  it("stays quick on long adversarial input (a body has at most 20,000 characters)", () => {
    for (const unit of ["**a ", "_a ", "** ", "_", "https://a.b/", "- ", "**_"]) {
      const text = unit.repeat(Math.ceil(20_000 / unit.length)).slice(0, 20_000)
      const started = performance.now()
      const html = render(text)
      expect(performance.now() - started, unit).toBeLessThan(1_000)
      expect(violations(html)).toEqual([])
    }
  })
})

describe("FormattedBody: XSS payloads stay text inside formatting", () => {
  const payloads = [
    "**<script>alert(1)</script>**",
    "_<img src=x onerror=alert(1)>_",
    "- <svg onload=alert(1)>\n1. </li></ul><script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "**javascript:alert(1)** _data:text/html,<script>alert(1)</script>_",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/'onmouseover='alert(1)'",
    'https://example.org/"><script>alert(1)</script>',
    "https://example.org/<img>",
    "https://ex\"ample.org",
    "**<a href=\"javascript:alert(1)\">x</a>**",
    "_<div hx-get=\"/admin\" hx-trigger=\"load\">x</div>_",
    "http://javascript:alert(1)",
    "https://example.org/?q=<b>&lt;script&gt;</b>"
  ]
  for (const payload of payloads) {
    it(`renders inert: ${JSON.stringify(payload)}`, () => {
      const html = render(payload)
      expect(violations(html)).toEqual([])
      // Every "<" the payload typed is text: the only tags are the renderer's own.
      expect(html.split("<").length - 1).toBe(elements(parseHtml(html)).length + elements(parseHtml(html)).filter((e) => e.tag !== "br").length)
      for (const element of elements(parseHtml(html))) {
        if (element.tag === "a") expect(element.attributes["href"]).not.toMatch(/["'<>\s]|^javascript:/i)
      }
      expect(isTypedMinusMarkers(payload, visibleText(parseHtml(html), false))).toBe(true)
    })
  }

  it("quotes end a link: they never reach an attribute", () => {
    expect(render('https://example.org/"x')).toBe('<p><a href="https://example.org/" rel="noopener noreferrer nofollow" target="_blank">https://example.org/</a>&quot;x</p>')
  })
})

// --- Properties -------------------------------------------------------------------------------------

/** 200 cases by default, `FC_NUM_RUNS` to raise it (as the other property tests). */
const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)

const markupUnits = fc.constantFrom(
  "*", "**", "_", "- ", "1. ", "12. ", "\n", "\n\n", " ", "\t", "\r\n", "a", "B", "é", "7", ".", "<", ">", "&", '"', "'", "/", ":", "(", ")",
  "https://", "http://", "https://a.example/", "x.org", "javascript:", "<script>", "</p>", "&amp;", "&#39;", "=", "`", "[x](", "🙂"
)
const anyBody = fc.oneof(
  fc.string({ unit: markupUnits, maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ maxLength: 80 })
)

describe("FormattedBody: properties", () => {
  it("for any text, the output parses, holds only the allowed tags and attributes, and shows the text minus markers", () => {
    fc.assert(fc.property(anyBody, (body) => {
      const html = render(body)
      expect(violations(html)).toEqual([])
      expect(isTypedMinusMarkers(body, visibleText(parseHtml(html), false))).toBe(true)
    }), { numRuns })
  })

  // Bodies built from known pieces: what a reader sees is exactly the words, without one marker.
  const word = fc.string({ unit: fc.constantFrom("a", "b", "Z", "é", "3", "<", ">", "&", '"', "'", "=", ",", "!", "(", ")"), minLength: 1, maxLength: 6 })
    .filter((w) => !/^\d+$/.test(w))
  const url = fc.tuple(fc.constantFrom("http", "https"), fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{0,5}$/))
    .map(([scheme, host, path]) => `${scheme}://${host}.org${path === "" ? "" : `/${path}`}`)
  type Piece = { readonly typed: string; readonly shown: string }
  const plain = fc.oneof(word, url).map((w): Piece => ({ typed: w, shown: w }))
  const words = (pieces: ReadonlyArray<Piece>): Piece => ({ typed: pieces.map((p) => p.typed).join(" "), shown: pieces.map((p) => p.shown).join(" ") })
  const wrapped = (marker: string, inner: fc.Arbitrary<Piece>) =>
    fc.array(inner, { minLength: 1, maxLength: 3 }).map(words).map((p): Piece => ({ typed: `${marker}${p.typed}${marker}`, shown: p.shown }))
  const piece: fc.Arbitrary<Piece> = fc.oneof(
    plain,
    wrapped("**", fc.oneof(plain, wrapped("_", plain))),
    wrapped("_", fc.oneof(plain, wrapped("**", plain)))
  )
  const line = fc.array(piece, { minLength: 1, maxLength: 5 }).map(words)
  const block = fc.oneof(
    fc.array(line, { minLength: 1, maxLength: 3 }).map((ls) => ({ typed: ls.map((l) => l.typed).join("\n"), shown: ls.map((l) => l.shown).join("\n") })),
    fc.array(line, { minLength: 1, maxLength: 3 }).map((ls) => ({ typed: ls.map((l) => `- ${l.typed}`).join("\n"), shown: ls.map((l) => l.shown).join("\n") })),
    fc.array(line, { minLength: 1, maxLength: 3 }).map((ls) => ({ typed: ls.map((l, i) => `${i + 1}. ${l.typed}`).join("\n"), shown: ls.map((l) => l.shown).join("\n") }))
  )

  it("for bodies of known pieces, the visible text is exactly the input minus the markers", () => {
    fc.assert(fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), (blocks) => {
      const html = render(blocks.map((b) => b.typed).join("\n\n"))
      expect(violations(html)).toEqual([])
      expect(visibleText(parseHtml(html), true)).toBe(blocks.map((b) => b.shown).join("\n\n"))
    }), { numRuns })
  })

  it("the strict parser refuses what an unescaped payload would look like (it is no rubber stamp)", () => {
    expect(() => parseHtml("<p><script>x</p>")).toThrow()
    expect(() => parseHtml("<p>a < b</p>")).toThrow()
    expect(() => parseHtml("<p>&nbsp;</p>")).toThrow()
    expect(violations('<p><a href="javascript:x" rel="noopener noreferrer nofollow" target="_blank">x</a></p>')).not.toEqual([])
    expect(violations('<p onclick="x">y</p>')).not.toEqual([])
    expect(() => parseHtml("<img/>")).toThrow()
    expect(violations("<div>x</div>")).toEqual(["<div>"])
  })
})
