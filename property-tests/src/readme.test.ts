import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { conversation, layer } from "./readme/example.js"

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8")
const example = readFileSync(new URL("./readme/example.ts", import.meta.url), "utf8")

describe("README library example", () => {
  it("is the code in README.md, word for word", () => {
    expect(readme).toContain("```ts\n" + example + "```")
  })

  it("runs the whole lifecycle: consent, send, hand-over, reply, inbox", async () => {
    const { inbox, sent } = await Effect.runPromise(
      Effect.gen(function* () {
        const inbox = yield* conversation
        const sent = yield* FakeSmsControl.use((c) => c.sent)
        return { inbox, sent }
      }).pipe(Effect.provide(layer, { local: true }))
    )
    expect(sent.map((s) => [s.to, s.body])).toEqual([["+15550000001", "Hi Casey, still on for 3pm?"]])
    expect(inbox).toHaveLength(1)
    expect(inbox[0]).toMatchObject({ contact: "Casey Client – Mobile", unread: true, channel: { status: "unread", unreadCount: 1 } })
  })
})
