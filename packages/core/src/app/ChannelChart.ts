import { Clock, Effect, Schema } from "effect"
import type { Channel } from "../Channel.js"
import type { ChannelId, MessageId, StaffId } from "../Ids.js"
import type { Message } from "../Message.js"
import { NotFound } from "../NotFound.js"
import { ChartSink } from "../ports/ChartSink.js"
import { Conversations } from "../ports/Conversations.js"
import { Directory } from "../ports/Directory.js"
import { audit } from "./Audit.js"
import { authorizeChannel } from "./Visibility.js"

/** Why nothing was sent to the clinical record: the conversation has no client (an unknown number) or nothing to send. */
export class ChartRefused extends Schema.TaggedError<ChartRefused>()("ChartRefused", {
  reason: Schema.Literals(["NoClient", "NoMessages"]),
  message: Schema.String
}) {}

/** The most messages one transcript note carries (the newest). */
export const CHART_TRANSCRIPT_LIMIT = 5000

const isoMinute = (at: number) => new Date(at).toISOString().slice(0, 16).replace("T", " ") + " UTC"

/** The note's text: a heading, then each message oldest first with its time, author and body. */
export const chartText = (input: {
  readonly heading: string
  readonly messages: ReadonlyArray<Message>
  readonly clientName: string
  readonly staffNames: ReadonlyMap<string, string>
}): string => {
  const lines = [input.heading, ""]
  for (const message of input.messages) {
    const author = message.author._tag === "Client"
      ? `${input.clientName} (client)`
      : message.author._tag === "Staff"
        ? `${input.staffNames.get(message.author.staffId) ?? "Staff"} (staff)`
        : "Careline (automatic)"
    lines.push(`${isoMinute(message.at)} — ${author}`, message.body, "")
  }
  return lines.join("\n").trimEnd()
}

const sendToChart = (staffId: StaffId, channel: Channel, messages: ReadonlyArray<Message>, what: string, detail: string) =>
  Effect.gen(function* () {
    if (channel.clientId === undefined) {
      return yield* new ChartRefused({ reason: "NoClient", message: "This number is not a client yet, so there is no clinical record to send to." })
    }
    if (messages.length === 0) return yield* new ChartRefused({ reason: "NoMessages", message: "There are no messages to send to the clinical record." })
    const directory = yield* Directory
    const client = yield* directory.getClient(channel.clientId)
    const staff = yield* directory.listStaff(channel.organisationId)
    const clientName = client._tag === "Some" ? client.value.name : channel.phone
    const at = yield* Clock.currentTimeMillis
    const text = chartText({
      heading: `${what} with ${clientName} (${channel.phone}), sent from Careline`,
      messages,
      clientName,
      staffNames: new Map(staff.map((s) => [s.id as string, s.name]))
    })
    yield* ChartSink.use((sink) => sink.record({ organisationId: channel.organisationId, clientId: channel.clientId!, author: staffId, text, at }))
    yield* Conversations.use((c) => c.markCharted(messages.map((m) => m.id), at))
    yield* audit({
      organisationId: channel.organisationId,
      actor: { _tag: "Staff", staffId },
      action: "channel.chart",
      channelId: channel.id,
      clientId: channel.clientId,
      detail
    })
    return messages.length
  })

/**
 * Sends one message of an SMS conversation to the client's clinical record (S3) and marks it charted:
 * through the access policy (the conversation must be one the staff member may see), audited
 * `channel.chart` by ids only. The note is recorded first; nothing is marked if the record refuses it.
 *
 * @example
 * ```ts
 * yield* chartChannelMessage({ staffId, channelId, messageId })
 * ```
 */
export const chartChannelMessage = (input: { readonly staffId: StaffId; readonly channelId: ChannelId; readonly messageId: MessageId }) =>
  Effect.gen(function* () {
    const { channel } = yield* authorizeChannel(input.staffId, input.channelId)
    const message = yield* Conversations.use((c) => c.getMessage(input.messageId))
    if (message._tag === "None" || message.value.channelId !== channel.id) return yield* new NotFound({ entity: "message", id: input.messageId })
    return yield* sendToChart(input.staffId, channel, [message.value], "Text message", `message=${input.messageId}`)
  })

/**
 * Sends a whole SMS conversation (its newest {@link CHART_TRANSCRIPT_LIMIT} messages, oldest first) to
 * the client's clinical record as one note and marks each message charted; same rules as
 * {@link chartChannelMessage}. Returns how many messages went.
 */
export const chartChannelTranscript = (input: { readonly staffId: StaffId; readonly channelId: ChannelId }) =>
  Effect.gen(function* () {
    const { channel } = yield* authorizeChannel(input.staffId, input.channelId)
    const conversations = yield* Conversations
    const newestFirst: Array<Message> = []
    let before: { at: number; id: MessageId } | undefined
    while (newestFirst.length < CHART_TRANSCRIPT_LIMIT) {
      const page = yield* conversations.listMessages(channel.id, { limit: 500, ...(before === undefined ? {} : { before }) })
      newestFirst.push(...page)
      const oldest = page.at(-1)
      if (oldest === undefined || page.length < 500) break
      before = { at: oldest.at, id: oldest.id }
    }
    const messages = newestFirst.slice(0, CHART_TRANSCRIPT_LIMIT).reverse()
    return yield* sendToChart(input.staffId, channel, messages, "Text conversation", `transcript messages=${messages.length}`)
  })
