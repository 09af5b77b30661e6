import { Schema } from "effect"
import type { Channel } from "./Channel.js"

/** Why a client may not reply through a channel's reply link (S3). */
export class RepliesNotAllowed extends Schema.TaggedError<RepliesNotAllowed>()("RepliesNotAllowed", {
  reason: Schema.Literals(["RepliesOff", "LinkRevoked", "ClientBlocked"])
}) {
  override get message() {
    switch (this.reason) {
      case "RepliesOff":
        return "Replies to this conversation are turned off."
      case "LinkRevoked":
        return "This reply link is no longer valid."
      case "ClientBlocked":
        return "Messages from this number are not accepted."
    }
  }
}

/** Compares secrets in time independent of where they differ, so a token cannot be guessed byte by byte. */
export const sameSecret = (a: string, b: string): boolean => {
  let difference = a.length ^ b.length
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0)
  }
  return difference === 0
}

/** May the holder of `token` read this channel through its reply link? Reading survives "replies off". */
export const mayReadViaLink = (channel: Channel, token: string): boolean =>
  channel.replyToken !== undefined && sameSecret(channel.replyToken, token)

/** May the holder of `token` post a reply? Refused with the reason a person can act on. */
export const replyViaLinkRefusal = (
  channel: Channel,
  token: string,
  clientBlocked: boolean
): RepliesNotAllowed | undefined => {
  if (!mayReadViaLink(channel, token)) return new RepliesNotAllowed({ reason: "LinkRevoked" })
  if (clientBlocked) return new RepliesNotAllowed({ reason: "ClientBlocked" })
  if (!channel.repliesAllowed) return new RepliesNotAllowed({ reason: "RepliesOff" })
  return undefined
}

export const issueReplyToken = (channel: Channel, token: string): Channel => ({ ...channel, replyToken: token })

export const revokeReplyToken = (channel: Channel): Channel => {
  const { replyToken: _revoked, ...rest } = channel
  return rest
}
