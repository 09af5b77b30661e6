import { phone } from "@careline/testkit"
import { afterEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../testing/TestServer.js"
import { channelMessages, consentState, dispatchAll } from "../testing/Twilio.js"

const client1 = world.clients.c1.phones[0]!.number
const line1 = world.lines.spec1.number

let server: TestServer
afterEach(() => server.close())

const post = (path: string, body: unknown) =>
  server.app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })

describe("fake-SMS webhooks (SMS_PROVIDER=fake)", () => {
  it("takes an inbound text as JSON, without a signature, and stores it once per provider id", async () => {
    server = await startTestServer()
    const first = await post("/webhooks/fake/messages", { from: client1, to: line1, body: "hello", providerMessageId: "fake_1" })
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ outcome: "stored", providerMessageId: "fake_1" })
    expect(await (await post("/webhooks/fake/messages", { from: client1, to: line1, body: "hello", providerMessageId: "fake_1" })).json())
      .toEqual({ outcome: "duplicate", providerMessageId: "fake_1" })
    const { messages } = await channelMessages(server, "spec1", client1)
    expect(messages.filter((m) => m.direction === "inbound").map((m) => m.body)).toEqual(["hello"])
  })

  it("makes up a provider id when none is given, and honours keywords", async () => {
    server = await startTestServer()
    const res = await post("/webhooks/fake/messages", { from: client1, to: line1, body: "YES" })
    expect(((await res.json()) as { providerMessageId: string }).providerMessageId).toMatch(/^fake_/)
    expect(await consentState(server, client1)).toBe("opted_in")
    await post("/webhooks/fake/messages", { from: client1, to: line1, body: "STOP" })
    expect(await consentState(server, client1)).toBe("opted_out")
    // With the fake provider Careline answers keywords itself.
    const { messages } = await channelMessages(server, "spec1", client1)
    expect(messages.filter((m) => m.author._tag === "System")).toHaveLength(2)
  })

  it("answers a text to an unknown number with 200 and logs it", async () => {
    server = await startTestServer()
    const res = await post("/webhooks/fake/messages", { from: client1, to: phone(7_777_777), body: "hello" })
    expect(await res.json()).toMatchObject({ outcome: "unknown_line" })
    expect(server.logs.some((l) => l.level === "Warn" && l.message.includes(phone(7_777_777)))).toBe(true)
  })

  it("applies a status update to a sent text, and says when it knows no such message", async () => {
    server = await startTestServer()
    await post("/webhooks/fake/messages", { from: client1, to: line1, body: "YES" })
    await server.as("spec1", "/api/v1/messages", { body: { clientId: "client_1", body: "Hi" } })
    await dispatchAll(server)
    const sent = (await channelMessages(server, "spec1", client1)).messages.find((m) => m.body === "Hi")!
    expect(sent.status).toBe("sending")
    const res = await post("/webhooks/fake/status", { providerMessageId: sent.providerMessageId, status: "delivered" })
    expect(await res.json()).toEqual({ outcome: "applied", messageId: sent.id, status: "delivered" })
    expect(await (await post("/webhooks/fake/status", { providerMessageId: "nope", status: "sent" })).json()).toEqual({ outcome: "unknown_message" })
  })

  it("refuses bad JSON and bad fields with 400 and a readable message", async () => {
    server = await startTestServer()
    const bad = await server.app.request("/webhooks/fake/messages", { method: "POST", body: "{nope" })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("not valid JSON")
    const wrong = await post("/webhooks/fake/status", { providerMessageId: "x", status: "teleported", extra: 1 })
    expect(wrong.status).toBe(400)
    const message = ((await wrong.json()) as { error: { message: string } }).error.message
    expect(message).toContain("status:")
    expect(message).toContain("extra:")
  })

  it("is not there with Twilio as the provider (404)", async () => {
    server = await startTestServer({
      SMS_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000001",
      TWILIO_AUTH_TOKEN: "token",
      PUBLIC_BASE_URL: "https://careline.example.org"
    })
    expect((await post("/webhooks/fake/messages", { from: client1, to: line1, body: "hello" })).status).toBe(404)
  })
})
