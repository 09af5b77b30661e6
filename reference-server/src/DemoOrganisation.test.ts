import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { listInbox, makeOutboxDispatcher, OutboxStore, type Staff } from "@careline/core"
import { Effect, Option, Result } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { loadConfig } from "./Config.js"
import { type DemoSeeded, demoClientEmail, demoClientPassword, seedDemoOrganisation } from "./DemoOrganisation.js"
import { makeRuntime, type ServerRuntime } from "./Runtime.js"
import { portalSignIn } from "./web/PortalSessions.js"
import { SignInThrottle } from "./web/Throttle.js"

let runtime: ServerRuntime
let seeded: DemoSeeded
beforeEach(async () => {
  runtime = makeRuntime(Result.getOrThrow(loadConfig({ DATABASE_URL: ":memory:" })))
  seeded = await runtime.runPromise(seedDemoOrganisation(undefined))
})
afterEach(() => runtime.dispose())

const staffNamed = (name: string) => seeded.staff.find((s) => s.name === name) as Staff
const inboxOf = (name: string) =>
  runtime.runPromise(Effect.map(listInbox({ staffId: staffNamed(name).id }), (rows) => rows.map((r) => ({ contact: r.contact, status: r.channel.status }))))

describe("demo organisation", () => {
  it("has a client with a portal account, who signs in with the printed login", async () => {
    const started = await runtime.runPromise(portalSignIn(new SignInThrottle(), demoClientEmail, demoClientPassword, "test"))
    expect(started.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(seeded.organisation.portalShowsSms).toBe(true)
  })

  it("starts with conversations: the peer specialist has one unread and one done, the queue one open", async () => {
    const peer = await inboxOf("Pat Peer")
    expect(peer).toContainEqual({ contact: "Bea Chen – Mobile", status: "unread" })
    expect(peer).toContainEqual({ contact: "Alex Rivera – Mobile", status: "done" })
    expect(peer.map((r) => r.contact)).toContain("Dee Novak – Mobile")
    expect(await inboxOf("Fran Front")).toContainEqual({ contact: "Cal Okafor – Mobile", status: "open" })
    expect((await inboxOf("Theo Therapist")).map((r) => r.contact)).toEqual(["Hana Silva – Mobile"])
  })

  it("the staff replies go out through the outbox, and the phone simulator's traffic holds both sides", async () => {
    const traffic = await runtime.runPromise(Effect.gen(function* () {
      const dispatcher = yield* makeOutboxDispatcher
      // Each demo line sends one text a second, so the peer's two replies take two rounds.
      for (let round = 0; round < 50; round++) {
        yield* dispatcher.dispatchDue()
        if ((yield* OutboxStore.use((o) => o.listByState("pending"))).length === 0) break
        yield* Effect.sleep("100 millis")
      }
      return yield* Option.getOrThrow(yield* Effect.serviceOption(FakeSmsControl)).traffic
    }))
    expect(traffic.filter((t) => t.direction === "from_phone").map((t) => t.body)).toContain("Running about 10 minutes late for our 2pm, sorry!")
    expect(traffic.filter((t) => t.direction === "to_phone").map((t) => t.body)).toContain("Hi Dee, just checking in after Monday. How are you doing this week?")
  })
})
