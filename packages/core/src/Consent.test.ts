import { Option } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  attestationChange,
  classifyKeyword,
  type ConsentEntry,
  ConsentOptedOut,
  type ConsentReaction,
  type ConsentReply,
  ConsentRequired,
  type ConsentSource,
  type ConsentState,
  type ConsentStatus,
  foldLedger,
  type Keyword,
  mayText,
  OPT_IN_REQUEST_INTERVAL_MS,
  providerOptOutChange,
  reactToInbound,
  unknownConsent
} from "./Consent.js"
import type { OrganisationId } from "./Ids.js"
import type { PhoneNumber } from "./PhoneNumber.js"

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const org = "org-1" as OrganisationId
const phone = "+15551234567" as PhoneNumber
const states: ReadonlyArray<ConsentState> = ["unknown", "pending", "opted_in", "opted_out"]

const OPT_OUT = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
const OPT_IN = ["START", "YES", "UNSTOP"]
const HELP = ["HELP", "INFO"]

const entry = (at: number, state: ConsentState, source: ConsentSource, evidence = "ev"): ConsentEntry => ({
  organisationId: org,
  phone,
  at,
  state,
  source,
  evidence
})

const status = (state: ConsentState, optInRequestedAt?: number): ConsentStatus => ({
  state,
  optInRequestedAt: optInRequestedAt === undefined ? Option.none() : Option.some(optInRequestedAt)
})

describe("classifyKeyword", () => {
  const cases: ReadonlyArray<readonly [ReadonlyArray<string>, Keyword]> = [
    [OPT_OUT, "opt_out"],
    [OPT_IN, "opt_in"],
    [HELP, "help"]
  ]

  for (const [words, kind] of cases) {
    for (const word of words) {
      it(`${word} is ${kind}, in any case and trimmed`, () => {
        const lower = word.toLowerCase()
        const mixed = lower[0]!.toUpperCase() + lower.slice(1)
        for (const variant of [word, lower, mixed, `  ${word}  `, `\t${lower}\n`, ` ${mixed}\r\n`]) {
          expect(classifyKeyword(variant), JSON.stringify(variant)).toEqual(Option.some(kind))
        }
      })
    }
  }

  it("anything that is not the whole message is no keyword", () => {
    for (const body of [
      "stop please",
      "please stop",
      "",
      "   ",
      "YES!",
      "yes.",
      "Yes please",
      "S TOP",
      "STOPP",
      "HELP ME",
      "st op",
      "STOP STOP",
      "OPT OUT",
      "OPT-OUT",
      "Hi, can we move my appointment?"
    ]) {
      expect(classifyKeyword(body), JSON.stringify(body)).toEqual(Option.none())
    }
  })
})

describe("foldLedger", () => {
  it("an empty ledger is unknown, never asked", () => {
    expect(foldLedger([])).toEqual(unknownConsent)
    expect(foldLedger([]).state).toBe("unknown")
    expect(Option.isNone(foldLedger([]).optInRequestedAt)).toBe(true)
  })

  it("the last entry wins", () => {
    expect(foldLedger([entry(1, "opted_in", "staff_attestation"), entry(2, "opted_out", "keyword")]).state).toBe("opted_out")
    expect(foldLedger([entry(1, "opted_out", "keyword"), entry(2, "opted_in", "keyword")]).state).toBe("opted_in")
    expect(foldLedger([entry(1, "opted_out", "provider_error"), entry(2, "unknown", "import")]).state).toBe("unknown")
    expect(foldLedger([entry(1, "pending", "opt_in_request")]).state).toBe("pending")
  })

  it("optInRequestedAt is the time of the latest opt_in_request entry, kept across later entries", () => {
    const ledger = [
      entry(100, "pending", "opt_in_request"),
      entry(200, "opted_in", "keyword"),
      entry(300, "opted_out", "keyword"),
      entry(400, "pending", "opt_in_request"),
      entry(500, "opted_in", "staff_attestation"),
      entry(600, "opted_out", "provider_error")
    ]
    expect(foldLedger(ledger)).toEqual({ state: "opted_out", optInRequestedAt: Option.some(400) })
  })

  it("without any opt_in_request entry, optInRequestedAt stays none", () => {
    expect(foldLedger([entry(10, "opted_in", "import"), entry(20, "pending", "keyword")]).optInRequestedAt).toEqual(Option.none())
  })

  it("accepts any iterable", () => {
    function* rows() {
      yield entry(5, "pending", "opt_in_request")
      yield entry(6, "opted_in", "keyword")
    }
    expect(foldLedger(rows())).toEqual({ state: "opted_in", optInRequestedAt: Option.some(5) })
  })
})

describe("reactToInbound", () => {
  const now = 1_700_000_000_000
  type Expected = { change?: ConsentState; source?: ConsentSource; reply?: ConsentReply }
  const expectReaction = (actual: ConsentReaction, keyword: Keyword | undefined, expected: Expected) => {
    expect(actual.keyword).toEqual(Option.fromUndefinedOr(keyword))
    expect(actual.change).toEqual(
      expected.change === undefined ? Option.none() : Option.some({ state: expected.change, source: expected.source })
    )
    expect(actual.reply).toEqual(Option.fromUndefinedOr(expected.reply))
  }

  // state × keyword kind, for a number never asked before.
  const table: Record<ConsentState, Record<Keyword | "other", Expected>> = {
    unknown: {
      opt_out: { change: "opted_out", source: "keyword", reply: "opt_out_confirmation" },
      opt_in: { change: "opted_in", source: "keyword", reply: "welcome" },
      help: { reply: "help" },
      other: { change: "pending", source: "opt_in_request", reply: "opt_in_request" }
    },
    pending: {
      opt_out: { change: "opted_out", source: "keyword", reply: "opt_out_confirmation" },
      opt_in: { change: "opted_in", source: "keyword", reply: "welcome" },
      help: { reply: "help" },
      other: { change: "pending", source: "opt_in_request", reply: "opt_in_request" }
    },
    opted_in: {
      opt_out: { change: "opted_out", source: "keyword", reply: "opt_out_confirmation" },
      opt_in: {},
      help: { reply: "help" },
      other: {}
    },
    opted_out: {
      opt_out: {},
      opt_in: { change: "opted_in", source: "keyword", reply: "welcome" },
      help: {},
      other: {}
    }
  }
  const bodies: Record<Keyword | "other", ReadonlyArray<string>> = {
    opt_out: OPT_OUT.map((w) => ` ${w.toLowerCase()} `),
    opt_in: OPT_IN,
    help: HELP.map((w) => w.toLowerCase()),
    other: ["hello", "stop please", "YES!", ""]
  }

  for (const state of states) {
    for (const kind of ["opt_out", "opt_in", "help", "other"] as const) {
      it(`${state} × ${kind}`, () => {
        for (const body of bodies[kind]) {
          expectReaction(reactToInbound(status(state), body, now), kind === "other" ? undefined : kind, table[state][kind])
        }
      })
    }
  }

  describe("the opt-in request goes at most once per 24 h", () => {
    for (const state of ["unknown", "pending"] as const) {
      it(`${state}: not again just under 24 h after the last request`, () => {
        expectReaction(reactToInbound(status(state, now - OPT_IN_REQUEST_INTERVAL_MS + 1), "hi", now), undefined, {})
        expectReaction(reactToInbound(status(state, now - HOUR), "hi", now), undefined, {})
        expectReaction(reactToInbound(status(state, now), "hi", now), undefined, {})
      })

      it(`${state}: again at exactly 24 h and later`, () => {
        const request = { change: "pending", source: "opt_in_request", reply: "opt_in_request" } as const
        expectReaction(reactToInbound(status(state, now - DAY), "hi", now), undefined, request)
        expectReaction(reactToInbound(status(state, now - 3 * DAY), "hi", now), undefined, request)
      })

      it(`${state}: keywords are answered even inside the window`, () => {
        const recently = status(state, now - HOUR)
        expectReaction(reactToInbound(recently, "YES", now), "opt_in", table[state].opt_in)
        expectReaction(reactToInbound(recently, "STOP", now), "opt_out", table[state].opt_out)
        expectReaction(reactToInbound(recently, "HELP", now), "help", table[state].help)
      })
    }

    it("an old request does not make opted-in or opted-out numbers get asked", () => {
      for (const state of ["opted_in", "opted_out"] as const) {
        expectReaction(reactToInbound(status(state, now - 10 * DAY), "hello", now), undefined, {})
      }
    })

    it("the interval is 24 hours", () => {
      expect(OPT_IN_REQUEST_INTERVAL_MS).toBe(DAY)
    })
  })
})

describe("attestationChange", () => {
  it("opts in unknown and pending, no change when opted in, refused when opted out", () => {
    expect(attestationChange(status("unknown"))).toBe("opt_in")
    expect(attestationChange(status("pending", 5))).toBe("opt_in")
    expect(attestationChange(status("opted_in"))).toBe("no_change")
    expect(attestationChange(status("opted_out"))).toBe("refused")
  })
})

describe("providerOptOutChange", () => {
  it("records an opt-out once: not again when already opted out", () => {
    expect(providerOptOutChange(status("unknown"))).toBe(true)
    expect(providerOptOutChange(status("pending"))).toBe(true)
    expect(providerOptOutChange(status("opted_in"))).toBe(true)
    expect(providerOptOutChange(status("opted_out"))).toBe(false)
  })
})

describe("mayText", () => {
  it("only opted_in", () => {
    expect(mayText("opted_in")).toBe(true)
    expect(mayText("unknown")).toBe(false)
    expect(mayText("pending")).toBe(false)
    expect(mayText("opted_out")).toBe(false)
  })
})

describe("consent errors", () => {
  it("ConsentRequired names the number and the state in words", () => {
    const words: Record<ConsentState, string> = {
      unknown: "unknown",
      pending: "pending",
      opted_in: "opted in",
      opted_out: "opted out"
    }
    const messages = new Set<string>()
    for (const state of ["unknown", "pending", "opted_out"] as const) {
      const error = new ConsentRequired({ phone, state })
      expect(error._tag).toBe("ConsentRequired")
      expect(error.message).toContain(phone)
      expect(error.message).toContain(words[state])
      expect(error.message).not.toMatch(/opted_out|undefined|\[object/)
      messages.add(error.message)
    }
    expect(messages.size).toBe(3)
  })

  it("ConsentOptedOut says the number opted out and how to opt back in", () => {
    const error = new ConsentOptedOut({ phone })
    expect(error._tag).toBe("ConsentOptedOut")
    expect(error.message).toContain(phone)
    expect(error.message).toContain("opted out")
    expect(error.message).toMatch(/START|YES/)
    expect(error.message).not.toMatch(/opted_out|undefined|\[object/)
  })
})

describe("ledger built from reactions (property)", () => {
  const keywordBody = fc
    .tuple(fc.constantFrom(...OPT_OUT, ...OPT_IN, ...HELP), fc.boolean(), fc.constantFrom("", " ", "\n"))
    .map(([w, lower, pad]) => `${pad}${lower ? w.toLowerCase() : w}${pad}`)
  const body = fc.oneof(keywordBody, fc.string({ maxLength: 12 }), fc.constantFrom("hello", "stop please", "YES!"))
  const steps = fc.array(fc.tuple(body, fc.integer({ min: 0, max: 2 * DAY })), { maxLength: 40 })

  const run = (script: ReadonlyArray<readonly [string, number]>) => {
    const ledger: Array<ConsentEntry> = []
    const replies: Array<{ at: number; reply: string }> = []
    let now = 1_700_000_000_000
    for (const [text, gap] of script) {
      now += gap
      const reaction = reactToInbound(foldLedger(ledger), text, now)
      if (Option.isSome(reaction.change)) ledger.push(entry(now, reaction.change.value.state, reaction.change.value.source))
      if (Option.isSome(reaction.reply)) replies.push({ at: now, reply: reaction.reply.value })
    }
    return { ledger, replies }
  }

  it("folding the ledger gives the last state applied and the last request time", () => {
    fc.assert(
      fc.property(steps, (script) => {
        const { ledger } = run(script)
        const last = ledger.at(-1)
        const lastRequest = ledger.filter((e) => e.source === "opt_in_request").at(-1)
        const folded = foldLedger(ledger)
        expect(folded.state).toBe(last?.state ?? "unknown")
        expect(folded.optInRequestedAt).toEqual(Option.fromUndefinedOr(lastRequest?.at))
      })
    )
  })

  it("one confirmation per opt-out, none while opted out, and at most one opt-in request per 24 h", () => {
    fc.assert(
      fc.property(steps, (script) => {
        const { replies } = run(script)
        let optedOut = false
        let lastRequest = Number.NEGATIVE_INFINITY
        for (const { at, reply } of replies) {
          if (optedOut) expect(reply).toBe("welcome")
          if (reply === "opt_out_confirmation") optedOut = true
          if (reply === "welcome") optedOut = false
          if (reply === "opt_in_request") {
            expect(at - lastRequest).toBeGreaterThanOrEqual(DAY)
            lastRequest = at
          }
        }
      })
    )
  })
})
