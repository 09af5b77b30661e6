import { blockClient, Conversations, defaultQuietHours, Directory, nextSendableAt, requireOrganisation } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { optIn } from "../messages/MessagesTesting.js"
import { BulkResult } from "./BulkPage.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const bulk = (clientIds: ReadonlyArray<string>, body: string, extra: Record<string, string> = {}) => {
  const form = new URLSearchParams(extra)
  form.set("body", body)
  for (const id of clientIds) form.append("clientId", id)
  return form
}

const post = async (who: "coordinator" | "spec1" | "admin", form: URLSearchParams, withCsrf = true) => {
  const browser = await server.signIn(who)
  return server.app.request("/bulk", {
    method: "POST",
    headers: { cookie: browser.cookie, "content-type": "application/x-www-form-urlencoded", ...(withCsrf ? { "x-csrf-token": browser.csrfToken } : {}) },
    body: form.toString()
  })
}

const channelsOf = (clientId: string) => server.runtime.runPromise(Conversations.use((c) => c.channelsOfClient(clientId as typeof world.clients.c1.id)))

describe("bulk send", () => {
  it("lists only the clients the staff member may access", async () => {
    const spec = await (await (await server.signIn("spec1")).request("/bulk")).text()
    expect(spec).toContain(`value="${world.clients.c1.id}"`)
    expect(spec).not.toContain(`value="${world.clients.c2.id}"`)
    const coordinator = await (await (await server.signIn("coordinator")).request("/bulk")).text()
    for (const client of [world.clients.c1, world.clients.c2, world.clients.c3]) expect(coordinator).toContain(`value="${client.id}"`)
    expect(coordinator).not.toContain(world.clients.b1.id)
  })

  it("sends each client the message in their own channel and lists the skipped ones with the reason", async () => {
    await optIn(server, world.staff.coordinator.id, "c1")
    await optIn(server, world.staff.coordinator.id, "c3")
    await server.runtime.runPromise(blockClient({ staffId: world.staff.admin.id, clientId: world.clients.c3.id }))
    const answer = await post("coordinator", bulk([world.clients.c1.id, world.clients.c2.id, world.clients.c3.id, world.clients.b1.id], "Group is moved to 4pm", { lineId: world.lines.org.id }))
    expect(answer.status).toBe(200)
    const page = await answer.text()
    expect(page).toContain("Sent to 1, skipped 3")
    const skipped = page.slice(page.indexOf("<h3>Skipped</h3>"))
    expect(skipped).toContain("Robin Two</td><td>No consent to text")
    expect(skipped).toContain("Sky Three</td><td>Blocked")
    expect(skipped).toContain("Not one of your clients")
    expect(skipped).not.toContain("Bea Other")
    const [channel] = await channelsOf(world.clients.c1.id)
    expect(channel?.lineId).toBe(world.lines.org.id)
    const messages = await server.runtime.runPromise(Conversations.use((c) => c.listMessages(channel!.id, { limit: 10 })))
    expect(messages.map((m) => [m.body, m.status])).toEqual([["Group is moved to 4pm", "queued"]])
    expect(await channelsOf(world.clients.b1.id)).toEqual([])
  })

  it("holds the texts until quiet hours end (21:00–08:00 in the organisation's zone), and says so", async () => {
    await optIn(server, world.staff.coordinator.id, "c1")
    const before = Date.now()
    const page = await (await post("coordinator", bulk([world.clients.c1.id], "Reminder", { lineId: world.lines.org.id }))).text()
    const organisation = await server.runtime.runPromise(requireOrganisation(world.staff.admin.organisationId))
    const quiet = nextSendableAt(defaultQuietHours, organisation.businessHours.timeZone, before) > before
    expect(page.includes("Quiet hours: the texts are held until")).toBe(quiet)
    expect(page).toContain(quiet ? "Casey One</a> · held for quiet hours" : "Casey One</a> · queued")
    const held = (<BulkResult outcome={{ sent: [{ client: world.clients.c1 }], skipped: [], heldUntil: Date.UTC(2026, 11, 2, 8), timeZone: "UTC" }} />).toString()
    expect(held).toContain("Quiet hours: the texts are held until Wednesday, 2 December 2026 at 08:00:00 UTC")
    expect(held).toContain("held for quiet hours")
  })

  it("refuses an empty selection or message with 422 in words, sending nothing", async () => {
    const none = await post("coordinator", bulk([], "Hello"))
    expect(none.status).toBe(422)
    expect(await none.text()).toContain("Pick at least one client.")
    const blank = await post("coordinator", bulk([world.clients.c1.id], "   "))
    expect(blank.status).toBe(422)
    expect(await blank.text()).toContain("Write the message.")
    const notMine = await post("spec1", bulk([world.clients.c1.id], "hi", { lineId: world.lines.spec2.id }))
    expect(notMine.status).toBe(422)
    expect(await notMine.text()).toContain("Pick one of your own lines")
    expect(await channelsOf(world.clients.c1.id)).toEqual([])
  })

  it("refuses a post without the CSRF token", async () => {
    await optIn(server, world.staff.coordinator.id, "c1")
    expect((await post("coordinator", bulk([world.clients.c1.id], "hi"), false)).status).toBe(403)
    expect(await channelsOf(world.clients.c1.id)).toEqual([])
  })

  it("renders client names as inert text", async () => {
    await server.runtime.runPromise(Directory.use((d) => d.updateClient(world.clients.c2.id, (c) => ({ ...c, name: `<script>alert(1)</script>` }))))
    const page = await (await (await server.signIn("coordinator")).request("/bulk")).text()
    expect(page).not.toContain("<script>alert(1)")
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
  })
})
