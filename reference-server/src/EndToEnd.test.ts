import { TwilioDouble } from "@careline/adapter-twilio"
import { AuditLog, ConsentLedger, OrganisationId } from "@careline/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningDispatcher, startDispatcher } from "./Runtime.js"
import { startTestServer, type TestServer, world } from "./testing/TestServer.js"
import { channelMessages, consentState, postWebhook, twilioEnv } from "./testing/Twilio.js"

const client1 = world.clients.c1.phones[0]!.number
const line1 = world.lines.spec1.number

let double: TwilioDouble.RunningDouble
let server: TestServer
let dispatcher: RunningDispatcher
beforeAll(async () => {
  double = await TwilioDouble.start()
  server = await startTestServer(twilioEnv(double.url))
  dispatcher = startDispatcher(server.runtime, "20 millis")
})
afterAll(async () => {
  await dispatcher.stop()
  await server.close()
  await double.close()
})

/** Waits for the dispatcher loop (or anything else running) to make `check` true. */
const eventually = async <A>(check: () => Promise<A | undefined> | A | undefined, what: string): Promise<A> => {
  for (let i = 0; i < 250; i++) {
    const value = await check()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const ledgerLength = () =>
  server.runtime.runPromise(ConsentLedger.use((l) => l.history(OrganisationId.make("org_a"), client1))).then((h) => h.length)

describe("end to end on Twilio (SMS_PROVIDER=twilio, against the Twilio double)", () => {
  it("opt in by text, send over the API, dispatch, status callback, STOP honoured, replay ignored", async () => {
    // 1. The client texts YES to their specialist's number: a signed webhook.
    const yes = TwilioDouble.inboundForm({ from: client1, to: line1, body: "YES", optOutType: "START" })
    expect((await postWebhook(server, "/webhooks/twilio/messages", yes)).status).toBe(200)
    expect(await consentState(server, client1)).toBe("opted_in")

    // 2. The specialist sends a text over the API: 202, queued.
    const sent = await server.as("spec1", "/api/v1/messages", { body: { clientId: "client_1", body: "Group moved to 4pm" } })
    expect(sent.status).toBe(202)
    const { message } = (await sent.json()) as { message: { id: string; status: string } }
    expect(message.status).toBe("queued")

    // 3. The dispatcher loop hands it to Twilio, asking for callbacks at our public URL.
    const request = await eventually(() => double.requests.find((r) => r.params["Body"] === "Group moved to 4pm"), "the send to reach Twilio")
    expect(request).toMatchObject({ authorized: true, params: { From: line1, To: client1 } })
    const callback = new URL(request.params["StatusCallback"]!)
    expect(callback.origin + callback.pathname).toBe("https://careline.example.org/webhooks/twilio/status")
    const sending = await eventually(async () => {
      const found = (await channelMessages(server, "spec1", client1)).messages.find((m) => m.id === message.id)
      return found?.providerMessageId === undefined ? undefined : found
    }, "the message to learn Twilio's sid")
    expect(sending.status).toBe("sending")

    // 4. Twilio's signed status callback: delivered.
    const status = TwilioDouble.statusForm({ messageSid: sending.providerMessageId!, status: "delivered", from: line1, to: client1 })
    expect((await postWebhook(server, `${callback.pathname}${callback.search}`, status)).status).toBe(200)
    expect((await channelMessages(server, "spec1", client1)).messages.find((m) => m.id === message.id)?.status).toBe("delivered")

    // 5. STOP: recorded; Twilio's Advanced Opt-Out answers it, so Careline sends nothing; staff are refused.
    const stop = TwilioDouble.inboundForm({ from: client1, to: line1, body: "Stop", optOutType: "STOP" })
    expect((await postWebhook(server, "/webhooks/twilio/messages", stop)).status).toBe(200)
    expect(await consentState(server, client1)).toBe("opted_out")
    const refused = await server.as("spec1", "/api/v1/messages", { body: { clientId: "client_1", body: "Are you there?" } })
    expect(refused.status).toBe(422)
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: "consent_required",
      message: `${client1} has opted out of text messages (replied STOP).`
    })

    // 6. Replays of both webhooks change nothing: no new message, ledger entry, audit event or send.
    const before = {
      messages: (await channelMessages(server, "spec1", client1)).messages.length,
      ledger: await ledgerLength(),
      audit: (await server.runtime.runPromise(AuditLog.use((log) => log.list(OrganisationId.make("org_a"), {})))).length,
      sends: double.requests.length
    }
    expect((await postWebhook(server, "/webhooks/twilio/messages", stop)).status).toBe(200)
    expect((await postWebhook(server, "/webhooks/twilio/messages", yes)).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 100)) // a few dispatcher rounds
    expect(await consentState(server, client1)).toBe("opted_out")
    expect(await ledgerLength()).toBe(before.ledger)
    expect(double.requests.length).toBe(before.sends)
    const after = await channelMessages(server, "spec1", client1)
    expect(after.messages.length).toBe(before.messages)
    // Reading the channel above is itself audited: only those reads are new.
    const audit = await server.runtime.runPromise(AuditLog.use((log) => log.list(OrganisationId.make("org_a"), {})))
    expect(audit.slice(before.audit).every((e) => e.action === "channel.read")).toBe(true)

    // Nothing but the staff text ever went to Twilio: the keyword replies were Twilio's own.
    expect(double.requests.map((r) => r.params["Body"])).toEqual(["Group moved to 4pm"])
  })
})
