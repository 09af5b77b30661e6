import { FakeSmsControl, type SendOutcome } from "@careline/adapter-fake-sms"
import {
  CLAIM_LEASE_MS,
  ConsentLedger,
  Conversations,
  foldLedger,
  makeOutboxDispatcher,
  type OutboxEntry,
  type OutboxId,
  OutboxStore,
  type OutboxState,
  sendSms
} from "@careline/core"
import { Effect, Exit, Option } from "effect"
import { TestClock } from "effect/testing"
import type * as fc from "fast-check"
import { expect } from "vitest"
import { clientPhones, clients, org, staff } from "../Scenario.js"
import { outcomeTag, type World } from "../World.js"
import { describeOutcome, expectedRetryDelay, type ModelEntryState, modelExpireLeases, modelHandOver, type OutboxModel } from "./OutboxModel.js"

export type Dispatcher = Effect.Success<typeof makeOutboxDispatcher>

/** How often each situation the invariants speak about actually happened, summed over all runs. */
export interface Coverage {
  retriedThenSent: number
  retriesExhausted: number
  indeterminate: number
  crashed: number
  leaseExpired: number
  refusedAfterUnsubscribe: number
  consentRequired: number
}

export interface OutboxReal {
  readonly world: World
  /** The dispatcher of the running process; a crash replaces it with a fresh one. */
  dispatcher: Dispatcher
  texts: number
  readonly coverage: Coverage
}

type OutboxCommand = fc.AsyncCommand<OutboxModel, OutboxReal>

const states: ReadonlyArray<OutboxState> = ["pending", "sending", "sent", "failed", "unknown"]

const entries = (real: OutboxReal) =>
  real.world.run(Effect.gen(function* () {
    const outbox = yield* OutboxStore
    const all = new Map<OutboxId, OutboxEntry>()
    for (const state of states) for (const entry of yield* outbox.listByState(state)) all.set(entry.id, entry)
    return all
  }))

const oldestFirst = (a: OutboxEntry, b: OutboxEntry) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** The message status each outbox state goes with: queued while waiting or claimed, `sending` once accepted. */
const messageStatusFor: Record<ModelEntryState, string> = { pending: "queued", sending: "queued", sent: "sending", failed: "failed", unknown: "unknown" }

/**
 * After every command: the outbox holds exactly the model's entries in the model's states; the
 * provider got each outbox id at most once, and exactly the entries the model put on the air; each
 * message's status goes with its entry; each number's consent is the model's.
 */
const checkAll = async (model: OutboxModel, real: OutboxReal) => {
  const stored = await entries(real)
  expect([...stored.keys()].sort()).toEqual([...model.entries.keys()].sort())
  const sent = await real.world.run(FakeSmsControl.use((c) => c.sent))
  const outboxIds = sent.map((s) => s.outboxId)
  expect(new Set(outboxIds).size, `no outbox id handed to the provider twice: ${outboxIds.join(", ")}`).toBe(outboxIds.length)
  for (const [id, expected] of model.entries) {
    const entry = stored.get(id)!
    const label = `${id} after ${expected.history.join(", ") || "nothing"}`
    expect({ state: entry.state, attempts: entry.attempts }, label).toEqual({ state: expected.state, attempts: expected.attempts })
    const onAir = sent.filter((s) => s.outboxId === id)
    expect(onAir.length, `${label}: times on the air`).toBe(expected.onAir)
    const message = Option.getOrThrow(await real.world.run(Conversations.use((c) => c.getMessage(entry.messageId))))
    expect(message.status, `${label}: message status`).toBe(messageStatusFor[expected.state])
    if (expected.state === "sent") expect(message.providerMessageId).toBe(onAir[0]!.providerMessageId)
  }
  for (const phone of clientPhones) {
    const history = await real.world.run(ConsentLedger.use((l) => l.history(org, phone)))
    expect(foldLedger(history).state, `consent of ${phone}`).toBe(model.optedOut.has(phone) ? "opted_out" : "opted_in")
  }
}

/**
 * One `dispatchDue`. First, exactly the claims whose lease ended become `unknown`. Every entry it
 * handed over (its attempts went up) was pending, due and to an opted-in number, and met the next
 * planned outcome, oldest first; a transient failure is put back with the rule's back-off. Any
 * other change must be a refusal at hand-over of a number that opted out.
 */
const dispatchOnce = async (model: OutboxModel, real: OutboxReal) => {
  const before = await entries(real)
  const now = await real.world.now()
  const report = await real.world.run(real.dispatcher.dispatchDue(100))
  const expired = modelExpireLeases(model, now)
  expect(report.expired, "claims whose lease ended").toBe(expired)
  real.coverage.leaseExpired += expired
  const after = await entries(real)
  const handed = [...after.values()].filter((e) => e.attempts > before.get(e.id)!.attempts).sort(oldestFirst)
  for (const entry of handed) {
    const was = before.get(entry.id)!
    expect({ state: was.state, due: was.notBefore <= now, attempts: entry.attempts }, `${entry.id} handed over`)
      .toEqual({ state: "pending", due: true, attempts: was.attempts + 1 })
    const expected = model.entries.get(entry.id)!
    expect(expected.state, `${entry.id} handed over after ${expected.history.join(", ")}`).toBe("pending")
    expect(model.optedOut.has(expected.to), `${entry.id} handed over to an opted-out number`).toBe(false)
    const outcome = modelHandOver(model, expected)
    if (outcome._tag === "Fail" && outcome.reason === "Transient" && expected.state === "pending") {
      expect(entry.notBefore - now, `${entry.id} back-off after ${describeOutcome(outcome)}`)
        .toBe(expectedRetryDelay(expected.attempts, outcome.retryAfterMs))
    }
    if (expected.state === "sent" && expected.history.some((h) => h.startsWith("Transient"))) real.coverage.retriedThenSent += 1
    if (outcome._tag === "Fail" && outcome.reason === "Indeterminate") real.coverage.indeterminate += 1
    if (outcome._tag === "Fail" && outcome.reason === "Transient" && expected.state === "failed") real.coverage.retriesExhausted += 1
  }
  for (const entry of after.values()) {
    const was = before.get(entry.id)!
    const expected = model.entries.get(entry.id)!
    if (handed.includes(entry) || entry.state === was.state || expected.history.at(-1) === "lease expired") continue
    expect({ from: was.state, to: entry.state, optedOut: model.optedOut.has(expected.to) }, `${entry.id} changed without a hand-over`)
      .toEqual({ from: "pending", to: "failed", optedOut: true })
    expected.state = "failed"
    expected.history.push("refused")
    real.coverage.refusedAfterUnsubscribe += 1
  }
  for (const [id, expected] of model.entries) {
    const entry = after.get(id)!
    expect({ state: entry.state, attempts: entry.attempts }, `${id} after ${expected.history.join(", ") || "nothing"}`)
      .toEqual({ state: expected.state, attempts: expected.attempts })
  }
}

export class Send implements OutboxCommand {
  constructor(readonly client: number) {}
  check = () => true
  async run(model: OutboxModel, real: OutboxReal) {
    real.texts += 1
    const phone = clientPhones[this.client]!
    const exit = await real.world.exit(sendSms({ staffId: staff.coord, clientId: clients[this.client]!, body: `staff text ${real.texts}` }))
    const expected = model.optedOut.has(phone) ? "ConsentRequired" : "ok"
    expect(outcomeTag(exit)).toBe(expected)
    if (Exit.isSuccess(exit)) {
      const entry = [...(await entries(real)).values()].find((e) => e.messageId === exit.value.id)!
      expect({ to: entry.to, state: entry.state }).toEqual({ to: phone, state: "pending" })
      model.entries.set(entry.id, { id: entry.id, to: phone, state: "pending", attempts: 0, onAir: 0, history: [] })
    } else {
      real.coverage.consentRequired += 1
    }
    await checkAll(model, real)
  }
  toString = () => `Send(c${this.client + 1})`
}

export class Inject implements OutboxCommand {
  constructor(readonly plan: ReadonlyArray<SendOutcome>) {}
  check = () => true
  async run(model: OutboxModel, real: OutboxReal) {
    await real.world.run(FakeSmsControl.use((c) => c.injectFaults(this.plan)))
    model.faults.push(...this.plan)
  }
  toString = () => `Inject([${this.plan.map(describeOutcome).join(", ")}])`
}

export class DispatchOnce implements OutboxCommand {
  check = () => true
  async run(model: OutboxModel, real: OutboxReal) {
    await dispatchOnce(model, real)
    await checkAll(model, real)
  }
  toString = () => "DispatchOnce"
}

export class Advance implements OutboxCommand {
  constructor(readonly ms: number) {}
  check = () => true
  async run(_model: OutboxModel, real: OutboxReal) {
    await real.world.run(TestClock.adjust(this.ms))
  }
  toString = () => `Advance(${this.ms}ms)`
}

/**
 * A worker claims due entries under a lease and dies before handing them over; the restarted
 * process builds a new dispatcher and recovers only claims whose lease has ended (an earlier
 * crash's): the fresh ones may belong to a live instance, so they stay claimed until their lease
 * ends, then become `unknown`. None is ever sent.
 */
export class Crash implements OutboxCommand {
  constructor(readonly limit: number) {}
  check = () => true
  async run(model: OutboxModel, real: OutboxReal) {
    const before = await entries(real)
    const now = await real.world.now()
    const leaseUntil = now + CLAIM_LEASE_MS
    const claimed = await real.world.run(OutboxStore.use((o) => o.claimDue(now, this.limit, leaseUntil)))
    const expired = modelExpireLeases(model, now)
    for (const entry of claimed) {
      const was = before.get(entry.id)!
      expect({ state: was.state, due: was.notBefore <= now }, `${entry.id} claimed`).toEqual({ state: "pending", due: true })
      const expected = model.entries.get(entry.id)!
      expected.state = "sending"
      expected.leaseUntil = leaseUntil
      expected.history.push("crash")
      real.coverage.crashed += 1
    }
    real.dispatcher = await real.world.run(makeOutboxDispatcher)
    expect(await real.world.run(real.dispatcher.recoverInterrupted), "claims recovered at start-up").toBe(expired)
    real.coverage.leaseExpired += expired
    await checkAll(model, real)
  }
  toString = () => `Crash(claim ${this.limit})`
}

/**
 * Dispatches and lets virtual time pass until nothing waits (no pending entry, no claim under lease);
 * then nothing is pending or mid-send.
 */
export class Drain implements OutboxCommand {
  check = () => true
  async run(model: OutboxModel, real: OutboxReal) {
    for (let round = 0; round < 500; round++) {
      await dispatchOnce(model, real)
      const waiting = [...(await entries(real)).values()].filter((e) => e.state === "pending" || e.state === "sending")
      if (waiting.length === 0) break
      const now = await real.world.now()
      await real.world.run(TestClock.adjust(Math.max(10, Math.min(...waiting.map((e) => e.notBefore)) - now)))
    }
    await checkAll(model, real)
    const stored = [...(await entries(real)).values()]
    expect(stored.filter((e) => e.state === "pending" || e.state === "sending").map((e) => e.id), "left pending or mid-send").toEqual([])
    for (const entry of stored) {
      const message = Option.getOrThrow(await real.world.run(Conversations.use((c) => c.getMessage(entry.messageId))))
      expect(["sending", "failed", "unknown"], `${entry.id}: message ends accepted, failed or unknown`).toContain(message.status)
    }
  }
  toString = () => "Drain"
}
