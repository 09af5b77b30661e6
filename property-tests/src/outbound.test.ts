import { FakeSmsControl } from "@careline/adapter-fake-sms"
import {
  applyStatusUpdate,
  assign,
  blockClient,
  CLAIM_LEASE_MS,
  ConsentLedger,
  Conversations,
  Directory,
  foldLedger,
  LEASE_EXPIRED,
  listInbox,
  makeOutboxDispatcher,
  OutboxStore,
  ProviderMessageId,
  readChannel,
  replyInChannel,
  sendBulk,
  SmsProvider,
  sendSms
} from "@careline/core"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { clientPhones, clients, lineNumbers, lines, org, staff, unknownPhone } from "./Scenario.js"
import { seedScenario } from "./Scenario.js"
import { auditTrail, clientTexts, optIn, sentTexts } from "./scenarios/Harness.js"
import { makeWorld, outcomeTag, type World } from "./World.js"

let world: World
beforeEach(async () => {
  world = await makeWorld(seedScenario)
})
afterEach(() => world.dispose())

describe("sending a text", () => {
  it("goes from the staff member's own line by default, and from a queue line they belong to when asked", async () => {
    await world.run(optIn(clients[0]))
    await world.run(assign({ actorId: staff.admin, staffId: staff.spec1, clientId: clients[0] }))
    await world.run(sendSms({ staffId: staff.spec1, clientId: clients[0], body: "from my line" }))
    await world.run(sendSms({ staffId: staff.spec1, clientId: clients[0], lineId: lines.queue, body: "from the queue" }))
    const refused = await world.exit(sendSms({ staffId: staff.spec1, clientId: clients[0], lineId: lines.coord, body: "not mine" }))
    expect(outcomeTag(refused)).toBe("AccessDenied")
    await world.drainOutbox()
    expect((await world.run(sentTexts)).map((s) => [s.from, s.body])).toEqual([
      [lineNumbers[lines.spec1], "from my line"],
      [lineNumbers[lines.queue], "from the queue"]
    ])
  })

  it("says why it refuses: no line, not assigned, empty, no consent", async () => {
    await world.run(optIn(clients[0]))
    expect(outcomeTag(await world.exit(sendSms({ staffId: staff.sup, clientId: clients[0], body: "hi" })))).toBe("NoLineToSendFrom")
    expect(outcomeTag(await world.exit(sendSms({ staffId: staff.spec2, clientId: clients[0], body: "hi" })))).toBe("AccessDenied")
    expect(outcomeTag(await world.exit(sendSms({ staffId: staff.coord, clientId: clients[0], body: "  " })))).toBe("InvalidMessage")
    const exit = await world.exit(sendSms({ staffId: staff.coord, clientId: clients[1], body: "hi" }))
    expect(outcomeTag(exit)).toBe("ConsentRequired")
    expect(exit._tag === "Failure" && String(exit.cause)).toContain("has not opted in")
  })

  it("a reply marks the channel read, is audited, and an unknown contact still needs consent", async () => {
    await world.run(optIn(clients[0]))
    const stored = await world.run(clientTexts(clientPhones[0], lineNumbers[lines.coord]!, "hi"))
    if (stored._tag !== "Stored") throw new Error("not stored")
    const message = await world.run(replyInChannel({ staffId: staff.coord, channelId: stored.channel.id, body: "hello back" }))
    expect(message.status).toBe("queued")
    const [row] = await world.run(listInbox({ staffId: staff.coord }))
    expect(row?.channel.status).toBe("open")
    expect((await world.run(auditTrail)).map((e) => e.action)).toContain("message.send")
    const unknown = await world.run(clientTexts(unknownPhone, lineNumbers[lines.coord]!, "hi"))
    if (unknown._tag !== "Stored") throw new Error("not stored")
    const exit = await world.exit(replyInChannel({ staffId: staff.coord, channelId: unknown.channel.id, body: "who?" }))
    expect(outcomeTag(exit)).toBe("ConsentRequired")
  })
})

describe("the outbox", () => {
  it("hands texts over at each line's rate, never faster", async () => {
    await world.run(Effect.gen(function* () {
      const directory = yield* Directory
      const line = Option.getOrThrow(yield* directory.getLine(lines.coord))
      yield* directory.putLine({ ...line, ratePerSecond: 2 })
    }))
    await world.run(optIn(clients[0]))
    for (let i = 0; i < 6; i++) await world.run(sendSms({ staffId: staff.coord, clientId: clients[0], body: `text ${i}` }))
    const dispatcher = await world.run(makeOutboxDispatcher)
    const perSecond = [0, 0, 0, 0]
    for (let tick = 0; tick < 16; tick++) {
      const report = await world.run(dispatcher.dispatchDue())
      perSecond[Math.floor(tick / 4)]! += report.sent
      await world.run(TestClock.adjust("250 millis"))
    }
    expect(perSecond).toEqual([2, 2, 2, 0])
    expect((await world.run(sentTexts)).map((s) => s.body)).toEqual(["text 0", "text 1", "text 2", "text 3", "text 4", "text 5"])
  })

  it("a send whose worker died is left to its lease, then flagged unknown and never sent again", async () => {
    await world.run(optIn(clients[0]))
    const message = await world.run(sendSms({ staffId: staff.coord, clientId: clients[0], body: "did it go?" }))
    const now = await world.now()
    const claimed = await world.run(OutboxStore.use((o) => o.claimDue(now, 10, now + CLAIM_LEASE_MS)))
    expect(claimed).toHaveLength(1)
    const restarted = await world.run(makeOutboxDispatcher)
    expect(await world.run(restarted.recoverInterrupted)).toBe(0)
    expect(await world.run(restarted.dispatchDue())).toMatchObject({ sent: 0, expired: 0 })
    await world.run(TestClock.adjust(CLAIM_LEASE_MS))
    expect(await world.run(restarted.dispatchDue())).toMatchObject({ sent: 0, expired: 1 })
    await world.drainOutbox()
    expect(await world.run(sentTexts)).toEqual([])
    const stored = await world.run(Conversations.use((c) => c.getMessage(message.id)))
    expect(Option.getOrThrow(stored)).toMatchObject({ status: "unknown", errorCode: LEASE_EXPIRED })
  })

  it("start-up recovery takes a claim whose lease has already ended", async () => {
    await world.run(optIn(clients[0]))
    await world.run(sendSms({ staffId: staff.coord, clientId: clients[0], body: "did it go?" }))
    const now = await world.now()
    await world.run(OutboxStore.use((o) => o.claimDue(now, 10, now + CLAIM_LEASE_MS)))
    await world.run(TestClock.adjust(CLAIM_LEASE_MS))
    expect(await world.run(Effect.flatMap(makeOutboxDispatcher, (d) => d.recoverInterrupted))).toBe(1)
    await world.drainOutbox()
    expect(await world.run(sentTexts)).toEqual([])
  })

  it("delivery callbacks move a message forward, never back", async () => {
    await world.run(optIn(clients[0]))
    const message = await world.run(sendSms({ staffId: staff.coord, clientId: clients[0], body: "status?" }))
    await world.drainOutbox()
    const [sent] = await world.run(sentTexts)
    const callbacks = await world.run(FakeSmsControl.use((c) => c.statusCallbacks(sent!.providerMessageId, {})))
    for (const update of [...callbacks].reverse()) await world.run(applyStatusUpdate(update))
    const { messages } = await world.run(readChannel({ staffId: staff.coord, channelId: message.channelId }))
    expect(messages.find((m) => m.id === message.id)?.status).toBe("delivered")
  })

  it("a send whose answer was lost is reconciled by the callback that carries its outbox id", async () => {
    await world.run(optIn(clients[0]))
    const message = await world.run(sendSms({ staffId: staff.coord, clientId: clients[0], body: "lost answer" }))
    await world.run(FakeSmsControl.use((c) => c.injectFaults([{ _tag: "Fail", reason: "Indeterminate" }])))
    await world.drainOutbox()
    const [sent] = await world.run(sentTexts)
    const [entry] = await world.run(OutboxStore.use((o) => o.listByState("unknown")))
    expect(entry?.messageId).toBe(message.id)
    const updated = await world.run(applyStatusUpdate({ providerMessageId: sent!.providerMessageId, outboxId: entry!.id, status: "delivered" }))
    expect(updated).toMatchObject({ status: "delivered", providerMessageId: sent!.providerMessageId })
    const reconciled = await world.run(OutboxStore.use((o) => o.get(entry!.id)))
    expect(Option.getOrThrow(reconciled).state).toBe("sent")
    await world.drainOutbox()
    expect(await world.run(sentTexts)).toHaveLength(1)
  })

  it("a callback failing a text because its recipient unsubscribed (21610) opts the number out, once", async () => {
    await world.run(optIn(clients[0]))
    const message = await world.run(sendSms({ staffId: staff.coord, clientId: clients[0], body: "are you there?" }))
    await world.drainOutbox()
    const [sent] = await world.run(sentTexts)
    const failed = { providerMessageId: sent!.providerMessageId, status: "undelivered", errorCode: "21610", reason: "RecipientUnsubscribed" } as const
    expect(await world.run(applyStatusUpdate(failed))).toMatchObject({ status: "undelivered", errorCode: "21610" })
    const history = await world.run(ConsentLedger.use((l) => l.history(org, clientPhones[0])))
    expect(history.at(-1)).toMatchObject({ state: "opted_out", source: "provider_error", evidence: message.id })
    const consentEvents = (await world.run(auditTrail)).filter((e) => e.action === "consent.change")
    expect(consentEvents.at(-1)).toMatchObject({ actor: { _tag: "System" }, clientId: clients[0], detail: "state=opted_out source=provider_error" })
    expect(outcomeTag(await world.exit(sendSms({ staffId: staff.coord, clientId: clients[0], body: "again?" })))).toBe("ConsentRequired")

    // The client opts back in; the same callback, replayed, changes nothing.
    await world.run(clientTexts(clientPhones[0], lineNumbers[lines.coord]!, "START"))
    await world.run(applyStatusUpdate(failed))
    expect(foldLedger(await world.run(ConsentLedger.use((l) => l.history(org, clientPhones[0])))).state).toBe("opted_in")
  })

  it("a failure callback for any other reason leaves consent alone", async () => {
    await world.run(optIn(clients[0]))
    await world.run(sendSms({ staffId: staff.coord, clientId: clients[0], body: "are you there?" }))
    await world.drainOutbox()
    const [sent] = await world.run(sentTexts)
    await world.run(applyStatusUpdate({ providerMessageId: sent!.providerMessageId, status: "failed", errorCode: "30007" }))
    expect(foldLedger(await world.run(ConsentLedger.use((l) => l.history(org, clientPhones[0])))).state).toBe("opted_in")
  })

  it("a bulk send skips and lists who cannot be texted, and holds the rest until quiet hours end", async () => {
    await world.run(TestClock.setTime(Date.UTC(2026, 2, 3, 22, 30)))
    await world.run(optIn(clients[0]))
    await world.run(optIn(clients[2]))
    await world.run(blockClient({ staffId: staff.sup, clientId: clients[2] }))
    const result = await world.run(sendBulk({ staffId: staff.coord, clientIds: [...clients], body: "Clinic closed Friday" }))
    expect(result.queued.map((q) => q.clientId)).toEqual([clients[0]])
    expect(result.skipped.map((s) => [s.clientId, s.reason])).toEqual([[clients[1], "ConsentRequired"], [clients[2], "ClientBlocked"]])
    const dispatcher = await world.run(makeOutboxDispatcher)
    await world.run(dispatcher.dispatchDue())
    expect(await world.run(sentTexts)).toEqual([])
    await world.run(TestClock.setTime(Date.UTC(2026, 2, 4, 8, 0)))
    await world.run(dispatcher.dispatchDue())
    expect((await world.run(sentTexts)).map((s) => [s.to, s.body])).toEqual([[clientPhones[0], "Clinic closed Friday"]])
  })

  it("refuses a staff text with a NUL in it; a client's text with one is kept whole, the NUL replaced", async () => {
    await world.run(optIn(clients[0]))
    const refused = await world.exit(sendSms({ staffId: staff.coord, clientId: clients[0], body: "see you\u0000 at 3" }))
    expect(outcomeTag(refused)).toBe("InvalidMessage")
    const received = await world.run(clientTexts(clientPhones[0], lineNumbers[lines.coord]!, "before\u0000after"))
    if (received._tag !== "Stored") throw new Error("not stored")
    const stored = await world.run(Conversations.use((c) => c.getMessage(received.message.id)))
    expect(Option.getOrThrow(stored).body).toBe("before\uFFFDafter")
  })

  it("a refused first text leaves no empty conversation behind", async () => {
    const refused = await world.exit(sendSms({ staffId: staff.coord, clientId: clients[1], body: "hello" }))
    expect(outcomeTag(refused)).toBe("ConsentRequired")
    const empty = await world.exit(Effect.andThen(optIn(clients[1]), sendSms({ staffId: staff.coord, clientId: clients[1], body: "  " })))
    expect(outcomeTag(empty)).toBe("InvalidMessage")
    expect(await world.run(Conversations.use((c) => c.channelsOfClient(clients[1])))).toEqual([])
  })

  it("a round held up by a slow provider puts back what it has not handed over, long before the claims' lease ends", async () => {
    for (const clientId of clients) await world.run(optIn(clientId))
    for (const clientId of clients) await world.run(sendSms({ staffId: staff.coord, clientId, body: "slow day" }))
    const handedOver: Array<string> = []
    // Every send takes 40 s of (virtual) time before the provider accepts it.
    const slowProvider = SmsProvider.of({
      send: (sms) => Effect.as(Effect.andThen(TestClock.adjust("40 seconds"), Effect.sync(() => handedOver.push(sms.outboxId))), ProviderMessageId.make(`SM_slow_${handedOver.length}`))
    })
    const dispatcher = await world.run(makeOutboxDispatcher)
    const report = await world.run(Effect.provideService(dispatcher.dispatchDue(), SmsProvider, slowProvider))
    expect(report.sent).toBe(2)
    expect(report.deferred).toBe(clients.length - 2)
    const pending = await world.run(OutboxStore.use((o) => o.listByState("pending")))
    expect(pending.map((e) => [e.attempts, handedOver.includes(e.id)])).toEqual(pending.map(() => [0, false]))
    expect(await world.run(OutboxStore.use((o) => o.listByState("sending")))).toEqual([])
  })

  it("quiet hours follow the client's own time zone when they have one", async () => {
    // 09:00 in the organisation's zone (UTC), 04:00 in New York: quiet for this client until 08:00 there (13:00 UTC).
    await world.run(Effect.flatMap(Directory, (d) => d.updateClient(clients[0], (c) => ({ ...c, timeZone: "America/New_York" }))))
    await world.run(TestClock.setTime(Date.UTC(2026, 2, 4, 9, 0)))
    await world.run(optIn(clients[0]))
    await world.run(optIn(clients[1]))
    const result = await world.run(sendBulk({ staffId: staff.coord, clientIds: [clients[0], clients[1]], body: "Group moved to Thursday" }))
    expect(result.queued).toHaveLength(2)
    const dispatcher = await world.run(makeOutboxDispatcher)
    await world.run(dispatcher.dispatchDue())
    expect((await world.run(sentTexts)).map((s) => s.to)).toEqual([clientPhones[1]])
    await world.run(TestClock.setTime(Date.UTC(2026, 2, 4, 12, 59)))
    await world.run(dispatcher.dispatchDue())
    expect(await world.run(sentTexts)).toHaveLength(1)
    await world.run(TestClock.setTime(Date.UTC(2026, 2, 4, 13, 0)))
    await world.run(dispatcher.dispatchDue())
    expect((await world.run(sentTexts)).map((s) => s.to)).toEqual([clientPhones[1], clientPhones[0]])
  })
})
