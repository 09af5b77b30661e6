import { ChannelId, listInbox, type PhoneNumber, readChannel } from "@careline/core"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../testing/TestServer.js"

let server: TestServer
afterEach(() => server.close())

const phoneOf = (client: keyof typeof world.clients) => world.clients[client].phones[0]!.number

const textIn = (from: PhoneNumber, to: PhoneNumber, body: string) =>
  server.app.request("/webhooks/fake/messages", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from, to, body })
  })

interface Row {
  readonly channel: { readonly id: string; readonly phone: string; readonly status: string; readonly archived: boolean }
  readonly contact: string
}
const inbox = async (who: Parameters<TestServer["as"]>[0], query = "") =>
  ((await (await server.as(who, `/api/v1/channels${query}`)).json()) as { channels: ReadonlyArray<Row> }).channels
const channelOf = async (who: Parameters<TestServer["as"]>[0], phone: PhoneNumber) => (await inbox(who)).find((r) => r.channel.phone === phone)!.channel.id

/** client_1 → spec_1's line, client_2 → the organisation line, client_3 → spec_2's line, client_b1 → org_b's line. */
beforeEach(async () => {
  server = await startTestServer()
  await textIn(phoneOf("c1"), world.lines.spec1.number, "one")
  await textIn(phoneOf("c2"), world.lines.org.number, "two")
  await textIn(phoneOf("c3"), world.lines.spec2.number, "three")
  await textIn(phoneOf("b1"), world.lines.orgB.number, "other org")
})

describe("GET /api/v1/channels (the inbox)", () => {
  it("shows each staff member only the channels the access policy lets them see", async () => {
    expect((await inbox("spec1")).map((r) => r.contact)).toEqual(["Casey One – Mobile"])
    expect((await inbox("spec2")).map((r) => r.channel.phone)).toEqual([phoneOf("c3")])
    // Org-wide roles see the organisation line, never a colleague's personal line.
    expect((await inbox("coordinator")).map((r) => r.channel.phone)).toEqual([phoneOf("c2")])
    expect((await inbox("adminB")).map((r) => r.channel.phone)).toEqual([phoneOf("b1")])
  })

  it("the core reads the staff member itself unless the viewer handed to it is that staff member", async () => {
    const id = await channelOf("coordinator", phoneOf("c2"))
    // spec_1 handed as the coordinator's viewer: ignored, so the coordinator's own lines and rights apply.
    const rows = await server.runtime.runPromise(listInbox({ staffId: world.staff.coordinator.id, viewer: world.staff.spec1 }))
    expect(rows.map((r) => r.channel.phone)).toEqual([phoneOf("c2")])
    const page = await server.runtime.runPromise(readChannel({ staffId: world.staff.coordinator.id, channelId: ChannelId.make(id), viewer: world.staff.spec1 }))
    expect(page.channel.id).toBe(id)
    // The viewer handed over is the one the policy judges: read as deactivated, they see no line at all.
    expect(await server.runtime.runPromise(listInbox({ staffId: world.staff.spec1.id, viewer: { ...world.staff.spec1, active: false } }))).toEqual([])
  })

  it("never shows a channel's reply-link secret", async () => {
    await server.as("coordinator", `/api/v1/channels/${await channelOf("coordinator", phoneOf("c2"))}/messages`)
    for (const row of await inbox("coordinator")) expect(row.channel).not.toHaveProperty("replyToken")
  })

  it("filters by status and archive", async () => {
    const id = await channelOf("spec1", phoneOf("c1"))
    expect((await inbox("spec1", "?status=unread")).length).toBe(1)
    expect((await server.as("spec1", `/api/v1/channels/${id}/status`, { body: { status: "done" } })).status).toBe(200)
    expect((await inbox("spec1", "?status=unread")).length).toBe(0)
    expect((await inbox("spec1", "?status=done")).map((r) => r.channel.id)).toEqual([id])
    const archived = await server.as("spec1", `/api/v1/channels/${id}/archive`, { method: "POST" })
    expect(((await archived.json()) as { channel: { archived: boolean } }).channel.archived).toBe(true)
    expect(await inbox("spec1")).toEqual([])
    expect((await inbox("spec1", "?archived=true")).map((r) => r.channel.id)).toEqual([id])
    expect((await inbox("spec1", "?archived=true&status=open")).map((r) => r.channel.id)).toEqual([])
    // A new text brings it back, unread.
    await textIn(phoneOf("c1"), world.lines.spec1.number, "again")
    expect((await inbox("spec1", "?status=unread")).map((r) => r.channel.id)).toEqual([id])
  })

  it("refuses a bad filter with 400", async () => {
    const res = await server.as("spec1", "/api/v1/channels?status=sideways")
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("status:")
  })
})

describe("a channel the staff member may not see is 404, exactly like one that does not exist", () => {
  it.each([
    ["another specialist's channel", "spec2", "c1", "spec1"],
    ["a colleague's personal line, for an admin", "admin", "c1", "spec1"],
    ["another organisation's channel", "admin", "b1", "adminB"]
  ] as const)("%s", async (_, who, client, owner) => {
    const id = await channelOf(owner, phoneOf(client))
    const answers = await Promise.all([
      server.as(who, `/api/v1/channels/${id}/messages`),
      server.as(who, `/api/v1/channels/${id}/status`, { body: { status: "done" } }),
      server.as(who, `/api/v1/channels/${id}/archive`, { method: "POST" })
    ])
    const missing = await server.as(who, "/api/v1/channels/chn_does_not_exist/messages")
    for (const res of [...answers, missing]) {
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual({ error: { code: "not_found", message: "Not found." } })
    }
  })

  it("after unassignment, the specialist's own channel with that client is 404 too", async () => {
    const id = await channelOf("spec1", phoneOf("c1"))
    await server.as("coordinator", "/api/v1/clients/client_1/assignments/spec_1", { method: "DELETE" })
    expect((await server.as("spec1", `/api/v1/channels/${id}/messages`)).status).toBe(404)
    expect(await inbox("spec1")).toEqual([])
    await server.as("coordinator", "/api/v1/clients/client_1/assignments", { body: { staffId: "spec_1" } })
    expect((await server.as("spec1", `/api/v1/channels/${id}/messages`)).status).toBe(200)
  })
})

describe("GET /api/v1/channels/:id/messages", () => {
  it("reads newest first, marks the channel read, and pages with nextBefore", async () => {
    for (const body of ["two", "three", "four"]) await textIn(phoneOf("c1"), world.lines.spec1.number, body)
    const id = await channelOf("spec1", phoneOf("c1"))
    const first = (await (await server.as("spec1", `/api/v1/channels/${id}/messages?limit=3`)).json()) as {
      channel: { status: string }
      messages: ReadonlyArray<{ body: string }>
      nextBefore: string
    }
    expect(first.channel.status).toBe("open")
    expect(first.messages.map((m) => m.body)).toEqual(["four", "three", "two"])
    const second = (await (await server.as("spec1", `/api/v1/channels/${id}/messages?limit=3&before=${encodeURIComponent(first.nextBefore)}`)).json()) as {
      messages: ReadonlyArray<{ body: string }>
      nextBefore?: string
    }
    // The first text also got the "reply YES" request: both come before "two".
    expect(second.messages.map((m) => m.body).sort()).toEqual(["Harbour Care: reply YES to receive text messages from us. Reply STOP to opt out.", "one"])
    expect(second.nextBefore).toBeUndefined()
  })

  it("audits every read, without the content", async () => {
    const id = await channelOf("spec1", phoneOf("c1"))
    await server.as("spec1", `/api/v1/channels/${id}/messages`)
    const { AuditLog, OrganisationId } = await import("@careline/core")
    const events = await server.runtime.runPromise(AuditLog.use((log) => log.list(OrganisationId.make("org_a"), {})))
    const reads = events.filter((e) => e.action === "channel.read")
    expect(reads).toHaveLength(1)
    expect(reads[0]).toMatchObject({ actor: { _tag: "Staff", staffId: "spec_1" }, channelId: id, clientId: "client_1" })
    expect(JSON.stringify(events)).not.toContain("one")
  })

  it("refuses a bad cursor or limit with 400", async () => {
    const id = await channelOf("spec1", phoneOf("c1"))
    expect((await server.as("spec1", `/api/v1/channels/${id}/messages?limit=0`)).status).toBe(400)
    expect((await server.as("spec1", `/api/v1/channels/${id}/messages?before=yesterday`)).status).toBe(400)
  })
})

describe("POST /api/v1/channels/:id/status", () => {
  it("marks open and done, and refuses any other status with 400", async () => {
    const id = await channelOf("spec1", phoneOf("c1"))
    const open = await server.as("spec1", `/api/v1/channels/${id}/status`, { body: { status: "open" } })
    expect(((await open.json()) as { channel: { status: string } }).channel.status).toBe("open")
    const bad = await server.as("spec1", `/api/v1/channels/${id}/status`, { body: { status: "unread" } })
    expect(bad.status).toBe(400)
  })
})

describe("GET /api/v1/channels?q= (search)", () => {
  it("finds by words and client names, only among channels the access policy lets the staff member see", async () => {
    await textIn(phoneOf("c2"), world.lines.spec1.number, "two on the wrong line")
    expect((await inbox("spec1", "?q=one")).map((r) => r.channel.phone)).toEqual([phoneOf("c1")])
    expect((await inbox("spec1", "?q=casey")).map((r) => r.contact)).toEqual(["Casey One – Mobile"])
    // client_2 texted spec_1's line but is not assigned to spec_1: the search must not reveal it.
    expect(await inbox("spec1", "?q=two")).toEqual([])
    expect((await inbox("coordinator", "?q=two")).map((r) => r.channel.phone)).toEqual([phoneOf("c2")])
    expect(await inbox("coordinator", "?q=three")).toEqual([])
    expect(await inbox("adminB", "?q=one")).toEqual([])
    // Search syntax in what a person types is plain text: it can narrow, never widen or break the query.
    expect(await inbox("coordinator", `?q=${encodeURIComponent('"two" OR NEAR(*')}`)).toEqual([])
    expect((await inbox("coordinator", `?q=${encodeURIComponent('two" *')}`)).map((r) => r.channel.phone)).toEqual([phoneOf("c2")])
  })
})
