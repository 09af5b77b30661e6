import { Mailer } from "@careline/core"
import { afterEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer } from "../../../testing/TestServer.js"
import { twilioEnv } from "../../../testing/Twilio.js"

let server: TestServer
afterEach(() => server.close())

const mail = (to: string, subject: string, text: string) =>
  server.runtime.runPromise(Mailer.use((mailer) => mailer.send({ to, subject, text })))

describe("demo mailbox /simulator/mail (SMS_PROVIDER=fake)", () => {
  it("lists captured emails newest first, with their links clickable, and filters by recipient", async () => {
    server = await startTestServer()
    await mail("casey@example.net", "You have a new secure message from Harbour Care", "Sign in to read it:\nhttp://localhost:3000/portal/sign-in\n")
    await mail("robin@example.net", "Second", "See http://localhost:3000/r/abc.")
    const response = await server.app.request("/simulator/mail")
    expect(response.status).toBe(200)
    expect(response.headers.get("cache-control")).toBe("no-store")
    const html = await response.text()
    expect(html).toContain("Demo mailbox")
    expect(html).toContain('<a href="http://localhost:3000/portal/sign-in">http://localhost:3000/portal/sign-in</a>')
    // The sentence's full stop is not part of the link.
    expect(html).toContain('<a href="http://localhost:3000/r/abc">http://localhost:3000/r/abc</a>.')
    expect(html.indexOf("Second")).toBeLessThan(html.indexOf("You have a new secure message"))
    const filtered = await (await server.app.request("/simulator/mail?to=casey%40example.net")).text()
    expect(filtered).toContain("You have a new secure message")
    expect(filtered).not.toContain("<h2>Second</h2>")
    const list = await server.app.request("/simulator/mail/list?to=robin%40example.net")
    expect(list.status).toBe(200)
    const fragment = await list.text()
    expect(fragment).toContain('id="mail-list"')
    expect(fragment).toContain("Second")
    expect(fragment).not.toContain("<html")
  })

  it("renders an email's content inert: markup and attributes are escaped, only http(s) links become links", async () => {
    server = await startTestServer()
    await mail("x@example.net", "<script>alert(1)</script>", `<img src=x onerror=alert(1)> <a hx-get="/x">y</a> javascript:alert(1) http://localhost/"onmouseover="x`)
    const html = await (await server.app.request("/simulator/mail")).text()
    expect(html).not.toContain("<script>alert")
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    expect(html).not.toContain("<img src=x")
    expect(html).not.toContain('<a hx-get="/x"')
    expect(html).not.toContain('href="javascript:')
    expect(html).toContain('<a href="http://localhost/">http://localhost/</a>')
  })

  it("does not exist without the fake SMS provider", async () => {
    server = await startTestServer(twilioEnv("http://127.0.0.1:9"))
    expect((await server.app.request("/simulator/mail")).status).toBe(404)
    expect((await server.app.request("/simulator/mail/list")).status).toBe(404)
  })

  it("with SMTP_URL says mail leaves by SMTP and keeps nothing", async () => {
    server = await startTestServer({ SMTP_URL: "smtp://127.0.0.1:9", MAIL_FROM: "careline@example.org" })
    const html = await (await server.app.request("/simulator/mail")).text()
    expect(html).toContain("Email goes out over SMTP")
    expect(html).not.toContain('id="mail-list"')
  })
})
