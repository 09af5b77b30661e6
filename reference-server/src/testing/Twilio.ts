import { TwilioDouble } from "@careline/adapter-twilio"
import { consentOf, InboundProcessor, makeOutboxDispatcher, type Message, OrganisationId, OutboxStore, type PhoneNumber } from "@careline/core"
import { Effect } from "effect"
import type { TestServer } from "./TestServer.js"

export const publicBaseUrl = "https://careline.example.org"

/** The environment of a server on Twilio, sending to `double` (any URL will do when nothing is sent). */
export const twilioEnv = (apiBaseUrl: string, extra: Record<string, string> = {}): Record<string, string> => ({
  SMS_PROVIDER: "twilio",
  TWILIO_ACCOUNT_SID: TwilioDouble.testAccountSid,
  TWILIO_AUTH_TOKEN: TwilioDouble.testAuthToken,
  TWILIO_API_BASE_URL: apiBaseUrl,
  PUBLIC_BASE_URL: publicBaseUrl,
  ...extra
})

/**
 * Posts a webhook as Twilio would: form body, signed over `${publicBaseUrl}${pathAndQuery}` with
 * `authToken` (Twilio's own by default; pass another to forge one). Answers once the server has also
 * processed what it stored (processing happens after the answer; see `InboundProcessor`).
 */
export const postWebhook = async (
  server: TestServer,
  pathAndQuery: string,
  params: Readonly<Record<string, string>>,
  options: { readonly authToken?: string; readonly signedUrl?: string; readonly headers?: Record<string, string> } = {}
) => {
  const signed = TwilioDouble.signedWebhook({
    authToken: options.authToken ?? TwilioDouble.testAuthToken,
    url: options.signedUrl ?? `${publicBaseUrl}${pathAndQuery}`,
    params
  })
  const response = await server.app.request(pathAndQuery, { method: "POST", body: signed.body, headers: { ...signed.headers, ...options.headers } })
  await server.runtime.runPromise(InboundProcessor.use((processor) => processor.settled))
  return response
}

/** A text from `from` to `to`, signed; `messageSid` makes a replay. */
export const textIn = (server: TestServer, from: PhoneNumber, to: PhoneNumber, body: string, messageSid?: string) =>
  postWebhook(server, "/webhooks/twilio/messages", TwilioDouble.inboundForm({ from, to, body, ...(messageSid === undefined ? {} : { messageSid }) }))

export const consentState = (server: TestServer, phone: PhoneNumber, organisation = "org_a") =>
  server.runtime.runPromise(Effect.map(consentOf(OrganisationId.make(organisation), phone), (status) => status.state))

/** One dispatcher round, as the server's loop runs it. */
export const dispatchOnce = (server: TestServer) => server.runtime.runPromise(Effect.flatMap(makeOutboxDispatcher, (d) => d.dispatchDue()))

/** Dispatcher rounds until no send is pending, e.g. waiting for its line's next slot (the world's lines send 10 a second). */
export const dispatchAll = (server: TestServer) =>
  server.runtime.runPromise(
    Effect.gen(function* () {
      const dispatcher = yield* makeOutboxDispatcher
      for (let round = 0; round < 100; round++) {
        yield* dispatcher.dispatchDue()
        if ((yield* OutboxStore.use((o) => o.listByState("pending"))).length === 0) return
        yield* Effect.sleep("25 millis")
      }
    })
  )

interface InboxRow {
  readonly channel: { readonly id: string; readonly phone: string; readonly status: string; readonly lineId: string }
}

/** The messages (newest first) of the channel with `phone` on the line `staff` sees it through, read over the API. */
export const channelMessages = async (server: TestServer, staff: Parameters<TestServer["as"]>[0], phone: PhoneNumber) => {
  const inbox = (await (await server.as(staff, "/api/v1/channels")).json()) as { readonly channels: ReadonlyArray<InboxRow> }
  const row = inbox.channels.find((r) => r.channel.phone === phone)
  if (row === undefined) return { channelId: undefined, messages: [] as ReadonlyArray<Message> }
  const page = (await (await server.as(staff, `/api/v1/channels/${row.channel.id}/messages`)).json()) as { readonly messages: ReadonlyArray<Message> }
  return { channelId: row.channel.id, messages: page.messages }
}

/** What Careline itself said (consent texts), oldest first. */
export const systemTexts = (messages: ReadonlyArray<Message>) =>
  messages.filter((m) => m.author._tag === "System").map((m) => (m.author._tag === "System" ? m.author.purpose : "")).reverse()
