import { acceptInbound, assign, inboundDelivery, PhoneNumber, storeInbound, ConsentLedger, Conversations, markDone, ProviderAnswersKeywords, receiveInbound, recoverInbound, defaultTemplates, Directory, listInbox, mute, readChannel, setRepliesAllowed } from "@careline/core"
import { makeOrganisation } from "@careline/testkit"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { clientPhones, clients, lineNumbers, lines, org, staff, unknownPhone } from "./Scenario.js"
import { seedScenario } from "./Scenario.js"
import { auditTrail, clientTexts, notifications, optIn, sentTexts } from "./scenarios/Harness.js"
import { makeWorld, outcomeTag, type World } from "./World.js"

const templates = defaultTemplates("Harbour Care")
let world: World
beforeEach(async () => {
  world = await makeWorld(seedScenario)
})
afterEach(() => world.dispose())

describe("receiving a text", () => {
  it("routes by the number texted, and a number nobody holds is refused", async () => {
    const stored = await world.run(clientTexts(clientPhones[0], lineNumbers[lines.queue]!, "hello"))
    expect(stored._tag).toBe("Stored")
    if (stored._tag === "Stored") expect(stored.channel.lineId).toBe(lines.queue)
    const exit = await world.exit(clientTexts(clientPhones[0], unknownPhone, "hello"))
    expect(outcomeTag(exit)).toBe("NotFound")
  })

  it("shows an unknown number as the number, and attaches it to a client once one has it", async () => {
    await world.run(clientTexts(unknownPhone, lineNumbers[lines.coord]!, "who is this?"))
    const [row] = await world.run(listInbox({ staffId: staff.coord }))
    expect(row?.contact).toBe(unknownPhone)
    expect(row?.channel.clientId).toBeUndefined()
    await world.run(Effect.gen(function* () {
      const directory = yield* Directory
      const client = Option.getOrThrow(yield* directory.getClient(clients[0]))
      yield* directory.putClient({ ...client, phones: [...client.phones, { number: unknownPhone, label: "work", primary: false, okayToText: false }] })
    }))
    await world.run(clientTexts(unknownPhone, lineNumbers[lines.coord]!, "it's Client 1"))
    const [again] = await world.run(listInbox({ staffId: staff.coord }))
    expect(again?.channel.clientId).toBe(clients[0])
    expect(again?.contact).toBe("Client 1 – Work")
  })

  it("notifies everyone who may see the channel, except who muted it, and never says what was written", async () => {
    await world.run(assign({ actorId: staff.admin, staffId: staff.spec1, clientId: clients[0] }))
    const first = await world.run(clientTexts(clientPhones[0], lineNumbers[lines.queue]!, "secret canary 4711"))
    if (first._tag !== "Stored") throw new Error("not stored")
    await world.run(mute({ staffId: staff.front, channelId: first.channel.id }))
    await world.run(clientTexts(clientPhones[0], lineNumbers[lines.queue]!, "second"))
    const published = await world.run(notifications)
    expect(published.map((n) => [...n.staffIds].sort())).toEqual([[staff.front, staff.spec1].sort(), [staff.spec1]])
    expect(JSON.stringify(published)).not.toContain("canary")
  })

  it("a specialist in the queue sees the queue's channel only for assigned clients", async () => {
    await world.run(clientTexts(clientPhones[1], lineNumbers[lines.queue]!, "hi"))
    const published = await world.run(notifications)
    expect(published[0]?.staffIds).toEqual([staff.front])
  })

  it("stores a text that arrives while replies are off, marked as such", async () => {
    const first = await world.run(clientTexts(clientPhones[0], lineNumbers[lines.coord]!, "one"))
    if (first._tag !== "Stored") throw new Error("not stored")
    await world.run(setRepliesAllowed({ staffId: staff.coord, channelId: first.channel.id, allowed: false }))
    await world.run(clientTexts(clientPhones[0], lineNumbers[lines.coord]!, "two"))
    const { messages } = await world.run(readChannel({ staffId: staff.coord, channelId: first.channel.id }))
    const inbound = messages.filter((m) => m.direction === "inbound")
    expect(inbound.map((m) => [m.body, m.receivedWhileRepliesOff ?? false])).toEqual([["two", true], ["one", false]])
  })

  it("a blocked client's text is stored, but nobody is notified and nothing is sent back", async () => {
    await world.run(Effect.gen(function* () {
      const directory = yield* Directory
      const client = Option.getOrThrow(yield* directory.getClient(clients[2]))
      yield* directory.putClient({ ...client, blocked: true })
    }))
    const stored = await world.run(clientTexts(clientPhones[2], lineNumbers[lines.org]!, "hello?"))
    expect(stored._tag).toBe("Stored")
    await world.drainOutbox()
    expect(await world.run(notifications)).toEqual([])
    expect(await world.run(sentTexts)).toEqual([])
  })
})

describe("after-hours auto-reply", () => {
  const closedNights = {
    timeZone: "UTC",
    weekly: (["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const).map((day) => ({ day, opens: "09:00", closes: "17:00" })),
    holidays: []
  }
  const setHours = Effect.gen(function* () {
    const directory = yield* Directory
    yield* directory.putOrganisation(makeOrganisation({ id: org, businessHours: closedNights, templates: { ...templates, afterHours: "We are closed; we reply from 9am." } }))
  })

  it("answers once per channel per closed period, only opted-in senders, never a keyword", async () => {
    await world.run(setHours)
    await world.run(TestClock.setTime(Date.UTC(2026, 0, 5, 20, 0)))
    await world.run(optIn(clients[0]))
    const to = lineNumbers[lines.coord]!
    await world.run(clientTexts(clientPhones[0], to, "are you there?"))
    await world.run(clientTexts(clientPhones[0], to, "hello??"))
    await world.run(clientTexts(clientPhones[0], to, "HELP"))
    await world.run(clientTexts(clientPhones[1], to, "not opted in"))
    await world.run(TestClock.setTime(Date.UTC(2026, 0, 6, 10, 0)))
    await world.run(clientTexts(clientPhones[0], to, "open now?"))
    await world.run(TestClock.setTime(Date.UTC(2026, 0, 6, 18, 0)))
    await world.run(clientTexts(clientPhones[0], to, "closed again"))
    await world.drainOutbox()
    const texts = (await world.run(sentTexts)).map((s) => [s.to, s.body])
    expect(texts).toEqual([
      [clientPhones[0], "We are closed; we reply from 9am."],
      [clientPhones[0], templates.help],
      [clientPhones[1], templates.optInRequest],
      [clientPhones[0], "We are closed; we reply from 9am."]
    ])
  })
})

describe("audit", () => {
  it("records receive, read and consent without content", async () => {
    await world.run(optIn(clients[0]))
    const stored = await world.run(clientTexts(clientPhones[0], lineNumbers[lines.coord]!, "private canary 0815"))
    if (stored._tag !== "Stored") throw new Error("not stored")
    await world.run(readChannel({ staffId: staff.coord, channelId: stored.channel.id }))
    const trail = await world.run(auditTrail)
    expect(trail.map((e) => e.action)).toEqual(["consent.change", "message.receive", "channel.read"])
    expect(trail.every((e) => e.clientId === clients[0])).toBe(true)
    expect(JSON.stringify(trail)).not.toContain("canary")
    const channel = await world.run(Conversations.use((c) => c.getChannel(stored.channel.id)))
    expect(Option.getOrThrow(channel).status).toBe("open")
  })
})

describe("a colleague's inbox (S3)", () => {
  it("a supervisor reads it read-only and audited; a specialist cannot", async () => {
    const stored = await world.run(clientTexts(clientPhones[0], lineNumbers[lines.coord]!, "hi"))
    if (stored._tag !== "Stored") throw new Error("not stored")
    const rows = await world.run(listInbox({ staffId: staff.sup, ofStaffId: staff.coord }))
    expect(rows.map((r) => r.channel.id)).toEqual([stored.channel.id])
    const { channel, messages } = await world.run(readChannel({ staffId: staff.sup, asStaffId: staff.coord, channelId: stored.channel.id }))
    expect(channel.status).toBe("unread")
    expect(messages.map((m) => m.body)).toContain("hi")
    expect(outcomeTag(await world.exit(readChannel({ staffId: staff.sup, channelId: stored.channel.id })))).toBe("AccessDenied")
    expect(outcomeTag(await world.exit(listInbox({ staffId: staff.spec1, ofStaffId: staff.coord })))).toBe("AccessDenied")
    expect(outcomeTag(await world.exit(readChannel({ staffId: staff.spec1, asStaffId: staff.coord, channelId: stored.channel.id })))).toBe("AccessDenied")
    const trail = await world.run(auditTrail)
    expect(trail.filter((e) => e.actor._tag === "Staff" && e.actor.staffId === staff.sup).map((e) => [e.action, e.detail])).toEqual([
      ["inbox.view_colleague", `staff=${staff.coord}`],
      ["channel.read", `as=${staff.coord}`]
    ])
  })
})

describe("crash between storing and processing", () => {
  it("a stored but unprocessed text is processed once at start-up, or when the provider repeats it", async () => {
    const to = lineNumbers[lines.coord]!
    const first = await world.run(Effect.flatMap(FakeSmsControl, (phone) => phone.inbound({ from: clientPhones[0], to, body: "one" })))
    const second = await world.run(Effect.flatMap(FakeSmsControl, (phone) => phone.inbound({ from: clientPhones[1], to, body: "two" })))
    await world.run(Effect.flatMap(inboundDelivery(first), storeInbound))
    await world.run(Effect.flatMap(inboundDelivery(second), storeInbound))
    expect(await world.run(listInbox({ staffId: staff.coord, filter: "unread" }))).toEqual([])
    expect((await world.run(receiveInbound(second)))._tag).toBe("Stored")
    expect(await world.run(recoverInbound())).toBe(1)
    expect(await world.run(recoverInbound())).toBe(0)
    expect((await world.run(receiveInbound(first)))._tag).toBe("Duplicate")
    const rows = await world.run(listInbox({ staffId: staff.coord, filter: "unread" }))
    expect(rows.map((r) => r.channel.unreadCount)).toEqual([1, 1])
    await world.drainOutbox()
    expect((await world.run(sentTexts)).map((s) => s.body)).toEqual([templates.optInRequest, templates.optInRequest])
  })
})

describe("crash between logging and storing", () => {
  it("texts left in the inbound log are stored in their channels (a first text gets its channel) and processed once at start-up", async () => {
    const to = lineNumbers[lines.coord]!
    const inbound = (from: PhoneNumber, body: string, line = to) =>
      world.run(Effect.flatMap(FakeSmsControl, (phone) => phone.inbound({ from, to: line, body })))
    const known = await inbound(clientPhones[0], "one")
    const first = await inbound(unknownPhone, "first text from a new number")
    const nowhere = await inbound(clientPhones[1], "to no line", PhoneNumber.make("+15559990000"))
    for (const sms of [known, first, known, nowhere]) await world.run(Effect.flatMap(inboundDelivery(sms), acceptInbound))
    expect(await world.run(Conversations.use((c) => c.findMessageByProviderId(known.providerMessageId)))).toEqual(Option.none())
    expect(await world.run(recoverInbound())).toBe(2)
    expect(await world.run(recoverInbound())).toBe(0)
    expect(await world.run(Conversations.use((c) => c.routeLogged(10)))).toEqual([])
    expect((await world.run(receiveInbound(known)))._tag).toBe("Duplicate")
    const rows = await world.run(listInbox({ staffId: staff.coord, filter: "unread" }))
    expect(rows.map((r) => [r.channel.phone, r.channel.unreadCount]).sort()).toEqual([[clientPhones[0], 1], [unknownPhone, 1]].sort())
    expect((await world.run(auditTrail)).filter((e) => e.action === "message.receive")).toHaveLength(2)
  })
})

describe("crisis words", () => {
  it("mark the channel urgent and alert every supervisor and admin, muted or not, until it is marked done", async () => {
    await world.run(Effect.flatMap(Directory, (d) => d.putOrganisation(makeOrganisation({ id: org, crisisWords: ["overdose", "kill myself"] }))))
    const to = lineNumbers[lines.coord]!
    const calm = await world.run(clientTexts(clientPhones[0], to, "see you Tuesday"))
    if (calm._tag !== "Stored") throw new Error("not stored")
    await world.run(mute({ staffId: staff.coord, channelId: calm.channel.id }))
    const alarm = await world.run(clientTexts(clientPhones[0], to, "I took an OVERDOSE."))
    if (alarm._tag !== "Stored") throw new Error("not stored")
    expect(alarm.channel.urgentSince).toBeDefined()
    const [, alert] = await world.run(notifications)
    expect(alert?.urgent).toBe(true)
    expect([...(alert?.staffIds ?? [])].sort()).toEqual([staff.admin, staff.coord, staff.sup].sort())
    expect(JSON.stringify(alert)).not.toContain("OVERDOSE")
    const done = await world.run(markDone({ staffId: staff.coord, channelId: alarm.channel.id }))
    expect(done.urgentSince).toBeUndefined()
  })
})

describe("when the provider answers keywords itself (Twilio Advanced Opt-Out)", () => {
  it("consent is still recorded, but Careline sends no confirmation, welcome or help of its own", async () => {
    const to = lineNumbers[lines.coord]!
    const texts = ["STOP", "START", "HELP", "hello"]
    await world.run(Effect.forEach(texts, (body) => clientTexts(clientPhones[0], to, body)).pipe(Effect.provideService(ProviderAnswersKeywords, true)))
    await world.drainOutbox()
    expect(await world.run(sentTexts)).toEqual([])
    const history = await world.run(ConsentLedger.use((l) => l.history(org, clientPhones[0])))
    expect(history.map((e) => e.state)).toEqual(["opted_out", "opted_in"])
  })
})
