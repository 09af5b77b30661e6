import type { ClientId, PhoneNumber } from "@careline/core"
import { clientPhones, clients } from "../Scenario.js"

export type ModelState = "unknown" | "pending" | "opted_in" | "opted_out"
export type TextKind = "staff" | "opt_out_confirmation" | "welcome" | "help" | "opt_in_request"

/** The reference model: what consent each number should have and which texts should be waiting. */
export interface ConsentModel {
  readonly consent: Map<PhoneNumber, { state: ModelState; requestedAt: number | undefined }>
  readonly blocked: Set<ClientId>
  queued: Array<{ readonly to: PhoneNumber; readonly kind: TextKind }>
  now: number
}

export const initialModel = (now: number): ConsentModel => ({
  consent: new Map(),
  blocked: new Set(),
  queued: [],
  now
})

export const stateOf = (model: ConsentModel, phone: PhoneNumber): ModelState => model.consent.get(phone)?.state ?? "unknown"

export const clientOfPhone = (phone: PhoneNumber): ClientId | undefined => clients[clientPhones.indexOf(phone as (typeof clientPhones)[number])]

export const isBlockedPhone = (model: ConsentModel, phone: PhoneNumber): boolean => {
  const client = clientOfPhone(phone)
  return client !== undefined && model.blocked.has(client)
}

const DAY = 24 * 60 * 60 * 1000
const optOutWords = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
const optInWords = ["START", "YES", "UNSTOP"]
const helpWords = ["HELP", "INFO"]

/** The rules of docs/domain-rules.md for one inbound text, written out plainly. */
export const modelInbound = (model: ConsentModel, from: PhoneNumber, body: string): void => {
  const word = body.trim().toUpperCase()
  const record = model.consent.get(from) ?? { state: "unknown" as ModelState, requestedAt: undefined }
  const reply = (kind: TextKind) => {
    if (!isBlockedPhone(model, from)) model.queued.push({ to: from, kind })
  }
  if (optOutWords.includes(word)) {
    if (record.state !== "opted_out") {
      model.consent.set(from, { ...record, state: "opted_out" })
      reply("opt_out_confirmation")
    }
  } else if (optInWords.includes(word)) {
    if (record.state !== "opted_in") {
      model.consent.set(from, { ...record, state: "opted_in" })
      reply("welcome")
    }
  } else if (helpWords.includes(word)) {
    if (record.state !== "opted_out") reply("help")
  } else if (record.state === "unknown" || record.state === "pending") {
    if (record.requestedAt === undefined || model.now - record.requestedAt >= DAY) {
      model.consent.set(from, { state: "pending", requestedAt: model.now })
      reply("opt_in_request")
    }
  }
}

/** Which waiting texts may leave now: the model's own statement of the hand-over rule. */
export const deliverable = (model: ConsentModel, text: { readonly to: PhoneNumber; readonly kind: TextKind }): boolean => {
  if (isBlockedPhone(model, text.to)) return false
  const state = stateOf(model, text.to)
  switch (text.kind) {
    case "opt_out_confirmation":
      return true
    case "opt_in_request":
      return state === "unknown" || state === "pending"
    case "help":
      return state !== "opted_out"
    case "staff":
    case "welcome":
      return state === "opted_in"
  }
}
