import { type OutboundSms, OutboxId, ProviderMessageId, SmsProvider, SmsSendFailed } from "@careline/core"
import { phone, runWith, smsProviderSuite } from "@careline/testkit"
import { Effect, Exit, Fiber, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { FakeSms, FakeSmsControl } from "./index.js"
import { shuffle, statusCallbacks } from "./StatusCallbacks.js"

smsProviderSuite("fake", FakeSms.layer)

const run = runWith(FakeSms.layer)
const clinic = phone(1)
const client = phone(2)
const sms = (n: number): OutboundSms => ({ outboxId: OutboxId.make(`out_${n}`), from: clinic, to: client, body: `hello ${n}` })
const send = (n: number) => SmsProvider.use((p) => p.send(sms(n)))
const sid = (n: number) => ProviderMessageId.make(`SM${n.toString(16).padStart(32, "0")}`)

describe("FakeSms sends", () => {
  it("issues deterministic Twilio-like ids and records each send in order", async () => {
    const sent = await run(Effect.gen(function* () {
      expect(yield* send(1)).toBe(sid(1))
      expect(yield* send(2)).toBe(sid(2))
      return yield* (yield* FakeSmsControl).sent
    }))
    expect(sent).toEqual([
      { outboxId: "out_1", from: clinic, to: client, body: "hello 1", providerMessageId: sid(1), sequence: 1 },
      { outboxId: "out_2", from: clinic, to: client, body: "hello 2", providerMessageId: sid(2), sequence: 2 }
    ])
    expect(sid(1)).toMatch(/^SM[0-9a-f]{32}$/)
  })

  it("starts every layer build empty, and reset empties it again", async () => {
    const program = Effect.gen(function* () {
      const control = yield* FakeSmsControl
      const first = yield* send(1)
      yield* control.injectFaults([{ _tag: "Fail", reason: "Rejected" }])
      yield* control.reset
      return { first, afterReset: yield* send(2), sent: yield* control.sent }
    })
    const a = await run(program)
    const b = await run(program)
    expect(a).toEqual(b)
    expect(a.afterReset).toBe(sid(1))
    expect(a.sent.map((s) => s.outboxId)).toEqual(["out_2"])
  })
})

describe("FakeSms faults", () => {
  const final = ["Transient", "RecipientUnsubscribed", "InvalidNumber", "Rejected"] as const

  for (const reason of final) {
    it(`${reason}: fails the send and records nothing`, async () => {
      const { exit, sent } = await run(Effect.gen(function* () {
        const control = yield* FakeSmsControl
        yield* control.injectFaults([{ _tag: "Fail", reason, code: "21610", retryAfterMs: 500 }])
        return { exit: yield* Effect.exit(send(1)), sent: yield* control.sent }
      }))
      expect(exit).toEqual(Exit.fail(new SmsSendFailed({ reason, code: "21610", retryAfterMs: 500 })))
      expect(sent).toEqual([])
    })
  }

  it("Indeterminate: records the text as sent but fails the caller", async () => {
    const { exit, sent } = await run(Effect.gen(function* () {
      const control = yield* FakeSmsControl
      yield* control.injectFaults([{ _tag: "Fail", reason: "Indeterminate" }])
      return { exit: yield* Effect.exit(send(1)), sent: yield* control.sent }
    }))
    expect(exit).toEqual(Exit.fail(new SmsSendFailed({ reason: "Indeterminate" })))
    expect(sent).toEqual([{ outboxId: "out_1", from: clinic, to: client, body: "hello 1", providerMessageId: sid(1), sequence: 1 }])
  })

  it("applies the plan to the next sends in order, then succeeds", async () => {
    const results = await run(Effect.gen(function* () {
      yield* (yield* FakeSmsControl).injectFaults([
        { _tag: "Fail", reason: "Transient" },
        { _tag: "Succeed" },
        { _tag: "Fail", reason: "Indeterminate" }
      ])
      return yield* Effect.forEach([1, 2, 3, 4], (n) => Effect.result(send(n)).pipe(Effect.map((r) => r._tag)))
    }))
    expect(results).toEqual(["Failure", "Success", "Failure", "Success"])
  })

  it("gives concurrent sends one planned outcome each", async () => {
    const { failures, sent } = await run(Effect.gen(function* () {
      const control = yield* FakeSmsControl
      yield* control.injectFaults([{ _tag: "Fail", reason: "Transient" }, { _tag: "Fail", reason: "Rejected" }])
      const exits = yield* Effect.forEach([1, 2, 3, 4, 5], (n) => Effect.exit(send(n)), { concurrency: "unbounded" })
      return { failures: exits.filter(Exit.isFailure).length, sent: yield* control.sent }
    }))
    expect(failures).toBe(2)
    expect(sent.map((s) => s.sequence)).toEqual([1, 2, 3])
  })
})

describe("FakeSms inbound", () => {
  it("gives inbound texts fresh ids that never clash with sent ones", async () => {
    const [sent, inbound] = await run(Effect.gen(function* () {
      const control = yield* FakeSmsControl
      const id = yield* send(1)
      return [id, yield* control.inbound({ from: client, to: clinic, body: "STOP" })] as const
    }))
    expect(inbound).toEqual({ from: client, to: clinic, body: "STOP", providerMessageId: sid(2) })
    expect(inbound.providerMessageId).not.toBe(sent)
  })

  it("keeps a given provider id, so tests can replay a duplicate webhook", async () => {
    const given = ProviderMessageId.make("SMfeedface")
    const inbound = await run(FakeSmsControl.use((c) => c.inbound({ from: client, to: clinic, body: "hi", providerMessageId: given })))
    expect(inbound.providerMessageId).toBe(given)
  })
})

describe("FakeSms traffic (what a handset would show)", () => {
  it("logs accepted sends and inbound texts in order, both directions, and nothing a send failed", async () => {
    const traffic = await run(Effect.gen(function* () {
      const control = yield* FakeSmsControl
      yield* send(1)
      yield* control.injectFaults([{ _tag: "Fail", reason: "Rejected" }])
      yield* Effect.exit(send(2))
      yield* control.inbound({ from: client, to: clinic, body: "hi back" })
      return yield* control.traffic
    }))
    expect(traffic.map(({ direction, from, to, body }) => ({ direction, from, to, body }))).toEqual([
      { direction: "to_phone", from: clinic, to: client, body: "hello 1" },
      { direction: "from_phone", from: client, to: clinic, body: "hi back" }
    ])
    expect(traffic[0]!.providerMessageId).toBe(sid(1))
  })

  it("streams each text carried after subscribing to every subscriber", async () => {
    const [first, second] = await run(Effect.gen(function* () {
      const control = yield* FakeSmsControl
      yield* send(1)
      const a = yield* Effect.forkChild(Stream.runCollect(Stream.take(control.carried, 2)))
      const b = yield* Effect.forkChild(Stream.runCollect(Stream.take(control.carried, 2)))
      yield* Effect.yieldNow
      yield* control.inbound({ from: client, to: clinic, body: "one" })
      yield* send(2)
      return [yield* Fiber.join(a), yield* Fiber.join(b)] as const
    }))
    expect(first.map((c) => [c.direction, c.body])).toEqual([["from_phone", "one"], ["to_phone", "hello 2"]])
    expect(second).toEqual(first)
  })

  it("subscribe listens from the moment it returns: nothing carried after it is missed", async () => {
    const seen = await run(Effect.scoped(Effect.gen(function* () {
      const control = yield* FakeSmsControl
      yield* send(1)
      const listening = yield* control.subscribe
      yield* send(2)
      yield* control.inbound({ from: client, to: clinic, body: "after" })
      return yield* Stream.runCollect(Stream.take(listening, 2))
    })))
    expect(seen.map((c) => c.body)).toEqual(["hello 2", "after"])
  })

  it("reset forgets the traffic", async () => {
    const traffic = await run(Effect.gen(function* () {
      const control = yield* FakeSmsControl
      yield* send(1)
      yield* control.reset
      return yield* control.traffic
    }))
    expect(traffic).toEqual([])
  })
})

describe("FakeSms status callbacks", () => {
  const callbacks = (options?: Parameters<typeof statusCallbacks>[1]) =>
    run(Effect.gen(function* () {
      const id = yield* send(1)
      return yield* (yield* FakeSmsControl).statusCallbacks(id, options)
    }))

  it("follows sending, sent, delivered by default", async () => {
    expect((await callbacks()).map((u) => u.status)).toEqual(["sending", "sent", "delivered"])
  })

  it("ends undelivered or failed with the error code on the last callback", async () => {
    expect(await callbacks({ final: "undelivered", errorCode: "30003" })).toEqual([
      { providerMessageId: sid(1), status: "sending" },
      { providerMessageId: sid(1), status: "sent" },
      { providerMessageId: sid(1), status: "undelivered", errorCode: "30003" }
    ])
    expect((await callbacks({ final: "failed", errorCode: "30008" })).map((u) => [u.status, u.errorCode])).toEqual([
      ["sending", undefined],
      ["failed", "30008"]
    ])
  })

  it("sends each callback twice when asked for duplicates", async () => {
    expect((await callbacks({ duplicate: true })).map((u) => u.status)).toEqual(["sending", "sending", "sent", "sent", "delivered", "delivered"])
  })

  it("shuffles deterministically: same seed, same order, same callbacks", async () => {
    const plain = await callbacks({ duplicate: true })
    const a = await callbacks({ duplicate: true, shuffleSeed: 42 })
    const b = await callbacks({ duplicate: true, shuffleSeed: 42 })
    expect(a).toEqual(b)
    expect(a).not.toEqual(plain)
    expect([...a].sort(byStatus)).toEqual([...plain].sort(byStatus))
  })

  it("dies for an id it never sent", async () => {
    const exit = await run(Effect.exit(FakeSmsControl.use((c) => c.statusCallbacks(sid(99)))))
    expect(Exit.hasDies(exit)).toBe(true)
  })
})

describe("shuffle", () => {
  const items = Array.from({ length: 20 }, (_, i) => i)

  it("is a permutation for every seed", () => {
    for (let seed = 0; seed < 200; seed++) {
      expect([...shuffle(items, seed)].sort((x, y) => x - y)).toEqual(items)
    }
  })

  it("repeats for a seed and varies across seeds", () => {
    expect(shuffle(items, 7)).toEqual(shuffle(items, 7))
    const orders = new Set(Array.from({ length: 50 }, (_, seed) => shuffle(items, seed).join(",")))
    expect(orders.size).toBeGreaterThan(45)
  })
})

const byStatus = (x: { status: string }, y: { status: string }) => x.status.localeCompare(y.status)
