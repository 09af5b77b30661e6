import { Conversations, Directory, type PhoneNumber } from "@careline/core"
import { Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../../../testing/TestServer.js"
import { consentState } from "../../../testing/Twilio.js"
import { auditOf, channelIdOf, messagesOf, optIn, phoneOf, textIn } from "../messages/MessagesTesting.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const c1 = world.clients.c1.id
const clientOf = async (id = c1) => Option.getOrThrow(await server.runtime.runPromise(Directory.use((d) => d.getClient(id))))

describe("okay to text", () => {
  it("records the attestation through the core: the number opts in, the ledger shows who, and it is audited", async () => {
    const browser = await server.signIn("spec1")
    const answer = await browser.request(`/clients/${c1}/attest`, { form: {}, csrf: true })
    expect(answer.status).toBe(303)
    expect(answer.headers.get("location")).toBe(`/clients/${c1}?done=attested`)
    expect(await consentState(server, phoneOf("c1"))).toBe("opted_in")
    expect((await clientOf()).phones[0]!.okayToText).toBe(true)
    const events = (await auditOf(server)).filter((e) => e.clientId === c1 && e.action === "consent.change")
    expect(events).toEqual([expect.objectContaining({ actor: { _tag: "Staff", staffId: world.staff.spec1.id }, detail: "state=opted_in source=staff_attestation" })])
    const page = await (await browser.request(answer.headers.get("location")!)).text()
    expect(page).toContain("Recorded: the client agreed to texts")
    expect(page).toContain("Staff attestation (okay to text)")
    expect(page).toContain("by spec_1")
    expect(page).not.toContain("Record okay to text")
  })

  it("never overrides an opt-out: the page says why, 422, and only the client can opt back in", async () => {
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "STOP")
    const browser = await server.signIn("spec1")
    const answer = await browser.request(`/clients/${c1}/attest`, { form: {}, csrf: true })
    expect(answer.status).toBe(422)
    expect(await answer.text()).toContain("opted out")
    expect(await consentState(server, phoneOf("c1"))).toBe("opted_out")
    const page = await (await browser.request(`/clients/${c1}`)).text()
    expect(page).toContain("Only the client can opt back in, by texting START.")
    expect(page).toContain("Client texted a keyword")
  })

  it("refuses without the CSRF token", async () => {
    const browser = await server.signIn("spec1")
    expect((await browser.request(`/clients/${c1}/attest`, { form: {} })).status).toBe(403)
    expect(await consentState(server, phoneOf("c1"))).toBe("unknown")
  })
})

describe("assignments", () => {
  it("a coordinator assigns and unassigns a specialist; both are audited and shown as current and past", async () => {
    const browser = await server.signIn("coordinator")
    const c2 = world.clients.c2.id
    const assigned = await browser.request(`/clients/${c2}/assignments`, { form: { staffId: world.staff.spec2.id }, csrf: true })
    expect(assigned.headers.get("location")).toBe(`/clients/${c2}?done=assigned`)
    expect((await (await server.signIn("spec2")).request(`/clients/${c2}`)).status).toBe(200)
    const ended = await browser.request(`/clients/${c2}/assignments/${world.staff.spec2.id}/end`, { form: {}, csrf: true })
    expect(ended.headers.get("location")).toBe(`/clients/${c2}?done=unassigned`)
    expect((await (await server.signIn("spec2")).request(`/clients/${c2}`)).status).toBe(404)
    const details = (await auditOf(server)).filter((e) => e.clientId === c2 && e.action === "assignment.change").map((e) => e.detail)
    expect(details).toEqual([`staff=${world.staff.spec2.id} assigned`, `staff=${world.staff.spec2.id} unassigned`])
    const page = await (await browser.request(`/clients/${c2}`)).text()
    expect(page).toContain("Nobody is assigned.")
    expect(page.slice(page.indexOf("<h3>Past</h3>"))).toContain("spec_2")
  })

  it("is refused to a specialist (403, in words) and unassigning someone not assigned says so", async () => {
    const spec = await server.signIn("spec1")
    expect(await (await spec.request(`/clients/${c1}`)).text()).not.toContain("Assign a specialist")
    const refused = await spec.request(`/clients/${c1}/assignments`, { form: { staffId: world.staff.spec2.id }, csrf: true })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain("Only coordinators, supervisors and admins change assignments.")
    const coordinator = await server.signIn("coordinator")
    const notAssigned = await coordinator.request(`/clients/${c1}/assignments/${world.staff.spec2.id}/end`, { form: {}, csrf: true })
    expect(notAssigned.status).toBe(400)
    expect(await notAssigned.text()).toContain("not currently assigned")
    expect((await auditOf(server)).filter((e) => e.action === "assignment.change")).toEqual([])
  })
})

describe("block", () => {
  it("admins block and unblock (audited); others do not see the button and are refused", async () => {
    expect(await (await (await server.signIn("coordinator")).request(`/clients/${c1}`)).text()).not.toContain(`/clients/${c1}/block`)
    expect((await (await server.signIn("coordinator")).request(`/clients/${c1}/block`, { form: {}, csrf: true })).status).toBe(403)
    const admin = await server.signIn("admin")
    expect(await (await admin.request(`/clients/${c1}`)).text()).toContain(`/clients/${c1}/block`)
    expect((await admin.request(`/clients/${c1}/block`, { form: {}, csrf: true })).headers.get("location")).toBe(`/clients/${c1}?done=blocked`)
    expect((await clientOf()).blocked).toBe(true)
    expect(await (await admin.request(`/clients/${c1}`)).text()).toContain("Blocked")
    await admin.request(`/clients/${c1}/unblock`, { form: {}, csrf: true })
    expect((await clientOf()).blocked).toBe(false)
    expect((await auditOf(server)).filter((e) => e.action === "client.block").map((e) => e.detail)).toEqual(["blocked", "unblocked"])
  })
})

describe("editing phones", () => {
  it("relabels, adds a number and moves the primary; a bad number is refused in words and nothing changes", async () => {
    const browser = await server.signIn("spec1")
    const bad = await browser.request(`/clients/${c1}/phones`, {
      form: { rows: "2", number1: phoneOf("c1"), label1: "home", primary: "2", number2: "12", label2: "mobile" },
      csrf: true
    })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain("Phone 2: enter the number in international form")
    expect((await clientOf()).phones).toEqual(world.clients.c1.phones)
    const good = await browser.request(`/clients/${c1}/phones`, {
      form: { rows: "2", number1: phoneOf("c1"), label1: "home", primary: "2", number2: "+1 555 700 0009", label2: "work" },
      csrf: true
    })
    expect(good.headers.get("location")).toBe(`/clients/${c1}?done=phones`)
    expect((await clientOf()).phones).toEqual([
      { number: phoneOf("c1"), label: "home", primary: false, okayToText: false },
      { number: "+15557000009" as PhoneNumber, label: "work", primary: true, okayToText: false }
    ])
    expect((await auditOf(server)).filter((e) => e.action === "client.phones").map((e) => e.detail)).toEqual(["phones=2 added=1 removed=0"])
  })
})

describe("the Messages (SMS) tab", () => {
  it("sends the first text from the staff member's line, which creates the channel, and then shows the conversation", async () => {
    await optIn(server, world.staff.spec1.id, "c1")
    const browser = await server.signIn("spec1")
    const empty = await (await browser.request(`/clients/${c1}?tab=messages`)).text()
    expect(empty).toContain("No conversation with Casey One on this line yet.")
    const sent = await browser.request(`/clients/${c1}/sms`, { form: { lineId: world.lines.spec1.id, body: "Hi Casey, still on for 3pm?" }, csrf: true })
    expect(sent.status).toBe(303)
    expect(sent.headers.get("location")).toBe(`/clients/${c1}?tab=messages&line=${world.lines.spec1.id}&done=sent`)
    const id = await channelIdOf(server, world.lines.spec1, phoneOf("c1"))
    expect((await messagesOf(server, id)).map((m) => [m.direction, m.body, m.status])).toEqual([["outbound", "Hi Casey, still on for 3pm?", "queued"]])
    const page = await (await browser.request(sent.headers.get("location")!)).text()
    expect(page).toContain("Hi Casey, still on for 3pm?")
    expect(page).toContain(`hx-trigger="channel-${id} from:#live, message-sent from:body, charted from:body"`)
    expect(page).toContain(`action="/messages/${id}/send"`)
    expect(page).toContain(`href="/messages/${id}"`)
    expect((await auditOf(server)).filter((e) => e.action === "message.send" && e.clientId === c1)).toHaveLength(1)
  })

  it("shows a client's reply in the same channel, and refuses a text without consent with the reason, keeping the words", async () => {
    const browser = await server.signIn("spec1")
    const refused = await browser.request(`/clients/${c1}/sms`, { form: { lineId: world.lines.spec1.id, body: "Are you there?" }, csrf: true })
    expect(refused.status).toBe(422)
    const text = await refused.text()
    expect(text).toContain("has not opted in")
    expect(text).toContain("Are you there?")
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "It's Casey <b>hi</b>")
    const page = await (await browser.request(`/clients/${c1}?tab=messages`)).text()
    expect(page).toContain("It&#39;s Casey &lt;b&gt;hi&lt;/b&gt;")
  })

  it("watches live for a conversation the client starts, without reading it", async () => {
    const browser = await server.signIn("spec1")
    const empty = await (await browser.request(`/clients/${c1}?tab=messages`)).text()
    const watch = `/clients/${c1}/sms/watch?line=${world.lines.spec1.id}`
    expect(empty).toContain(`hx-get="${watch}" hx-trigger="inbox from:#live"`)
    expect(await (await browser.request(watch, { headers: { "hx-request": "true" } })).text()).toContain("hx-trigger")
    await textIn(server, phoneOf("c1"), world.lines.spec1.number, "Hi, it's Casey")
    const reads = (await auditOf(server)).filter((e) => e.action === "channel.read").length
    const started = await (await browser.request(watch, { headers: { "hx-request": "true" } })).text()
    expect(started).toContain("A conversation has started on this line.")
    expect((await auditOf(server)).filter((e) => e.action === "channel.read")).toHaveLength(reads)
    expect((await (await server.signIn("spec2")).request(watch)).status).toBe(404)
  })

  it("never shows another staff member's channel with the client, nor sends from a line that is not theirs", async () => {
    await optIn(server, world.staff.coordinator.id, "c1")
    await textIn(server, phoneOf("c1"), world.lines.spec2.number, "texting spec 2's line")
    const coordinator = await server.signIn("coordinator")
    const page = await (await coordinator.request(`/clients/${c1}?tab=messages`)).text()
    expect(page).not.toContain("texting spec 2")
    const answer = await coordinator.request(`/clients/${c1}/sms`, { form: { lineId: world.lines.spec2.id, body: "from a colleague's line" }, csrf: true })
    expect(answer.status).toBe(404)
    const channels = await server.runtime.runPromise(Conversations.use((c) => c.channelsOfClient(c1)))
    expect(channels.map((c) => c.lineId)).toEqual([world.lines.spec2.id])
  })
})
