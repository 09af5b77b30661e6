import { AuditLog, type MessageMedia, ProviderMessageId, receiveInbound } from "@careline/core"
import { afterEach, describe, expect, it, vi } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { phoneOf } from "./MessagesTesting.js"

let server: TestServer
afterEach(async () => {
  vi.restoreAllMocks()
  await server.close()
})

const picture: MessageMedia = { url: "https://api.twilio.com/2010-04-01/Accounts/AC0123/Messages/MM1/Media/ME1", contentType: "image/jpeg" }

let sequence = 0
/** An MMS from Casey One (assigned to spec_1) to spec_1's own line. */
const mmsIn = async (media: ReadonlyArray<MessageMedia>) => {
  const outcome = await server.runtime.runPromise(receiveInbound({
    providerMessageId: ProviderMessageId.make(`SMmms${++sequence}`),
    from: phoneOf("c1"),
    to: world.lines.spec1.number,
    body: "a photo of the form",
    media
  }))
  if (outcome._tag !== "Stored") throw new Error("not stored")
  return { channelId: outcome.channel.id, messageId: outcome.message.id }
}

const auditTrail = () => server.runtime.runPromise(AuditLog.use((log) => log.list(world.staff.admin.organisationId, {})))

describe("inbound MMS attachments (fake provider)", () => {
  it("the channel view shows each attachment as a link through the access-checked route, never the provider's URL", async () => {
    server = await startTestServer()
    const { channelId, messageId } = await mmsIn([picture, { url: "https://media.example.org/x.pdf", contentType: "application/pdf" }])
    const spec = await server.signIn("spec1")
    for (const path of [`/messages/${channelId}`, `/messages/${channelId}/messages`]) {
      const html = await (await spec.request(path)).text()
      expect(html).toContain(`href="/messages/${channelId}/attachments/${messageId}/0"`)
      expect(html).toContain("Attachment (image/jpeg)")
      expect(html).toContain(`href="/messages/${channelId}/attachments/${messageId}/1"`)
      expect(html).toContain("Attachment (application/pdf)")
      expect(html).not.toContain("api.twilio.com")
      expect(html).not.toContain("media.example.org")
    }
  })

  it("opens for whoever sees the channel (a redirect with the fake provider) and audits the read without the URL", async () => {
    server = await startTestServer()
    const { channelId, messageId } = await mmsIn([picture])
    const spec = await server.signIn("spec1")
    const answer = await spec.request(`/messages/${channelId}/attachments/${messageId}/0`)
    expect(answer.status).toBe(302)
    expect(answer.headers.get("location")).toBe(picture.url)
    const reads = (await auditTrail()).filter((e) => e.detail?.startsWith("attachment"))
    expect(reads.map((e) => [e.action, e.channelId, e.clientId, e.detail])).toEqual([["channel.read", channelId, world.clients.c1.id, `attachment message=${messageId} n=0`]])
    expect(JSON.stringify(await auditTrail())).not.toContain("twilio.com")
  })

  it("is 404 for a staff member who cannot see the channel, and for media that do not exist", async () => {
    server = await startTestServer()
    const { channelId, messageId } = await mmsIn([picture])
    for (const who of ["spec2", "coordinator", "admin", "adminB"] as const) {
      const other = await server.signIn(who)
      const answer = await other.request(`/messages/${channelId}/attachments/${messageId}/0`)
      expect(answer.status).toBe(404)
      expect(answer.headers.get("location")).toBeNull()
      expect(await answer.text()).not.toContain("twilio.com")
    }
    const spec = await server.signIn("spec1")
    for (const path of [`${messageId}/1`, `${messageId}/x`, `msg_none/0`]) {
      expect((await spec.request(`/messages/${channelId}/attachments/${path}`)).status).toBe(404)
    }
    expect((await auditTrail()).filter((e) => e.detail?.startsWith("attachment"))).toEqual([])
  })

  it("opens from a colleague's inbox for a supervisor or admin (read-only), not for a colleague who is neither", async () => {
    server = await startTestServer()
    const { channelId, messageId } = await mmsIn([picture])
    const admin = await server.signIn("admin")
    const html = await (await admin.request(`/messages/colleague/${world.staff.spec1.id}/${channelId}`)).text()
    const link = `/messages/colleague/${world.staff.spec1.id}/${channelId}/attachments/${messageId}/0`
    expect(html).toContain(`href="${link}"`)
    expect((await admin.request(link)).status).toBe(302)
    expect((await (await server.signIn("spec2")).request(link)).status).toBe(404)
  })

  it("renders a content type as inert text", async () => {
    server = await startTestServer()
    const { channelId } = await mmsIn([{ url: "https://media.example.org/x", contentType: `<script>alert(1)</script>` }])
    const html = await (await (await server.signIn("spec1")).request(`/messages/${channelId}`)).text()
    expect(html).not.toContain("<script>alert(1)")
    expect(html).toContain("Attachment (&lt;script&gt;alert(1)&lt;/script&gt;)")
  })
})

const sid = "AC0123456789abcdef0123456789abcdef"

describe("inbound MMS attachments (Twilio)", () => {
  const twilioEnv = { SMS_PROVIDER: "twilio", TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: "secret-token", PUBLIC_BASE_URL: "https://care.example.org" }

  it("proxies Twilio media with the account's credentials, not sniffed, and never sends them elsewhere", async () => {
    server = await startTestServer(twilioEnv)
    const fetched: Array<{ readonly url: string; readonly authorization: string | null }> = []
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      fetched.push({ url: String(input), authorization: new Headers(init?.headers).get("authorization") })
      return new Response(new Uint8Array([0xff, 0xd8, 0xff]), { status: 200, headers: { "content-type": "image/jpeg" } })
    })
    const { channelId, messageId } = await mmsIn([picture, { url: "https://evil.example.org/steal", contentType: "image/png" }, { url: "https://api.twilio.com/x.html", contentType: "text/html" }])
    const spec = await server.signIn("spec1")
    const answer = await spec.request(`/messages/${channelId}/attachments/${messageId}/0`)
    expect(answer.status).toBe(200)
    expect(answer.headers.get("content-type")).toBe("image/jpeg")
    expect(answer.headers.get("content-disposition")).toBe("inline")
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff")
    expect(answer.headers.get("content-security-policy")).toContain("script-src 'self'")
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 0xff]))
    expect(fetched).toEqual([{ url: picture.url, authorization: `Basic ${Buffer.from(`${sid}:secret-token`).toString("base64")}` }])
    // Another host never gets the credentials: the route answers 502 without fetching.
    const elsewhere = await spec.request(`/messages/${channelId}/attachments/${messageId}/1`)
    expect(elsewhere.status).toBe(502)
    expect(fetched).toHaveLength(1)
    // A type a browser could run is downloaded, not shown.
    vi.mocked(globalThis.fetch).mockResolvedValueOnce(new Response("<script>x</script>", { status: 200, headers: { "content-type": "text/html" } }))
    const page = await spec.request(`/messages/${channelId}/attachments/${messageId}/2`)
    expect(page.headers.get("content-disposition")).toBe("attachment")
    // Still 404 for someone who cannot see the channel, before anything is fetched.
    const before = fetched.length
    expect((await (await server.signIn("spec2")).request(`/messages/${channelId}/attachments/${messageId}/0`)).status).toBe(404)
    expect(fetched.length).toBe(before)
  })

  it("answers 502 in words when Twilio does not give the file", async () => {
    server = await startTestServer(twilioEnv)
    vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("gone", { status: 404 }))
    const { channelId, messageId } = await mmsIn([picture])
    const answer = await (await server.signIn("spec1")).request(`/messages/${channelId}/attachments/${messageId}/0`)
    expect(answer.status).toBe(502)
    expect(await answer.text()).toContain("could not be fetched from the SMS provider")
  })
})
