import { blockClient, type ChannelId, renewReplyLink, sendSms, setRepliesAllowed } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf, channelOf, messagesOf, optIn, textIn } from "../messages/MessagesTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const fromPage = { origin: "http://localhost" }

/** spec_1 has texted Casey and turned replies on, which issues the reply link. */
const linked = async () => {
  await optIn(server, world.staff.spec1.id, "c1")
  const sent = await server.runtime.runPromise(sendSms({ staffId: world.staff.spec1.id, clientId: world.clients.c1.id, body: "How was the group today?" }))
  const channel = await server.runtime.runPromise(setRepliesAllowed({ staffId: world.staff.spec1.id, channelId: sent.channelId, allowed: true }))
  return { channelId: channel.id, token: channel.replyToken! }
}

const reply = (token: string, body: string, headers: Record<string, string> = fromPage) =>
  server.app.request(`/r/${token}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ body }).toString()
  })

const setReplies = (channelId: ChannelId, allowed: boolean) =>
  server.runtime.runPromise(setRepliesAllowed({ staffId: world.staff.spec1.id, channelId, allowed }))

describe("the reply link page", () => {
  it("shows this channel's messages without an account, privately, and nothing of other channels", async () => {
    const { token } = await linked()
    await textIn(server, world.clients.c3.phones[0]!.number, world.lines.spec2.number, "Sky's secret message")
    const answer = await server.app.request(`/r/${token}`)
    expect(answer.status).toBe(200)
    expect(answer.headers.get("cache-control")).toBe("no-store")
    expect(answer.headers.get("referrer-policy")).toBe("no-referrer")
    const page = await answer.text()
    expect(page).toContain("How was the group today?")
    expect(page).toContain("Messages with Harbour Care")
    expect(page).toContain(`action="/r/${token}"`)
    expect(page).not.toContain("Sky&#39;s secret message")
    expect(page).not.toContain("spec_1")
    expect(page).not.toContain('href="/messages"')
  })

  it("round trip: the reply appears in the staff member's channel as the client's, unread, and on both pages", async () => {
    const { channelId, token } = await linked()
    const answer = await reply(token, "It went well, thank you")
    expect(answer.status).toBe(303)
    expect(answer.headers.get("location")).toBe(`/r/${token}?sent=1`)
    const [latest] = await messagesOf(server, channelId)
    expect(latest).toMatchObject({ direction: "inbound", author: { _tag: "Client" }, body: "It went well, thank you" })
    expect((await channelOf(server, channelId)).status).toBe("unread")
    expect(await (await server.app.request(`/r/${token}?sent=1`)).text()).toContain("Your reply was sent.")
    const staffView = await (await (await server.signIn("spec1")).request(`/clients/${world.clients.c1.id}?tab=messages`)).text()
    expect(staffView).toContain("It went well, thank you")
    const trail = (await auditOf(server)).filter((e) => e.detail === "via=reply_link").map((e) => e.action)
    expect(trail).toContain("message.receive")
  })

  it("refuses a revoked or renewed link with 410, and an unknown one the same way", async () => {
    const { channelId, token } = await linked()
    await server.runtime.runPromise(renewReplyLink({ staffId: world.staff.spec1.id, channelId }))
    for (const answer of [await server.app.request(`/r/${token}`), await reply(token, "old link"), await server.app.request(`/r/${"A".repeat(43)}`), await server.app.request("/r/%3Cscript%3E")]) {
      expect(answer.status).toBe(410)
      expect(await answer.text()).toContain("This reply link is no longer valid.")
    }
    expect((await messagesOf(server, channelId)).map((m) => m.body)).not.toContain("old link")
  })

  it("with replies off still shows the conversation but refuses replies (403), and takes them again when back on", async () => {
    const { channelId, token } = await linked()
    await setReplies(channelId, false)
    const page = await (await server.app.request(`/r/${token}`)).text()
    expect(page).toContain("How was the group today?")
    expect(page).toContain("Replies to this conversation are turned off.")
    expect(page).not.toContain("Send reply")
    const refused = await reply(token, "anyone there?")
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain("Replies to this conversation are turned off.")
    await setReplies(channelId, true)
    expect((await reply(token, "back on")).status).toBe(303)
    expect((await messagesOf(server, channelId)).map((m) => m.body)).toEqual(["back on", "How was the group today?"])
  })

  it("refuses a blocked client (403) and an empty reply (422, in words)", async () => {
    const { channelId, token } = await linked()
    const empty = await reply(token, "   ")
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain("A message cannot be empty.")
    await server.runtime.runPromise(blockClient({ staffId: world.staff.admin.id, clientId: world.clients.c1.id }))
    const blocked = await reply(token, "hello")
    expect(blocked.status).toBe(403)
    expect((await messagesOf(server, channelId))).toHaveLength(1)
  })

  it("refuses a reply posted from another site or without an origin", async () => {
    const { channelId, token } = await linked()
    expect((await reply(token, "cross", { origin: "https://evil.example" })).status).toBe(403)
    expect((await reply(token, "cross", { "sec-fetch-site": "cross-site" })).status).toBe(403)
    expect((await reply(token, "none", {})).status).toBe(403)
    expect((await messagesOf(server, channelId))).toHaveLength(1)
  })

  it("throttles replies through one link", async () => {
    const { token } = await linked()
    for (let i = 0; i < 20; i++) expect((await reply(token, `reply ${i}`)).status).toBe(303)
    expect((await reply(token, "one too many")).status).toBe(429)
  })

  it("renders what the client and staff wrote as inert text", async () => {
    const { token } = await linked()
    await reply(token, `<script>alert(1)</script><a hx-get="/sign-out">x</a>`)
    const page = await (await server.app.request(`/r/${token}`)).text()
    expect(page).not.toContain("<script>alert(1)")
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    expect(page).toContain("hx-get=&quot;/sign-out&quot;")
  })
})
