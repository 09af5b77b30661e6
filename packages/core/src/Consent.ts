import { Option, Schema } from "effect"
import { Millis, OrganisationId } from "./Ids.js"
import { PhoneNumber } from "./PhoneNumber.js"

export const ConsentState = Schema.Literals(["unknown", "pending", "opted_in", "opted_out"])
export type ConsentState = typeof ConsentState.Type

/** Why the ledger changed. `opt_in_request` records that we asked the number to reply YES. */
export const ConsentSource = Schema.Literals(["keyword", "staff_attestation", "provider_error", "import", "opt_in_request"])
export type ConsentSource = typeof ConsentSource.Type

/** One append-only ledger row for (organisation, phone): the state it moved to and the evidence. */
export const ConsentEntry = Schema.Struct({
  organisationId: OrganisationId,
  phone: PhoneNumber,
  at: Millis,
  state: ConsentState,
  source: ConsentSource,
  /** A message id for keywords and requests, a staff id for attestations, a provider code for errors. */
  evidence: Schema.String
})
export type ConsentEntry = typeof ConsentEntry.Type

/** The consent of one number, always derived from its ledger by {@link foldLedger}. */
export interface ConsentStatus {
  readonly state: ConsentState
  readonly optInRequestedAt: Option.Option<number>
}

export const unknownConsent: ConsentStatus = { state: "unknown", optInRequestedAt: Option.none() }

export const foldLedger = (entries: Iterable<ConsentEntry>): ConsentStatus => {
  let status = unknownConsent
  for (const entry of entries) {
    status = {
      state: entry.state,
      optInRequestedAt: entry.source === "opt_in_request" ? Option.some(entry.at) : status.optInRequestedAt
    }
  }
  return status
}

export type Keyword = "opt_out" | "opt_in" | "help"

const keywords: ReadonlyMap<string, Keyword> = new Map([
  ...["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"].map((w) => [w, "opt_out"] as const),
  ...["START", "YES", "UNSTOP"].map((w) => [w, "opt_in"] as const),
  ...["HELP", "INFO"].map((w) => [w, "help"] as const)
])

/** A keyword is the whole message, trimmed, in any case: "stop" is one, "please stop" is not. */
export const classifyKeyword = (body: string): Option.Option<Keyword> =>
  Option.fromUndefinedOr(keywords.get(body.trim().toUpperCase()))

export const OPT_IN_REQUEST_INTERVAL_MS = 24 * 60 * 60 * 1000

/** An automatic text the consent rules call for. */
export type ConsentReply = "opt_out_confirmation" | "welcome" | "help" | "opt_in_request"

/** What an inbound text does to consent: a ledger change to append (if any) and a reply to send (if any). */
export interface ConsentReaction {
  readonly keyword: Option.Option<Keyword>
  readonly change: Option.Option<{ readonly state: ConsentState; readonly source: ConsentSource }>
  readonly reply: Option.Option<ConsentReply>
}

const reaction = (
  keyword: Option.Option<Keyword>,
  change?: { readonly state: ConsentState; readonly source: ConsentSource },
  reply?: ConsentReply
): ConsentReaction => ({ keyword, change: Option.fromUndefinedOr(change), reply: Option.fromUndefinedOr(reply) })

/**
 * The consent rules for one inbound text. Opt-out confirms exactly once; opt-in welcomes; anyone
 * not opted in (and not opted out) who texts anything else is asked to reply YES, at most once a day.
 */
export const reactToInbound = (status: ConsentStatus, body: string, now: number): ConsentReaction => {
  const keyword = classifyKeyword(body)
  if (Option.isNone(keyword)) {
    const askedRecently = Option.match(status.optInRequestedAt, {
      onNone: () => false,
      onSome: (at) => now - at < OPT_IN_REQUEST_INTERVAL_MS
    })
    return (status.state === "unknown" || status.state === "pending") && !askedRecently
      ? reaction(keyword, { state: "pending", source: "opt_in_request" }, "opt_in_request")
      : reaction(keyword)
  }
  switch (keyword.value) {
    case "opt_out":
      return status.state === "opted_out"
        ? reaction(keyword)
        : reaction(keyword, { state: "opted_out", source: "keyword" }, "opt_out_confirmation")
    case "opt_in":
      return status.state === "opted_in"
        ? reaction(keyword)
        : reaction(keyword, { state: "opted_in", source: "keyword" }, "welcome")
    case "help":
      return status.state === "opted_out" ? reaction(keyword) : reaction(keyword, undefined, "help")
  }
}

/** Staff may never override an opt-out: only the client can, by texting an opt-in keyword. */
export class ConsentOptedOut extends Schema.TaggedError<ConsentOptedOut>()("ConsentOptedOut", {
  phone: PhoneNumber
}) {
  override get message() {
    return `${this.phone} has opted out; only the client can opt back in, by texting START or YES.`
  }
}

/** Staff attestation ("okay to text"): opts in an unknown or pending number; no change if already in. */
export const attestationChange = (status: ConsentStatus): "opt_in" | "no_change" | "refused" =>
  status.state === "opted_out" ? "refused" : status.state === "opted_in" ? "no_change" : "opt_in"

/** The provider reported the recipient unsubscribed (e.g. Twilio 21610): record it once. */
export const providerOptOutChange = (status: ConsentStatus): boolean => status.state !== "opted_out"

/** Only opted-in numbers may receive anything but the consent texts themselves. */
export const mayText = (state: ConsentState): boolean => state === "opted_in"

/** Refusal to text a number without consent, saying which state stopped it. */
export class ConsentRequired extends Schema.TaggedError<ConsentRequired>()("ConsentRequired", {
  phone: PhoneNumber,
  state: ConsentState
}) {
  override get message() {
    return this.state === "opted_out"
      ? `${this.phone} has opted out of text messages (replied STOP).`
      : `${this.phone} has not opted in to text messages yet (consent is ${this.state}).`
  }
}
