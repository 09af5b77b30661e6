import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { acceptInbound, consentOf, Conversations, Directory, InboundProcessor, inboundProcessorLayer, type Message } from "@careline/core"
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

/** Stores a client's text as the webhook does, without processing it. */
const storedText = (n: number, body: string) =>
  Effect.gen(function* () {
    const sms = yield* FakeSmsControl.use((phone) => phone.inbound({ from: clientPhones[n % clientPhones.length]!, to: lineNumbers[lines.queue]!, body }))
    return yield* acceptInbound(sms)
  })
const stored = (n: number) => storedText(n, `text ${n}`)

const processedAt = (message: Message) => Effect.map(Conversations.use((c) => c.getMessage(message.id)), (m) => Option.getOrThrow(m).processedAt)

/** Runs `body` with a processor of these options, built for the duration of `body` only. */
const withProcessor = <A, E, R>(options: { workers: number; capacity: number; burstPerSecond?: number }, body: (processor: InboundProcessor["Service"]) => Effect.Effect<A, E, R>) =>
  Effect.scoped(Effect.flatMap(Layer.build(inboundProcessorLayer(options)), (context) => body(Context.get(context, InboundProcessor))))

describe("InboundProcessor", () => {
  it("processes every submitted text; settled waits for all of them", async () => {
    const processed = await world.run(withProcessor({ workers: 3, capacity: 100 }, (processor) =>
      Effect.gen(function* () {
        const messages = yield* Effect.forEach([0, 1, 2, 3, 4, 5, 6], stored)
        for (const message of messages) expect(yield* processor.submit(message)).toBe(true)
        yield* processor.settled
        return yield* Effect.forEach(messages, processedAt)
      })))
    expect(processed.every((at) => at !== undefined)).toBe(true)
  })

  it("refuses texts beyond its capacity without losing them: the sweep processes what is left", async () => {
    const [queued, refused, processed] = await world.run(withProcessor({ workers: 0, capacity: 1 }, (processor) =>
      Effect.gen(function* () {
        const first = yield* stored(0)
        const second = yield* stored(1)
        const queued = yield* processor.submit(first)
        const refused = !(yield* processor.submit(second))
        expect(yield* processedAt(second)).toBeUndefined()
        expect(yield* processor.sweep).toBe(2)
        return [queued, refused, yield* Effect.forEach([first, second], processedAt)] as const
      })))
    expect(queued).toBe(true)
    expect(refused).toBe(true)
    expect(processed.every((at) => at !== undefined)).toBe(true)
  })

  it("takes back the texts a full queue refused once it has drained, with no sweep", async () => {
    const processed = await world.run(withProcessor({ workers: 2, capacity: 5 }, (processor) =>
      Effect.gen(function* () {
        const messages = yield* Effect.forEach(Array.from({ length: 23 }, (_, i) => i), stored)
        const queued = yield* Effect.forEach(messages, (message) => processor.submit(message))
        expect(queued.filter((q) => !q).length).toBeGreaterThan(0)
        // In wall time: the refused texts are taken back after the queue has drained, by the processor's own fiber.
        for (let wait = 0; wait < 2_000 && (yield* Effect.forEach(messages, processedAt)).some((at) => at === undefined); wait++) {
          yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)))
        }
        yield* processor.settled
        return yield* Effect.forEach(messages, processedAt)
      })))
    expect(processed.filter((at) => at === undefined)).toEqual([])
  })

  it("processes a text once, however often it is submitted and swept", async () => {
    const trail = await world.run(withProcessor({ workers: 4, capacity: 100 }, (processor) =>
      Effect.gen(function* () {
        const message = yield* stored(0)
        for (let i = 0; i < 5; i++) yield* processor.submit(message)
        yield* processor.sweep
        yield* processor.settled
        return yield* auditTrail
      })))
    expect(trail.filter((event) => event.action === "message.receive")).toHaveLength(1)
  })

  it("in a burst, holds most workers back but still processes everything, and all of it once the burst has passed", async () => {
    const processed = await world.run(withProcessor({ workers: 8, capacity: 1_000, burstPerSecond: 1 }, (processor) =>
      Effect.gen(function* () {
        const messages = yield* Effect.forEach(Array.from({ length: 60 }, (_, i) => i), stored)
        for (const message of messages) yield* processor.submit(message)
        yield* processor.settled
        return yield* Effect.forEach(messages, processedAt)
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
        const backlog = yield* Effect.forEach(Array.from({ length: 60 }, (_, i) => i), stored)
        for (const message of backlog) yield* processor.submit(message)
        const urgent = yield* storedText(60, body)
        yield* processor.submit(urgent)
        // Wall time, as the burst is measured in: the paced worker takes one text of the backlog a second.
        while ((yield* processedAt(urgent)) === undefined) yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)))
        const stillWaiting = (yield* Effect.forEach(backlog, processedAt)).filter((at) => at === undefined).length
        const consent = yield* consentOf(urgent.organisationId, clientPhones[60 % clientPhones.length]!)
        const channel = yield* Conversations.use((c) => c.getChannel(urgent.channelId))
        yield* processor.settled
        return [stillWaiting, consent.state, Option.getOrThrow(channel).urgentSince] as const
      })))
    expect(stillWaiting).toBeGreaterThanOrEqual(50)
    if (body === "stop") expect(consent).toBe("opted_out")
    else expect(urgentSince).toBeDefined()
  }, 120_000)

  it("sweepWhenIdle does nothing while a submitted text waits for the workers (the periodic sweep never competes with them)", async () => {
    const [whileWaiting, afterwards, processed] = await world.run(withProcessor({ workers: 0, capacity: 1 }, (processor) =>
      Effect.gen(function* () {
        const first = yield* stored(0)
        const second = yield* stored(1)
        yield* processor.submit(first)
        yield* processor.submit(second) // refused: the queue is full
        const whileWaiting = yield* processor.sweepWhenIdle
        const untouched = yield* Effect.forEach([first, second], processedAt)
        expect(untouched).toEqual([undefined, undefined])
        return [whileWaiting, yield* processor.sweep, yield* Effect.forEach([first, second], processedAt)] as const
      })))
    expect(whileWaiting).toBe(0)
    expect(afterwards).toBe(2)
    expect(processed.every((at) => at !== undefined)).toBe(true)
  })
})
