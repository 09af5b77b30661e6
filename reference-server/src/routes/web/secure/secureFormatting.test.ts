import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { joinPortal } from "../../../testing/Portal.js"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { postMultipart, threadIdFrom } from "./SecureTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const casey = `client:${world.clients.c1.id}`

const formatted = [
  "Hi Casey, **three things** for _this_ week:",
  "- walk <b>daily</b>",
  "- **call** the group",
  "",
  "1. book https://example.org/book?a=1&b=2",
  "2. rest"
].join("\n")

describe("secure messages: formatted bodies (S1)", () => {
  it("the compose and reply forms carry the formatting bar above the body", async () => {
    const spec = await server.signIn("spec1")
    const compose = await (await spec.request("/secure/new")).text()
    expect(compose).toContain('<div class="format-bar" role="group" aria-label="Formatting" data-format-for="compose-body">')
    for (const label of ["Bold", "Italic", "Bulleted list", "Numbered list"]) expect(compose).toMatch(new RegExp(`<button type="button"[^>]*>(<strong>|<em>)?${label}<`))
    expect(compose).toContain('<label for="compose-body">Message')
    expect(compose).toMatch(/<textarea id="compose-body"[^>]*aria-describedby="compose-body-hint compose-body-format-hint"[^>]*data-formatting/)
    expect(compose.indexOf('data-format-for="compose-body"')).toBeLessThan(compose.indexOf('<textarea id="compose-body"'))
    const sent = await postMultipart(server, spec, "/secure/new", { do: "send", to: [casey], subject: "Plan", body: "Hello Casey, the plan." })
    const thread = await (await spec.request(`/secure/threads/${threadIdFrom(sent)}`)).text()
    expect(thread).toContain('data-format-for="reply-body"')
  })

  it("a formatted message shows bold, italic, lists and a safe link to staff and to the client; the markup stays text", async () => {
    const spec = await server.signIn("spec1")
    const client = await joinPortal(server, spec, world.clients.c1.id, "casey@example.org")
    const sent = await postMultipart(server, spec, "/secure/new", { do: "send", to: [casey], subject: "This week", body: formatted })
    expect(sent.status).toBe(303)
    const id = threadIdFrom(sent)
    const expected = [
      "<p>Hi Casey, <strong>three things</strong> for <em>this</em> week:</p>",
      "<ul><li>walk &lt;b&gt;daily&lt;/b&gt;</li><li><strong>call</strong> the group</li></ul>",
      '<ol><li>book <a href="https://example.org/book?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">https://example.org/book?a=1&amp;b=2</a></li><li>rest</li></ol>'
    ].join("")
    for (const [who, path] of [[spec, `/secure/threads/${id}`], [spec, `/secure/threads/${id}/messages`], [client, `/portal/messages/threads/${id}`]] as const) {
      const response = await who.request(path)
      expect(response.status, path).toBe(200)
      expect(await response.text(), path).toContain(`<div class="body formatted">${expected}</div>`)
    }
    // The client's formatted reply renders for staff too.
    const reply = await postMultipart(server, client, `/portal/messages/threads/${id}/reply`, { do: "send", body: "Thanks, **I will** try." })
    expect(reply.status).toBe(303)
    expect(await (await spec.request(`/secure/threads/${id}`)).text()).toContain("<p>Thanks, <strong>I will</strong> try.</p>")
  })

  it("the quick note for the chart stays plain text: the markers as typed, no markup", async () => {
    const spec = await server.signIn("spec1")
    const sent = await postMultipart(server, spec, "/secure/new", { do: "send", to: [casey], subject: "This week", body: formatted })
    // (A form post sends line breaks as CRLF.)
    const note = (await (await spec.request(`/secure/threads/${threadIdFrom(sent)}/quick-note`)).text()).replace(/\r\n/g, "\n")
    expect(note).toContain("Hi Casey, **three things** for _this_ week:\n- walk &lt;b&gt;daily&lt;/b&gt;\n- **call** the group")
    expect(note).not.toContain("<strong>three things</strong>")
  })
})
