import {
  attestConsent,
  blockClient,
  ConsentLedger,
  type ConsentEntry,
  defaultTemplates,
  foldLedger,
  type PhoneNumber,
  ProviderMessageId,
  receiveInbound,
  sendSms,
  unblockClient
} from "@careline/core"
import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { TestClock } from "effect/testing"
import type * as fc from "fast-check"
import { expect } from "vitest"
import { clientPhones, clients, lineList, org, staff, unknownPhone } from "../Scenario.js"
import { outcomeTag, type World } from "../World.js"
import { type ConsentModel, deliverable, isBlockedPhone, modelInbound, stateOf, type TextKind } from "./ConsentModel.js"

export interface ConsentReal {
  readonly world: World
  sentSeen: number
  inboundCount: number
  readonly ledgers: Map<PhoneNumber, ReadonlyArray<ConsentEntry>>
}

type ConsentCommand = fc.AsyncCommand<ConsentModel, ConsentReal>

const everyPhone = [...clientPhones, unknownPhone]
const templates = defaultTemplates("Harbour Care")
const kindOfBody = new Map<string, TextKind>([
  [templates.optOutConfirmation, "opt_out_confirmation"],
  [templates.welcome, "welcome"],
  [templates.help, "help"],
  [templates.optInRequest, "opt_in_request"]
])

/**
 * After every command: each number's consent (the fold of its ledger) is the model's, and the
 * ledger only ever grew — every earlier history is a prefix of the current one.
 */
const checkLedgers = async (model: ConsentModel, real: ConsentReal) => {
  for (const phone of everyPhone) {
    const history = await real.world.run(ConsentLedger.use((l) => l.history(org, phone)))
    expect(foldLedger(history).state, `consent of ${phone}`).toBe(stateOf(model, phone))
    const before = real.ledgers.get(phone) ?? []
    expect(history.slice(0, before.length), `ledger of ${phone} is append-only`).toEqual(before)
    real.ledgers.set(phone, history)
  }
}

export class Attest implements ConsentCommand {
  constructor(readonly client: number) {}
  check = () => true
  async run(model: ConsentModel, real: ConsentReal) {
    const phone = clientPhones[this.client]!
    const exit = await real.world.exit(attestConsent({ staffId: staff.coord, clientId: clients[this.client]! }))
    const expected = stateOf(model, phone) === "opted_out" ? "ConsentOptedOut" : "ok"
    expect(outcomeTag(exit)).toBe(expected)
    if (expected === "ok") model.consent.set(phone, { state: "opted_in", requestedAt: model.consent.get(phone)?.requestedAt })
    await checkLedgers(model, real)
  }
  toString = () => `Attest(c${this.client + 1})`
}

export class Text implements ConsentCommand {
  constructor(readonly from: number, readonly body: string, readonly line: number) {}
  check = () => true
  async run(model: ConsentModel, real: ConsentReal) {
    const from = everyPhone[this.from]!
    const [, to] = lineList[this.line]!
    real.inboundCount += 1
    const providerMessageId = ProviderMessageId.make(`SMin${real.inboundCount}`)
    await real.world.run(receiveInbound({ providerMessageId, from, to, body: this.body }))
    model.now = await real.world.now()
    modelInbound(model, from, this.body)
    await checkLedgers(model, real)
  }
  toString = () => `Text(${this.from === 3 ? "unknown" : `c${this.from + 1}`}, ${JSON.stringify(this.body)})`
}

export class Send implements ConsentCommand {
  constructor(readonly client: number) {}
  check = () => true
  async run(model: ConsentModel, real: ConsentReal) {
    const phone = clientPhones[this.client]!
    const exit = await real.world.exit(sendSms({ staffId: staff.coord, clientId: clients[this.client]!, body: `staff text to c${this.client + 1}` }))
    const expected = isBlockedPhone(model, phone) ? "ClientBlocked" : stateOf(model, phone) !== "opted_in" ? "ConsentRequired" : "ok"
    expect(outcomeTag(exit)).toBe(expected)
    if (expected === "ok") model.queued.push({ to: phone, kind: "staff" })
    await checkLedgers(model, real)
  }
  toString = () => `Send(c${this.client + 1})`
}

export class SetBlocked implements ConsentCommand {
  constructor(readonly client: number, readonly blocked: boolean) {}
  check = () => true
  async run(model: ConsentModel, real: ConsentReal) {
    const input = { staffId: staff.sup, clientId: clients[this.client]! }
    await real.world.run(this.blocked ? blockClient(input) : unblockClient(input))
    if (this.blocked) model.blocked.add(clients[this.client]!)
    else model.blocked.delete(clients[this.client]!)
  }
  toString = () => `${this.blocked ? "Block" : "Unblock"}(c${this.client + 1})`
}

/**
 * Drains the outbox. What reaches the provider is exactly what the model lets through, and, stated
 * on its own: no staff text ever reaches a number that is not opted in or a blocked client, and an
 * opted-out number receives nothing but its confirmation.
 */
export class Deliver implements ConsentCommand {
  check = () => true
  async run(model: ConsentModel, real: ConsentReal) {
    await real.world.drainOutbox()
    const sent = await real.world.run(FakeSmsControl.use((c) => c.sent))
    const fresh = sent.slice(real.sentSeen).map((s) => ({
      to: s.to,
      kind: kindOfBody.get(s.body) ?? (s.body.startsWith("staff text") ? "staff" : "unexpected")
    }))
    real.sentSeen = sent.length
    for (const text of fresh) {
      expect(isBlockedPhone(model, text.to), `nothing is sent to a blocked client (${text.kind})`).toBe(false)
      if (text.kind === "staff") expect(stateOf(model, text.to), "staff texts only to opted-in numbers").toBe("opted_in")
      if (stateOf(model, text.to) === "opted_out") expect(text.kind).toBe("opt_out_confirmation")
    }
    const expected = model.queued.filter((text) => deliverable(model, text))
    const key = (t: { readonly to: string; readonly kind: string }) => `${t.to} ${t.kind}`
    expect(fresh.map(key).sort()).toEqual(expected.map(key).sort())
    model.queued = []
  }
  toString = () => "Deliver"
}

export class Wait implements ConsentCommand {
  constructor(readonly hours: number) {}
  check = () => true
  async run(model: ConsentModel, real: ConsentReal) {
    await real.world.run(TestClock.adjust(`${this.hours} hours`))
    model.now = await real.world.now()
  }
  toString = () => `Wait(${this.hours}h)`
}
