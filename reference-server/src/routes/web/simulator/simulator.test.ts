import { afterEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { channelMessages, dispatchAll, twilioEnv } from "../../../testing/Twilio.js"

const casey = world.clients.c1.phones[0]!.number
const spec1Line = world.lines.spec1.number

let server: TestServer
afterEach(() => server.close())

const page = (query: Record<string, string> = {}) => server.app.request(`/simulator?${new URLSearchParams(query)}`)
const send = (form: Record<string, string>, headers: Record<string, string> = { "sec-fetch-site": "same-origin", "hx-request": "true" }) =>
  server.app.request("/simulator/send", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString()
  })

describe("phone simulator (SMS_PROVIDER=fake)", () => {
  it("is public and lists the organisations' client numbers with names and their lines with owners", async () => {
    server = await startTestServer()
    const response = await page()
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain("Demo phone simulator")
    expect(html).toContain(`Casey One – mobile (${casey})`)
    expect(html).toContain(`${spec1Line} — spec_1 (personal line)`)
    expect(html).toContain(`${world.lines.org.number} — Harbour Care (organisation line)`)
    expect(html).not.toContain("sim-thread")
  })

  it("a text sent from the phone goes through the inbound path to the staff member's channel", async () => {
    server = await startTestServer()
    const response = await send({ phone: casey, line: spec1Line, body: "Hi, it's Casey" })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('id="sim-screen"')
    expect(html).toContain("Hi, it&#39;s Casey")
    const { messages } = await channelMessages(server, "spec1", casey)
    expect(messages.filter((m) => m.direction === "inbound").map((m) => m.body)).toEqual(["Hi, it's Casey"])
    // Casey has not opted in: the inbound path asks them to, as it would for a real webhook.
    expect(messages.some((m) => m.direction === "outbound" && m.body.includes("reply YES"))).toBe(true)
  })

  it("shows what the line sent the phone once the outbox hands it over, and only that pair's texts", async () => {
    server = await startTestServer()
    await send({ phone: casey, line: spec1Line, body: "YES" }) // opts in; the welcome text goes back to the phone
    await send({ phone: casey, line: world.lines.org.number, body: "to the org line" })
    await dispatchAll(server)
    const thread = await (await server.app.request(`/simulator/thread?${new URLSearchParams({ phone: casey, line: spec1Line })}`)).text()
    expect(thread).toContain("YES")
    expect(thread).toContain("sim-theirs")
    expect(thread).not.toContain("to the org line")
    const full = await (await page({ phone: casey, line: spec1Line })).text()
    expect(full).toContain('hx-sse:connect="/simulator/events?')
    expect(full).toContain("Casey One")
  })

  it("takes a typed number with spaces and dashes, and refuses one that is not a number", async () => {
    server = await startTestServer()
    const typed = await page({ number: "+1 555-010-9999", line: spec1Line })
    expect(typed.status).toBe(200)
    expect(await typed.text()).toContain('name="phone" value="+15550109999"')
    const bad = await page({ number: "call me", line: spec1Line })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain("is not a phone number")
  })

  it("refuses an empty text or a line Careline does not have, with a message, and stores nothing", async () => {
    server = await startTestServer()
    const empty = await send({ phone: casey, line: spec1Line, body: "   " })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain("Write a text first.")
    const unknown = await send({ phone: casey, line: "+15550000999", body: "hello" })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain("No Careline line has that number")
    expect((await channelMessages(server, "spec1", casey)).messages).toEqual([])
  })

  it("refuses a post from another site (403)", async () => {
    server = await startTestServer()
    expect((await send({ phone: casey, line: spec1Line, body: "forged" }, { "sec-fetch-site": "cross-site" })).status).toBe(403)
    expect((await send({ phone: casey, line: spec1Line, body: "forged" }, { origin: "https://evil.example" })).status).toBe(403)
    expect((await send({ phone: casey, line: spec1Line, body: "forged" }, {})).status).toBe(403)
  })

  it("a plain form post (no htmx) goes back to the simulator page", async () => {
    server = await startTestServer()
    const response = await send({ phone: casey, line: spec1Line, body: "plain" }, { origin: "http://localhost" })
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe(`/simulator?${new URLSearchParams({ phone: casey, line: spec1Line })}`)
  })

  it("renders texts as inert text", async () => {
    server = await startTestServer()
    const html = await (await send({ phone: casey, line: spec1Line, body: '<script>alert(1)</script><b hx-get="/x">' })).text()
    expect(html).not.toContain("<script>alert(1)")
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b hx-get=")
  })

  it("streams a live event when a text to or from the phone is carried", async () => {
    server = await startTestServer()
    const controller = new AbortController()
    const events = await server.app.request(`/simulator/events?${new URLSearchParams({ phone: casey, line: spec1Line })}`, { signal: controller.signal })
    expect(events.headers.get("content-type")).toContain("text/event-stream")
    const reader = events.body!.getReader()
    let received = ""
    const readUntil = async (text: string) => {
      while (!received.includes(text)) {
        const chunk = await reader.read()
        if (chunk.done) break
        received += new TextDecoder().decode(chunk.value)
      }
    }
    // First a refresh as soon as it listens (covers texts carried since the page was drawn)…
    await readUntil("data: connected")
    expect(received).toContain("event: sms\ndata: connected")
    // …then one event per text between this phone and this line.
    await send({ phone: casey, line: spec1Line, body: "live?" })
    await readUntil("data: from_phone")
    expect(received).toContain("event: sms\ndata: from_phone")
    expect(received).not.toContain("live?")
    controller.abort()
    await reader.cancel().catch(() => undefined)
  })

  it("does not exist with Twilio as the provider (404)", async () => {
    server = await startTestServer(twilioEnv("http://127.0.0.1:9"))
    expect((await page()).status).toBe(404)
    expect((await send({ phone: casey, line: spec1Line, body: "hi" })).status).toBe(404)
    expect((await server.app.request("/simulator/events")).status).toBe(404)
  })
})
