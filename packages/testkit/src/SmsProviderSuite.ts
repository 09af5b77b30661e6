import { type OutboundSms, OutboxId, SmsProvider } from "@careline/core"
import { Effect, type Layer } from "effect"
import { describe, expect, it } from "vitest"
import { phone } from "./fixtures.js"
import { runWith } from "./runEffect.js"

const outbound = (n: number): OutboundSms => ({
  outboxId: OutboxId.make(`out_${n}`),
  from: phone(1),
  to: phone(100 + n),
  body: `Conformance message ${n}`
})

const sendAll = (count: number, concurrency: number | "unbounded") =>
  Effect.gen(function* () {
    const provider = yield* SmsProvider
    return yield* Effect.forEach(Array.from({ length: count }, (_, i) => outbound(i + 1)), provider.send, { concurrency })
  })

/**
 * What every `SmsProvider` adapter must do, whatever sits behind it; each adapter's tests run it.
 * The layer may fail to build (a real provider's may): the test then fails with why.
 *
 * @example
 * smsProviderSuite("fake", FakeSms.layer)
 */
export const smsProviderSuite = (name: string, layer: Layer.Layer<SmsProvider, unknown>) =>
  describe(`SmsProvider (${name})`, () => {
    const run = runWith(layer)

    it("returns a non-empty provider id for a send", async () => {
      const [id] = await run(sendAll(1, 1))
      expect(id).toBeTypeOf("string")
      expect(id!.length).toBeGreaterThan(0)
    })

    it("gives distinct sends distinct ids", async () => {
      const ids = await run(sendAll(5, 1))
      expect(new Set(ids).size).toBe(5)
    })

    it("accepts concurrent sends, each with its own id", async () => {
      const ids = await run(sendAll(20, "unbounded"))
      expect(ids).toHaveLength(20)
      expect(ids.every((id) => id.length > 0)).toBe(true)
      expect(new Set(ids).size).toBe(20)
    })
  })
