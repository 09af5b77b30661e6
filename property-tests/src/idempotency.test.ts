import {
  type Stores,
  applyStatusUpdate,
  attestConsent,
  Conversations,
  type InboundOutcome,
  type InboundSms,
  type Message,
  receiveInbound,
  sendSms
} from "@careline/core"
import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { arbCallbacks, type Callback, compareDelivery, type Delivery, maxDelivery, show } from "./idempotency/DeliveryOrder.js"
import { arbInboundBatch, channelKey } from "./idempotency/InboundBatch.js"
import { yieldingStores } from "./idempotency/YieldingStores.js"
import { freshStores } from "./StoresUnderTest.js"
import { clients, lineNumbers, lines, seedScenario, staff } from "./Scenario.js"
import { makeWorld, numRuns, type World } from "./World.js"

const everyLine = Object.values(lines)

/** Every stored message of every channel, with its channel's key and unread count. */
const snapshot = (world: World) =>
  world.run(Effect.gen(function* () {
    const conversations = yield* Conversations
    const channels = yield* conversations.channelsOfLines(everyLine)
    const messages: Array<Message> = []
    for (const channel of channels) messages.push(...(yield* conversations.listMessages(channel.id, { limit: 10_000 })))
    return { channels, messages }
  }))

/**
 * One delivery of the batch: each provider id is stored exactly once, one `Stored` per distinct id
 * and `Duplicate` for every repeat, each channel holds one inbound message per distinct id sent to
 * it and counts exactly those as unread. Returns what was stored, for comparing two orders.
 */
const deliverAndCheck = async (world: World, texts: ReadonlyArray<InboundSms>, concurrent: boolean) => {
  const outcomes: ReadonlyArray<InboundOutcome> = await world.run(
    Effect.all(texts.map(receiveInbound), { concurrency: concurrent ? "unbounded" : 1 })
  )
  const distinct = new Map(texts.map((t) => [t.providerMessageId, t]))
  for (const [id] of distinct) {
    const mine = outcomes.filter((_, i) => texts[i]!.providerMessageId === id).map((o) => o._tag)
    const expected = ["Stored", ...mine.slice(1).map(() => "Duplicate")]
    expect(mine.sort(), `outcomes for ${id}`).toEqual(expected.sort())
  }
  const { channels, messages } = await snapshot(world)
  const keyOf = new Map(channels.map((c) => [c.id, channelKey(lineNumbers[c.lineId]!, c.phone)]))
  for (const [id, text] of distinct) {
    const found = await world.run(Conversations.use((c) => c.findMessageByProviderId(id)))
    expect(Option.isSome(found), `${id} is found`).toBe(true)
    const message = Option.getOrThrow(found)
    expect({ body: message.body, direction: message.direction, channel: keyOf.get(message.channelId) })
      .toEqual({ body: text.body, direction: "inbound", channel: channelKey(text.to, text.from) })
    expect(messages.filter((m) => m.providerMessageId === id).length, `${id} stored once`).toBe(1)
  }
  const expectedPerChannel = new Map<string, number>()
  for (const text of distinct.values()) {
    const key = channelKey(text.to, text.from)
    expectedPerChannel.set(key, (expectedPerChannel.get(key) ?? 0) + 1)
  }
  const perChannel = new Map(channels.map((c) => [keyOf.get(c.id)!, {
    inbound: messages.filter((m) => m.channelId === c.id && m.direction === "inbound").length,
    unreadCount: c.unreadCount
  }]))
  expect([...perChannel.keys()].sort()).toEqual([...expectedPerChannel.keys()].sort())
  for (const [key, n] of expectedPerChannel) expect(perChannel.get(key), key).toEqual({ inbound: n, unreadCount: n })
  return perChannel
}

/** A fresh world in which the coordinator's text to c1 was handed to the provider; returns its provider id. */
const worldWithSentText = async () => {
  const world = await makeWorld(seedScenario)
  await world.run(attestConsent({ staffId: staff.coord, clientId: clients[0] }))
  await world.run(sendSms({ staffId: staff.coord, clientId: clients[0], body: "Your appointment is at 10" }))
  await world.drainOutbox()
  const [sent] = await world.run(FakeSmsControl.use((c) => c.sent))
  return { world, providerMessageId: sent!.providerMessageId }
}

const inFreshWorld = async <A>(stores: Layer.Layer<Stores, unknown>, body: (world: World) => Promise<A>): Promise<A> => {
  const world = await makeWorld(seedScenario, stores)
  try {
    return await body(world)
  } finally {
    await world.dispose()
  }
}

const stateOf = (message: Message): Delivery => ({ status: message.status, errorCode: message.errorCode })

/** Applies callbacks one by one; after each, the state is the maximum of all seen so far, so it never went back. */
const applyInOrder = async (callbacks: ReadonlyArray<Callback>): Promise<Delivery> => {
  const { world, providerMessageId } = await worldWithSentText()
  try {
    const read = async () => stateOf(Option.getOrThrow(await world.run(Conversations.use((c) => c.findMessageByProviderId(providerMessageId)))))
    const seen: Array<Delivery> = [await read()]
    expect(seen[0]!.status, "accepted by the provider").toBe("sending")
    for (const callback of callbacks) {
      await world.run(applyStatusUpdate({ providerMessageId, ...callback }))
      const current = await read()
      const previous = seen[seen.length - 1]!
      expect(compareDelivery(current, previous), `${show(previous)} then ${show(callback)} gave ${show(current)}`).toBeGreaterThanOrEqual(0)
      seen.push(callback)
      expect(show(current), "the state is the largest seen").toBe(show(maxDelivery(seen)))
    }
    return await read()
  } finally {
    await world.dispose()
  }
}

describe("idempotency", () => {
  it("5a: each provider id is stored once, whether a batch arrives concurrently or one by one, in any order", async () => {
    await fc.assert(
      fc.asyncProperty(arbInboundBatch, async ({ pool, first, second }) => {
        const concurrent = await inFreshWorld(freshStores(), (world) => deliverAndCheck(world, first.map((i) => pool[i]!), true))
        const oneByOne = await inFreshWorld(freshStores(), (world) => deliverAndCheck(world, second.map((i) => pool[i]!), false))
        expect(concurrent).toEqual(oneByOne)
      }),
      { numRuns: numRuns() }
    )
  })

  it("5a': the same when the concurrent deliveries really interleave (a store that yields on every call, as a database does)", async () => {
    await fc.assert(
      fc.asyncProperty(arbInboundBatch, async ({ pool, first, second }) => {
        const interleaved = await inFreshWorld(yieldingStores(freshStores()), (world) => deliverAndCheck(world, first.map((i) => pool[i]!), true))
        const oneByOne = await inFreshWorld(freshStores(), (world) => deliverAndCheck(world, second.map((i) => pool[i]!), false))
        expect(interleaved).toEqual(oneByOne)
      }),
      { numRuns: numRuns() }
    )
  })

  it("5b: status callbacks in any order, repeated or not, end in the same state, and no state moves backwards", async () => {
    await fc.assert(
      fc.asyncProperty(arbCallbacks, async ({ first, second }) => {
        const a = await applyInOrder(first)
        const b = await applyInOrder(second)
        expect(show(a)).toBe(show(b))
      }),
      { numRuns: numRuns() }
    )
  })
})
