import { CapturedMail } from "@careline/adapter-memory"
import { Directory } from "@careline/core"
import { afterEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { auditOf, channelIdOf, channelOf, messagesOf, phoneOf, textIn } from "./MessagesTesting.js"

let server: TestServer
afterEach(() => server.close())

const htmx = { "hx-request": "true" }
const captured = () => server.runtime.runPromise(CapturedMail.use((mail) => mail.all))
const giveEmail = (email: string) =>
  server.runtime.runPromise(Directory.use((d) => d.putClient({ ...world.clients.c1, email })))

/** Casey (client_1, spec_1's) has texted spec_1's line. */
const caseysChannel = async () => {
  await textIn(server, phoneOf("c1"), world.lines.spec1.number, "Hello from Casey")
  return channelIdOf(server, world.lines.spec1, phoneOf("c1"))
}

describe("sending a channel message by email (S3)", () => {
  it("offers 'Send by: Email' only when the client has an email; every message shows its medium", async () => {
    server = await startTestServer()
    const id = await caseysChannel()
    const browser = await server.signIn("spec1")
    const without = await (await browser.request(`/messages/${id}`)).text()
    expect(without).not.toContain('name="medium"')
    expect(without).toContain('<span class="medium sms">SMS</span>')
    await giveEmail("casey@example.net")
    const page = await (await browser.request(`/messages/${id}`)).text()
    expect(page).toContain('<legend>Send by</legend>')
    expect(page).toContain('value="email"')
    expect(page).toContain("Email to casey@example.net")
  })

  it("sends the email with the channel's reply link and not the text, stores it as an Email message, audited", async () => {
    server = await startTestServer({ PUBLIC_BASE_URL: "https://careline.example.org" })
    const id = await caseysChannel()
    await giveEmail("casey@example.net")
    const browser = await server.signIn("spec1")
    const answer = await browser.request(`/messages/${id}/send`, { form: { body: "Your results are in", medium: "email" }, csrf: true, headers: htmx })
    expect(answer.status).toBe(200)
    expect(answer.headers.get("hx-trigger")).toContain("message-sent")
    const composer = await answer.text()
    expect(composer).toContain('role="status">Email sent.')
    expect(composer).toMatch(/value="email" checked/)
    const token = (await channelOf(server, id)).replyToken!
    const [email] = await captured()
    expect(email).toMatchObject({ to: "casey@example.net", subject: "New message from Harbour Care" })
    expect(email!.text).toContain(`https://careline.example.org/r/${token}`)
    expect(email!.text).not.toContain("results")
    const stored = (await messagesOf(server, id)).find((m) => m.body === "Your results are in")
    expect(stored).toMatchObject({ direction: "outbound", medium: "email", status: "sent" })
    const fragment = await (await browser.request(`/messages/${id}/messages`)).text()
    expect(fragment).toContain('<span class="medium email">Email</span>')
    expect(fragment).toContain('<span class="medium sms">SMS</span>')
    const transcript = await (await browser.request(`/messages/${id}/transcript.txt`)).text()
    expect(transcript).toMatch(/— spec_1 \(by email\) \[Sent\]\nYour results are in/)
    const audit = await auditOf(server)
    expect(audit.some((e) => e.action === "message.send" && e.channelId === id && e.detail?.includes("medium=email"))).toBe(true)
    expect(JSON.stringify(audit)).not.toContain("results")
  })

  it("a client without an email, an empty text, or a mail server that refuses: 422 in the composer, nothing stored", async () => {
    server = await startTestServer({ SMTP_URL: "smtp://127.0.0.1:9", MAIL_FROM: "careline@example.org" })
    const id = await caseysChannel()
    const browser = await server.signIn("spec1")
    const noEmail = await browser.request(`/messages/${id}/send`, { form: { body: "hi", medium: "email" }, csrf: true, headers: htmx })
    expect(noEmail.status).toBe(422)
    expect(await noEmail.text()).toContain("This client has no email address")
    await giveEmail("casey@example.net")
    const empty = await browser.request(`/messages/${id}/send`, { form: { body: "  ", medium: "email" }, csrf: true, headers: htmx })
    expect(empty.status).toBe(422)
    const refused = await browser.request(`/messages/${id}/send`, { form: { body: "hi there", medium: "email" }, csrf: true, headers: htmx })
    expect(refused.status).toBe(422)
    const html = await refused.text()
    expect(html).toContain("The email could not be sent")
    expect(html).toContain("hi there</textarea>")
    expect(html).toMatch(/value="email" checked/)
    const messages = await messagesOf(server, id)
    expect(messages.filter((m) => m.medium === "email" || m.author._tag === "Staff")).toEqual([])
    const bad = await browser.request(`/messages/${id}/send`, { form: { body: "hi", medium: "pigeon" }, csrf: true, headers: htmx })
    expect(bad.status).toBe(400)
  })

  it("is under the access policy (404 for who may not see the channel) and needs the CSRF token", async () => {
    server = await startTestServer()
    const id = await caseysChannel()
    await giveEmail("casey@example.net")
    const spec2 = await server.signIn("spec2")
    expect((await spec2.request(`/messages/${id}/send`, { form: { body: "hi", medium: "email" }, csrf: true, headers: htmx })).status).toBe(404)
    const spec1 = await server.signIn("spec1")
    expect((await spec1.request(`/messages/${id}/send`, { form: { body: "hi", medium: "email" } })).status).toBe(403)
    expect(await captured()).toEqual([])
  })

  it("renders the client's email address inert", async () => {
    server = await startTestServer()
    const id = await caseysChannel()
    await giveEmail(`x"><script>alert(1)</script><b hx-get="/x">@example.net`)
    const page = await (await (await server.signIn("spec1")).request(`/messages/${id}`)).text()
    expect(page).not.toContain("<script>alert(1)")
    expect(page).not.toContain('<b hx-get="/x">')
    expect(page).toContain("&lt;script&gt;")
  })
})
