import { Effect, Option } from "effect"
import type { ChannelId, MessageId, StaffId } from "../Ids.js"
import type { MessageMedia } from "../Message.js"
import { NotFound } from "../NotFound.js"
import { Conversations } from "../ports/Conversations.js"
import { audit } from "./Audit.js"
import { authorizeChannel, authorizeColleagueChannel } from "./Visibility.js"

export interface OpenAttachment {
  readonly staffId: StaffId
  readonly channelId: ChannelId
  readonly messageId: MessageId
  /** Which of the message's media, from 0. */
  readonly index: number
  /** Opened from this colleague's inbox, read-only (supervisors and admins, S3). */
  readonly colleagueId?: StaffId
}

/**
 * A picture or file of an inbound MMS, for a staff member who may see its channel (or, read-only,
 * a colleague's). Anything else — another channel's message, no such media — is `NotFound`, like a
 * channel they may not see. Audited as a read of the channel (`channel.read`, by message id and
 * position, never the provider's URL).
 */
export const openAttachment = (input: OpenAttachment) =>
  Effect.gen(function* () {
    const { channel } = input.colleagueId === undefined
      ? yield* authorizeChannel(input.staffId, input.channelId)
      : yield* authorizeColleagueChannel(input.staffId, input.colleagueId, input.channelId)
    const message = yield* Conversations.use((c) => c.getMessage(input.messageId))
    const media: MessageMedia | undefined = Option.isSome(message) && message.value.channelId === channel.id
      ? message.value.media?.[input.index]
      : undefined
    if (media === undefined) return yield* new NotFound({ entity: "message", id: input.messageId })
    yield* audit({
      organisationId: channel.organisationId,
      actor: { _tag: "Staff", staffId: input.staffId },
      action: "channel.read",
      ...(channel.clientId === undefined ? {} : { clientId: channel.clientId }),
      channelId: channel.id,
      detail: `attachment message=${input.messageId} n=${input.index}${input.colleagueId === undefined ? "" : ` colleague=${input.colleagueId}`}`
    })
    return media
  })
