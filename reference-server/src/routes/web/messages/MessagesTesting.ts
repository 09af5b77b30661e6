import {
  attestConsent,
  AuditLog,
  ChannelId,
  Conversations,
  type Line,
  type PhoneNumber,
  ProviderMessageId,
  receiveInbound,
  type StaffId
} from "@careline/core"
import { Option } from "effect"
import { type TestServer, world } from "../../../testing/TestServer.js"

let sequence = 0

/** A text from a phone to a line, stored and processed as the webhooks do. */
export const textIn = (server: TestServer, from: PhoneNumber, to: PhoneNumber, body: string) =>
  server.runtime.runPromise(receiveInbound({ providerMessageId: ProviderMessageId.make(`SMtest${++sequence}`), from, to, body }))

export const phoneOf = (client: keyof typeof world.clients) => world.clients[client].phones[0]!.number

/** The channel between a line and a phone number. */
export const channelIdOf = async (server: TestServer, line: Line, phone: PhoneNumber) => {
  const found = await server.runtime.runPromise(Conversations.use((c) => c.findChannel(line.id, phone)))
  if (Option.isNone(found)) throw new Error(`No channel for ${line.id} and ${phone}`)
  return ChannelId.make(found.value.id)
}

export const channelOf = (server: TestServer, id: ChannelId) =>
  server.runtime.runPromise(Conversations.use((c) => c.getChannel(id))).then(Option.getOrThrow)

export const messagesOf = (server: TestServer, id: ChannelId) =>
  server.runtime.runPromise(Conversations.use((c) => c.listMessages(id, { limit: 500 })))

/** "Okay to text", as a staff member records it. */
export const optIn = (server: TestServer, staffId: StaffId, client: keyof typeof world.clients) =>
  server.runtime.runPromise(attestConsent({ staffId, clientId: world.clients[client].id }))

export const auditOf = (server: TestServer) =>
  server.runtime.runPromise(AuditLog.use((log) => log.list(world.staff.admin.organisationId, {})))
