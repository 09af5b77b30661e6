import { ChannelId, Directory, Notifier, OrganisationId, type StaffId } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../testing/TestServer.js"
import { readEvents } from "../../testing/ServerSentEvents.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const nudge = (channel: string, staffIds: ReadonlyArray<StaffId>, organisation = "org_a") =>
  server.runtime.runPromise(Notifier.use((n) => n.publish({
    _tag: "ChannelActivity",
    organisationId: OrganisationId.make(organisation),
    channelId: ChannelId.make(channel),
    kind: "inbound",
    staffIds,
    urgent: false
  })))

describe("GET /events", () => {
  it("streams a sync first, then only the nudges addressed to the signed-in staff member, naming the channel and never the content", async () => {
    const browser = await server.signIn("spec1")
    const response = await browser.request("/events")
    expect(response.headers.get("content-type")).toContain("text/event-stream")
    expect(response.headers.get("cache-control")).toBe("no-store")
    const reading = readEvents(response, 3)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await nudge("chn_other", [world.staff.spec2.id])
    await nudge("chn_other_org", [world.staff.spec1.id], "org_b")
    await nudge("chn_mine", [world.staff.spec1.id])
    const events = await reading
    expect(events.map((e) => e.event)).toEqual(["inbox", "inbox", "channel-chn_mine"])
    expect(JSON.parse(events[0]!.data)).toEqual({ kind: "sync" })
    expect(JSON.parse(events[1]!.data)).toEqual({ channelId: "chn_mine", kind: "inbound", urgent: false })
  })

  it("stops at once when the staff member is deactivated: the next nudge is not sent, the page is told 'signed-out' and the stream closes", async () => {
    const browser = await server.signIn("spec1")
    const response = await browser.request("/events")
    const reading = readEvents(response, 3)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await server.runtime.runPromise(Directory.use((d) => d.putStaff({ ...world.staff.spec1, active: false })))
    await nudge("chn_mine", [world.staff.spec1.id])
    expect((await reading).map((e) => e.event)).toEqual(["inbox", "signed-out"])
  })

  it("staff pages connect #live to /events and close it on 'signed-out' (no reconnecting to a sign-in page)", async () => {
    const html = await (await (await server.signIn("spec1")).request("/messages")).text()
    expect(html).toContain('<div id="live" hx-sse:connect="/events" hx-sse:close="signed-out" hidden=""></div>')
  })

  it("is only for signed-in staff", async () => {
    expect((await server.app.request("/events")).status).toBe(303)
  })
})
