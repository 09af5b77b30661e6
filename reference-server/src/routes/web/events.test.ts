import { ChannelId, Notifier, OrganisationId, type StaffId } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../testing/TestServer.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

/** Reads server-sent events off a streaming response until `count` have arrived. */
const readEvents = async (response: Response, count: number) => {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let text = ""
  const events: Array<{ event: string; data: string }> = []
  while (events.length < count) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
    const blocks = text.split("\n\n")
    text = blocks.pop() ?? ""
    for (const block of blocks) {
      const fields = Object.fromEntries(block.split("\n").filter((l) => !l.startsWith(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]))
      if (fields["event"] !== undefined) events.push({ event: fields["event"], data: fields["data"] ?? "" })
    }
  }
  await reader.cancel()
  return events
}

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

  it("is only for signed-in staff", async () => {
    expect((await server.app.request("/events")).status).toBe(303)
  })
})
