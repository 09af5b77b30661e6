import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { ChannelId, Conversations, MessageId, openAttachment, receiveInbound } from "@careline/core"
import { Effect, Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { clientPhones, lineNumbers, lines, seedScenario, staff } from "./Scenario.js"
import { auditTrail } from "./scenarios/Harness.js"
import { makeWorld, outcomeTag, type World } from "./World.js"

let world: World
beforeEach(async () => {
  world = await makeWorld(seedScenario)
})
afterEach(() => world.dispose())

const media = [
  { url: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", contentType: "image/jpeg" },
  { url: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2", contentType: "video/mp4" }
]

/** An MMS from client 1's phone to the coordinator's line. */
const mmsIn = Effect.gen(function* () {
  const sms = yield* FakeSmsControl.use((phone) => phone.inbound({ from: clientPhones[0], to: lineNumbers[lines.coord]!, body: "see photo" }))
  const outcome = yield* receiveInbound({ ...sms, media })
  if (outcome._tag !== "Stored") return yield* Effect.die(new Error("not stored"))
  return outcome
})

describe("inbound MMS media", () => {
  it("are stored with the message, in order; a plain text has none", async () => {
    const { message } = await world.run(mmsIn)
    const stored = Option.getOrThrow(await world.run(Conversations.use((c) => c.getMessage(message.id))))
    expect(stored.media).toEqual(media)
    const plain = await world.run(Effect.gen(function* () {
      const sms = yield* FakeSmsControl.use((phone) => phone.inbound({ from: clientPhones[0], to: lineNumbers[lines.coord]!, body: "plain" }))
      return yield* receiveInbound({ ...sms, media: [] })
    }))
    if (plain._tag !== "Stored") throw new Error("not stored")
    expect(Option.getOrThrow(await world.run(Conversations.use((c) => c.getMessage(plain.message.id)))).media).toBeUndefined()
  })

  it("open for whoever sees the channel (or a colleague's, read-only), audited without the URL; NotFound or AccessDenied for anyone else", async () => {
    const { message, channel } = await world.run(mmsIn)
    expect(await world.run(openAttachment({ staffId: staff.coord, channelId: channel.id, messageId: message.id, index: 1 }))).toEqual(media[1])
    expect(await world.run(openAttachment({ staffId: staff.sup, colleagueId: staff.coord, channelId: channel.id, messageId: message.id, index: 0 }))).toEqual(media[0])
    const refused = [
      openAttachment({ staffId: staff.spec1, channelId: channel.id, messageId: message.id, index: 0 }),
      openAttachment({ staffId: staff.sup, channelId: channel.id, messageId: message.id, index: 0 }),
      openAttachment({ staffId: staff.outsider, channelId: channel.id, messageId: message.id, index: 0 }),
      openAttachment({ staffId: staff.spec1, colleagueId: staff.coord, channelId: channel.id, messageId: message.id, index: 0 })
    ]
    for (const attempt of refused) expect(outcomeTag(await world.exit(attempt))).toBe("AccessDenied")
    const missing = [
      openAttachment({ staffId: staff.coord, channelId: channel.id, messageId: message.id, index: 2 }),
      openAttachment({ staffId: staff.coord, channelId: channel.id, messageId: MessageId.make("msg_none"), index: 0 }),
      openAttachment({ staffId: staff.coord, channelId: ChannelId.make("chn_none"), messageId: message.id, index: 0 })
    ]
    for (const attempt of missing) expect(outcomeTag(await world.exit(attempt))).toBe("NotFound")
    const reads = (await world.run(auditTrail)).filter((e) => e.action === "channel.read")
    expect(reads.map((e) => [e.actor, e.channelId, e.detail])).toEqual([
      [{ _tag: "Staff", staffId: staff.coord }, channel.id, `attachment message=${message.id} n=1`],
      [{ _tag: "Staff", staffId: staff.sup }, channel.id, `attachment message=${message.id} n=0 colleague=${staff.coord}`]
    ])
    expect(JSON.stringify(await world.run(auditTrail))).not.toContain("twilio.com")
  })
})
