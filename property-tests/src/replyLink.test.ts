import {
  blockClient,
  Conversations,
  listInbox,
  readViaLink,
  recoverInbound,
  renewReplyLink,
  replyViaLink,
  revokeReplyLink,
  sendSms,
  setRepliesAllowed
} from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { clients, seedScenario, staff } from "./Scenario.js"
import { auditTrail, notifications, optIn, sentTexts } from "./scenarios/Harness.js"
import { makeWorld, outcomeTag, type World } from "./World.js"

let world: World
beforeEach(async () => {
  world = await makeWorld(seedScenario)
})
afterEach(() => world.dispose())

/** spec1 texts client 1, then turns replies on, which issues the channel's reply link. */
const linkedChannel = async () => {
  await world.run(optIn(clients[0]))
  const sent = await world.run(sendSms({ staffId: staff.coord, clientId: clients[0], body: "How are you?" }))
  const channel = await world.run(setRepliesAllowed({ staffId: staff.coord, channelId: sent.channelId, allowed: true }))
  return { channelId: channel.id, link: { token: channel.replyToken! } }
}

describe("replying through a reply link (S3)", () => {
  it("shows the channel's messages and stores the reply as the client's inbound message: unread, audited, notified", async () => {
    const link = await linkedChannel()
    const seen = await world.run(readViaLink(link.link))
    expect(seen.messages.map((m) => m.body)).toEqual(["How are you?"])
    expect(seen.refusal).toBeUndefined()
    const reply = await world.run(replyViaLink({ ...link.link, body: "  Doing fine, thanks  " }))
    expect(reply).toMatchObject({ direction: "inbound", author: { _tag: "Client" }, body: "Doing fine, thanks", status: "received" })
    const [row] = await world.run(listInbox({ staffId: staff.coord }))
    expect(row).toMatchObject({ unread: true, channel: { id: link.channelId, unreadCount: 1 } })
    const trail = (await world.run(auditTrail)).filter((e) => e.detail === "via=reply_link")
    expect(trail.map((e) => e.action)).toEqual(["channel.read", "message.receive"])
    expect(trail.every((e) => e.actor._tag === "Client" && e.clientId === clients[0])).toBe(true)
    expect((await world.run(notifications)).some((n) => n.channelId === link.channelId && n.staffIds.includes(staff.coord))).toBe(true)
  })

  it("is not an SMS: STOP through the page changes no consent, sends nothing, and is never processed again", async () => {
    const link = await linkedChannel()
    await world.drainOutbox()
    const before = (await world.run(sentTexts)).length
    await world.run(replyViaLink({ ...link.link, body: "STOP" }))
    expect(await world.run(recoverInbound())).toBe(0)
    await world.drainOutbox()
    expect((await world.run(sentTexts)).length).toBe(before)
    expect(outcomeTag(await world.exit(sendSms({ staffId: staff.coord, clientId: clients[0], body: "still opted in" })))).toBe("ok")
  })

  it("refuses while replies are off, but the client can still read", async () => {
    const link = await linkedChannel()
    await world.run(setRepliesAllowed({ staffId: staff.coord, channelId: link.channelId, allowed: false }))
    expect((await world.run(readViaLink(link.link))).refusal?.reason).toBe("RepliesOff")
    const exit = await world.exit(replyViaLink({ ...link.link, body: "hello?" }))
    expect(outcomeTag(exit)).toBe("RepliesNotAllowed")
    expect(exit._tag === "Failure" && String(exit.cause)).toContain("turned off")
  })

  it("refuses a revoked or renewed link, an unknown one, and a blocked client", async () => {
    const link = await linkedChannel()
    const renewed = await world.run(renewReplyLink({ staffId: staff.coord, channelId: link.channelId }))
    expect(outcomeTag(await world.exit(readViaLink(link.link)))).toBe("RepliesNotAllowed")
    expect(outcomeTag(await world.exit(replyViaLink({ ...link.link, body: "old link" })))).toBe("RepliesNotAllowed")
    const fresh = { token: renewed.replyToken! }
    expect(outcomeTag(await world.exit(replyViaLink({ ...fresh, body: "new link" })))).toBe("ok")
    expect(outcomeTag(await world.exit(readViaLink({ token: "not-a-token" })))).toBe("RepliesNotAllowed")
    await world.run(blockClient({ staffId: staff.admin, clientId: clients[0] }))
    expect((await world.run(readViaLink(fresh))).refusal?.reason).toBe("ClientBlocked")
    expect(outcomeTag(await world.exit(replyViaLink({ ...fresh, body: "blocked" })))).toBe("RepliesNotAllowed")
    await world.run(revokeReplyLink({ staffId: staff.coord, channelId: link.channelId }))
    expect(outcomeTag(await world.exit(readViaLink(fresh)))).toBe("RepliesNotAllowed")
    const stored = await world.run(Conversations.use((c) => c.listMessages(link.channelId, { limit: 10 })))
    expect(stored.map((m) => m.body)).toEqual(["new link", "How are you?"])
  })

  it("refuses an empty or overlong reply", async () => {
    const link = await linkedChannel()
    expect(outcomeTag(await world.exit(replyViaLink({ ...link.link, body: "   " })))).toBe("InvalidMessage")
    expect(outcomeTag(await world.exit(replyViaLink({ ...link.link, body: "x".repeat(1_601) })))).toBe("InvalidMessage")
  })
})
