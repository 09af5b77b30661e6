import { mailerSuite } from "@careline/testkit"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { CapturedMail, layer, notCapturing } from "./MemoryMailer.js"

mailerSuite("memory", async () => {
  const context = await Effect.runPromise(Effect.scoped(Layer.build(layer)))
  return {
    layer: Layer.succeedContext(context),
    received: () => Effect.runPromise(Effect.provide(CapturedMail.use((mail) => mail.all), context)),
    close: async () => {}
  }
})

describe("CapturedMail", () => {
  it("says whether it captures: the memory mailer does, the stand-in beside SMTP keeps nothing", async () => {
    const capturing = await Effect.runPromise(Effect.provide(CapturedMail.use((mail) => Effect.succeed(mail.capturing)), layer))
    const beside = await Effect.runPromise(Effect.provide(CapturedMail.use((mail) => Effect.map(mail.all, (all) => [mail.capturing, all.length] as const)), notCapturing))
    expect(capturing).toBe(true)
    expect(beside).toEqual([false, 0])
  })
})
