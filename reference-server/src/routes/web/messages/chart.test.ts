import { ChartedNotes } from "@careline/adapter-memory"
import { Conversations } from "@careline/core"
import { afterEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf, channelIdOf, messagesOf, phoneOf, textIn } from "./MessagesTesting.js"

let server: TestServer
afterEach(() => server.close())

const htmx = { "hx-request": "true" }

/** Casey (client_1, spec_1's) has texted spec_1's line twice. */
const caseysChannel = async () => {
  await textIn(server, phoneOf("c1"), world.lines.spec1.number, "First text from Casey")
  await textIn(server, phoneOf("c1"), world.lines.spec1.number, "Second <script>alert(1)</script> text")
  return channelIdOf(server, world.lines.spec1, phoneOf("c1"))
}

const notes = () => server.runtime.runPromise(ChartedNotes.use((chart) => chart.all))

describe("sending an SMS conversation to the clinical record (S3)", () => {
  it("offers it on each message and the transcript, sends one message, marks it and says so", async () => {
    server = await startTestServer()
    const id = await caseysChannel()
    const browser = await server.signIn("spec1")
    const page = await (await browser.request(`/messages/${id}`)).text()
    const all = await messagesOf(server, id)
    // One a message, and one for the whole transcript.
    expect(page.match(/>Send to clinical record<\/button>/g)?.length).toBe(all.length + 1)
    const [first] = all.filter((m) => m.body === "First text from Casey")

    const answer = await browser.request(`/messages/${id}/chart`, { form: { messageId: first!.id }, csrf: true, headers: htmx })
    expect(answer.status).toBe(200)
    expect(answer.headers.get("hx-trigger")).toContain("charted")
    expect(await answer.text()).toContain('role="status">Sent to clinical record.</p>')

    const [note] = await notes()
    expect(note).toMatchObject({ organisationId: world.staff.spec1.organisationId, clientId: world.clients.c1.id, author: world.staff.spec1.id })
    expect(note!.text).toContain("First text from Casey")
    expect(note!.text).not.toContain("Second")
    const after = await messagesOf(server, id)
    expect(after.find((m) => m.id === first!.id)!.chartedAt).toBeTypeOf("number")
    expect(after.find((m) => m.id !== first!.id)!.chartedAt).toBeUndefined()

    const reload = await (await browser.request(`/messages/${id}/messages`, { headers: htmx })).text()
    expect(reload.match(/<span class="charted">Sent to clinical record<\/span>/g)?.length).toBe(1)
    expect(reload.match(/>Send to clinical record<\/button>/g)?.length).toBe(all.length - 1)
    expect(reload).not.toContain("<script>alert(1)</script>")

    const audit = (await auditOf(server)).filter((event) => event.action === "channel.chart")
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ channelId: id, clientId: world.clients.c1.id, detail: `message=${first!.id}` })
    expect(JSON.stringify(audit)).not.toContain("First text")
  })

  it("sends the whole transcript as one note, oldest first, and marks every message", async () => {
    server = await startTestServer()
    const id = await caseysChannel()
    const browser = await server.signIn("spec1")
    const answer = await browser.request(`/messages/${id}/chart`, { form: {}, csrf: true, headers: htmx })
    expect(answer.status).toBe(200)
    expect(await answer.text()).toContain(`Sent to clinical record (${(await messagesOf(server, id)).length} messages).`)
    const [note] = await notes()
    expect(note!.text.indexOf("First text from Casey")).toBeLessThan(note!.text.indexOf("Second <script>"))
    expect(note!.text).toMatch(/^Text conversation with .+, sent from Careline/)
    expect((await messagesOf(server, id)).every((m) => m.chartedAt !== undefined)).toBe(true)
  })

  it("is 404 for a colleague who may not see the conversation, and for a message of another conversation; nothing sent", async () => {
    server = await startTestServer()
    const id = await caseysChannel()
    const [message] = await messagesOf(server, id)
    const other = await server.signIn("spec2")
    expect((await other.request(`/messages/${id}/chart`, { form: { messageId: message!.id }, csrf: true, headers: htmx })).status).toBe(404)
    expect((await other.request(`/messages/${id}/chart`, { form: {}, csrf: true, headers: htmx })).status).toBe(404)
    await textIn(server, phoneOf("c3"), world.lines.spec2.number, "Hi from client 3")
    const otherChannel = await channelIdOf(server, world.lines.spec2, phoneOf("c3"))
    const spec1 = await server.signIn("spec1")
    const [foreign] = await messagesOf(server, otherChannel)
    expect((await spec1.request(`/messages/${id}/chart`, { form: { messageId: foreign!.id }, csrf: true, headers: htmx })).status).toBe(404)
    expect(await notes()).toEqual([])
    expect((await server.runtime.runPromise(Conversations.use((c) => c.listMessages(otherChannel, { limit: 10 }))))[0]!.chartedAt).toBeUndefined()
  })

  it("refuses without the CSRF token (403) and a malformed message id (400), sending nothing", async () => {
    server = await startTestServer()
    const id = await caseysChannel()
    const browser = await server.signIn("spec1")
    expect((await browser.request(`/messages/${id}/chart`, { form: {}, headers: htmx })).status).toBe(403)
    expect((await browser.request(`/messages/${id}/chart`, { form: { messageId: "<b>x</b> y" }, csrf: true, headers: htmx })).status).toBe(400)
    expect(await notes()).toEqual([])
  })

  it("an EHR that cannot be reached is a 502 with the reason in the pane, and nothing is marked", async () => {
    server = await startTestServer({ CHART_WEBHOOK_URL: "http://127.0.0.1:9/careline" })
    const id = await caseysChannel()
    const browser = await server.signIn("spec1")
    const answer = await browser.request(`/messages/${id}/chart`, { form: {}, csrf: true, headers: htmx })
    expect(answer.status).toBe(502)
    expect(await answer.text()).toContain("The clinical record did not take the note: The clinical record system could not be reached. Nothing was marked")
    expect((await messagesOf(server, id)).some((m) => m.chartedAt !== undefined)).toBe(false)
    expect((await auditOf(server)).some((event) => event.action === "channel.chart")).toBe(false)
  })
})
