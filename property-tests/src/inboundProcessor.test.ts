import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { consentOf, Conversations, Directory, InboundProcessor, inboundProcessorLayer, type InboundSms, PhoneNumber } from "@careline/core"
import { makeOrganisation } from "@careline/testkit"
import { Context, Effect, Layer, Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { clientPhones, lineNumbers, lines, org, seedScenario } from "./Scenario.js"
import { auditTrail } from "./scenarios/Harness.js"
import { makeWorld, type World } from "./World.js"

let world: World
beforeEach(async () => {
  world = await makeWorld(seedScenario)
})
afterEach(() => world.dispose())

/** A client's text as the webhook receives it. */
const textOf = (n: number, body: string) =>
  FakeSmsControl.use((phone) => phone.inbound({ from: clientPhones[n % clientPhones.length]!, to: lineNumbers[lines.queue]!, body }))
const texts = (count: number) => Effect.forEach(Array.from({ length: count }, (_, i) => i), (n) => textOf(n, `text ${n}`))

/** When the text was processed; `undefined` while it is unprocessed or not yet stored in its channel. */
const processedAt = (sms: InboundSms) =>
  Effect.map(Conversations.use((c) => c.findMessageByProviderId(sms.providerMessageId)), (m) => Option.getOrUndefined(m)?.processedAt)

/** Runs `body` with a processor of these options, built for the duration of `body` only. */
const withProcessor = <A, E, R>(options: { workers: number; capacity: number; burstPerSecond?: number }, body: (processor: InboundProcessor["Service"]) => Effect.Effect<A, E, R>) =>
  Effect.scoped(Effect.flatMap(Layer.build(inboundProcessorLayer(options)), (context) => body(Context.get(context, InboundProcessor))))

describe("InboundProcessor", () => {
  it("processes every accepted text; settled waits for all of them", async () => {
    const processed = await world.run(withProcessor({ workers: 3, capacity: 100 }, (processor) =>
      Effect.gen(function* () {
        const sent = yield* texts(7)
        for (const sms of sent) yield* processor.accept(sms)
        yield* processor.settled
        return yield* Effect.forEach(sent, processedAt)
      })))
    expect(processed.every((at) => at !== undefined)).toBe(true)
  })

  it("loses nothing when far more texts arrive than its queue holds: they wait in the inbound log", async () => {
    const [messages, processed] = await world.run(withProcessor({ workers: 2, capacity: 1 }, (processor) =>
      Effect.gen(function* () {
        const sent = yield* texts(23)
        yield* Effect.forEach(sent, (sms) => processor.accept(sms), { concurrency: "unbounded" })
        yield* processor.settled
        const messages = yield* Effect.forEach(sent, (sms) => Conversations.use((c) => c.findMessageByProviderId(sms.providerMessageId)))
        return [messages, yield* Effect.forEach(sent, processedAt)] as const
      })))
    expect(messages.filter(Option.isNone)).toEqual([])
    expect(processed.filter((at) => at === undefined)).toEqual([])
  })

  it("stores and processes a text once, however often it is accepted and swept", async () => {
    const [trail, logged] = await world.run(withProcessor({ workers: 4, capacity: 100 }, (processor) =>
      Effect.gen(function* () {
        const sms = yield* textOf(0, "hello")
        yield* Effect.forEach([1, 2, 3, 4, 5], () => processor.accept(sms), { concurrency: "unbounded" })
        yield* processor.sweep
        yield* processor.settled
        return [yield* auditTrail, yield* Conversations.use((c) => c.routeLogged(10))] as const
      })))
    expect(trail.filter((event) => event.action === "message.receive")).toHaveLength(1)
    expect(logged).toEqual([])
  })

  it("drops a text to a number no line has, and is still settled", async () => {
    const logged = await world.run(withProcessor({ workers: 1, capacity: 10 }, (processor) =>
      Effect.gen(function* () {
        const sms = yield* textOf(0, "wrong number")
        yield* processor.accept({ ...sms, to: PhoneNumber.make("+15559990000") })
        yield* processor.settled
        return yield* Conversations.use((c) => c.routeLogged(10))
      })))
    expect(logged).toEqual([])
  })

  it("in a burst, holds the backlog in the log but still processes everything, and all of it once the burst has passed", async () => {
    const processed = await world.run(withProcessor({ workers: 8, capacity: 1_000, burstPerSecond: 1 }, (processor) =>
      Effect.gen(function* () {
        const sent = yield* texts(60)
        for (const sms of sent) yield* processor.accept(sms)
        yield* processor.settled
        return yield* Effect.forEach(sent, processedAt)
      })))
    expect(processed.every((at) => at !== undefined)).toBe(true)
  })

  it.each([
    ["a consent keyword: a STOP is applied", "stop"],
    ["a crisis word: the channel turns urgent", "I took an OVERDOSE."]
  ])("in a burst, takes an urgent text ahead of the backlog, %s while the texts before it still wait", async (_, body) => {
    const [stillWaiting, consent, urgentSince] = await world.run(withProcessor({ workers: 2, capacity: 1_000, burstPerSecond: 1 }, (processor) =>
      Effect.gen(function* () {
        yield* Directory.use((d) => d.putOrganisation(makeOrganisation({ id: org, crisisWords: ["overdose"] })))
        const backlog = yield* texts(60)
        for (const sms of backlog) yield* processor.accept(sms)
        const urgent = yield* textOf(60, body)
        yield* processor.accept(urgent)
        // Wall time, as the burst is measured in: the paced router takes one text of the backlog a second.
        while ((yield* processedAt(urgent)) === undefined) yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)))
        const stillWaiting = (yield* Effect.forEach(backlog, processedAt)).filter((at) => at === undefined).length
        const consent = yield* consentOf(org, clientPhones[60 % clientPhones.length]!)
        const message = Option.getOrThrow(yield* Conversations.use((c) => c.findMessageByProviderId(urgent.providerMessageId)))
        const channel = yield* Conversations.use((c) => c.getChannel(message.channelId))
        yield* processor.settled
        return [stillWaiting, consent.state, Option.getOrThrow(channel).urgentSince] as const
      })))
    expect(stillWaiting).toBeGreaterThanOrEqual(50)
    if (body === "stop") expect(consent).toBe("opted_out")
    else expect(urgentSince).toBeDefined()
  }, 120_000)

  it("sweepWhenIdle does nothing while the router works through the log (the periodic sweep never competes with it)", async () => {
    const [whileWorking, waitingThen, processed] = await world.run(withProcessor({ workers: 1, capacity: 10, burstPerSecond: 1 }, (processor) =>
      Effect.gen(function* () {
        const sent = yield* texts(20)
        for (const sms of sent) yield* processor.accept(sms)
        // In a burst the router stores one text a second, so it is still at work.
        const whileWorking = yield* processor.sweepWhenIdle
        const waitingThen = (yield* Effect.forEach(sent, processedAt)).filter((at) => at === undefined).length
        yield* processor.settled
        return [whileWorking, waitingThen, yield* Effect.forEach(sent, processedAt)] as const
      })))
    expect(whileWorking).toBe(0)
    expect(waitingThen).toBeGreaterThanOrEqual(15)
    expect(processed.every((at) => at !== undefined)).toBe(true)
  })

  it("sweep stores and processes what the inbound log holds when no worker does (a crash's leftovers)", async () => {
    const [before, swept, processed] = await world.run(withProcessor({ workers: 0, capacity: 1 }, (processor) =>
      Effect.gen(function* () {
        const sent = yield* texts(2)
        for (const sms of sent) yield* processor.accept(sms)
        const before = yield* Effect.forEach(sent, processedAt)
        return [before, yield* processor.sweep, yield* Effect.forEach(sent, processedAt)] as const
      })))
    expect(before).toEqual([undefined, undefined])
    expect(swept).toBe(2)
    expect(processed.every((at) => at !== undefined)).toBe(true)
  })
})
