import { Directory } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../testing/TestServer.js"
import { channelMessages, dispatchAll } from "../testing/Twilio.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const client1 = world.clients.c1.phones[0]!.number
const send = (who: Parameters<TestServer["as"]>[0], body: unknown) => server.as(who, "/api/v1/messages", { body })
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error

const optIn = (from = client1, to = world.lines.spec1.number) =>
  server.app.request("/webhooks/fake/messages", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from, to, body: "YES" })
  })

describe("POST /api/v1/messages", () => {
  it("refuses a number that never opted in with 422 and the reason", async () => {
    const res = await send("spec1", { clientId: "client_1", body: "Hello" })
    expect(res.status).toBe(422)
    expect(await errorOf(res)).toEqual({ code: "consent_required", message: `${client1} has not opted in to text messages yet (consent is unknown).` })
  })

  it("queues a text to an opted-in client and answers 202 with the message; the dispatcher sends it", async () => {
    await optIn()
    const res = await send("spec1", { clientId: "client_1", body: "See you Tuesday" })
    expect(res.status).toBe(202)
    const { message } = (await res.json()) as { message: { id: string; status: string; direction: string; body: string } }
    expect(message).toMatchObject({ status: "queued", direction: "outbound", body: "See you Tuesday" })
    await dispatchAll(server)
    const stored = (await channelMessages(server, "spec1", client1)).messages.find((m) => m.id === message.id)
    expect(stored?.status).toBe("sending")
  })

  it("refuses an opted-out number with 422 saying the client replied STOP", async () => {
    await optIn()
    await server.app.request("/webhooks/fake/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: client1, to: world.lines.spec1.number, body: "STOP" })
    })
    const res = await send("spec1", { clientId: "client_1", body: "Hello?" })
    expect(res.status).toBe(422)
    expect((await errorOf(res)).message).toContain("opted out")
  })

  it("refuses a blocked client with 422", async () => {
    await optIn()
    await server.runtime.runPromise(Directory.use((d) => d.updateClient(world.clients.c1.id, (c) => ({ ...c, blocked: true }))))
    const res = await send("spec1", { clientId: "client_1", body: "Hello" })
    expect(res.status).toBe(422)
    expect((await errorOf(res)).code).toBe("client_blocked")
  })

  it("refuses someone without a line of their own with 422, and sends from a line they name", async () => {
    await optIn(world.clients.c2.phones[0]!.number, world.lines.org.number)
    const res = await send("frontOffice", { clientId: "client_2", body: "Your invoice" })
    expect(res.status).toBe(422)
    expect(await errorOf(res)).toMatchObject({ code: "no_line_to_send_from", message: expect.stringContaining("no phone line") })
    expect((await send("frontOffice", { clientId: "client_2", lineId: "line_org", body: "Your invoice" })).status).toBe(202)
  })

  it("a client the sender may not reach, or of another organisation, is 404; so is another's line", async () => {
    await optIn()
    expect((await send("spec2", { clientId: "client_1", body: "Hi" })).status).toBe(404)
    expect((await send("spec1", { clientId: "client_b1", body: "Hi" })).status).toBe(404)
    expect((await send("spec1", { clientId: "nobody", body: "Hi" })).status).toBe(404)
    expect((await send("spec1", { clientId: "client_1", lineId: "line_spec_2", body: "Hi" })).status).toBe(404)
    expect((await send("spec1", { clientId: "client_1", lineId: "line_b", body: "Hi" })).status).toBe(404)
  })

  it("refuses an empty message with 422, and bad input with 400", async () => {
    await optIn()
    const empty = await send("spec1", { clientId: "client_1", body: "   " })
    expect(empty.status).toBe(422)
    expect(await errorOf(empty)).toEqual({ code: "invalid_message", message: "A message cannot be empty." })
    const long = await send("spec1", { clientId: "client_1", body: "x".repeat(1601) })
    expect(long.status).toBe(400)
    expect((await errorOf(long)).message).toContain("body: at most 1600 characters")
    const bad = await send("spec1", "not json at all")
    expect(bad.status).toBe(400)
    const missing = await send("spec1", { body: "Hi" })
    expect((await errorOf(missing)).message).toContain("clientId: is required but missing")
  })

  it("refuses a body over 64 KB with 413 before reading it", async () => {
    const res = await send("spec1", { clientId: "client_1", body: "x".repeat(70 * 1024) })
    expect(res.status).toBe(413)
    expect(await errorOf(res)).toEqual({ code: "invalid_request", message: "The request body is larger than 64 KB." })
  })
})
