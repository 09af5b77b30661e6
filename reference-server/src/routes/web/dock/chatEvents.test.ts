import { ChannelId, ChatRoomId, Notifier, OrganisationId, postChatMessage, startChat } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { readEvents } from "../../../testing/ServerSentEvents.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

/** A channel nudge to one staff member: the last event each stream waits for, so anything before it was sent first. */
const sentinel = (staffId: typeof world.staff.spec1.id) =>
  server.runtime.runPromise(Notifier.use((n) => n.publish({
    _tag: "ChannelActivity", organisationId: OrganisationId.make("org_a"), channelId: ChannelId.make("chn_end"), kind: "status", staffIds: [staffId], urgent: false
  })))

describe("live chat events (GET /events)", () => {
  it("a chat message reaches only the room's members, as 'chat' and 'chat-<room>' with ids only", async () => {
    const { spec1, coordinator, spec2 } = world.staff
    const room = await server.runtime.runPromise(startChat({ staffId: spec1.id, with: [coordinator.id] }))
    const streams = await Promise.all((["coordinator", "spec1", "spec2"] as const).map(async (who) => (await server.signIn(who)).request("/events")))
    // coordinator: sync, chat, chat-<room>, sentinel ×2; spec1 (the author) the same; spec2: sync, sentinel ×2.
    const reading = [readEvents(streams[0]!, 5), readEvents(streams[1]!, 5), readEvents(streams[2]!, 3)]
    await new Promise((resolve) => setTimeout(resolve, 50))
    await server.runtime.runPromise(postChatMessage({ staffId: spec1.id, roomId: ChatRoomId.make(room.id), body: "Lunch at noon? <b>secret</b>" }))
    for (const who of [coordinator.id, spec1.id, spec2.id]) await sentinel(who)
    const [cory, sam, other] = await Promise.all(reading)
    expect(cory!.map((e) => e.event)).toEqual(["inbox", "chat", `chat-${room.id}`, "inbox", "channel-chn_end"])
    expect(JSON.parse(cory![1]!.data)).toEqual({ roomId: room.id, mine: false })
    expect(JSON.parse(sam![2]!.data)).toEqual({ roomId: room.id, mine: true })
    expect(other!.map((e) => e.event)).toEqual(["inbox", "inbox", "channel-chn_end"])
    expect(JSON.stringify([cory, sam, other])).not.toContain("Lunch")
  })
})
