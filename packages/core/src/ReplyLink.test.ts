import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Channel } from "./Channel.js"
import type { ChannelId, ClientId, LineId, OrganisationId } from "./Ids.js"
import type { PhoneNumber } from "./PhoneNumber.js"
import { issueReplyToken, mayReadViaLink, RepliesNotAllowed, replyViaLinkRefusal, revokeReplyToken, sameSecret } from "./ReplyLink.js"

const TOKEN = "k3J9xQ2mP0vL8rT5wY1zB4nC7dF6gH"

const channel = (overrides: Partial<Channel> = {}): Channel => ({
  id: "ch-1" as ChannelId,
  organisationId: "org-1" as OrganisationId,
  lineId: "line-1" as LineId,
  phone: "+15551234567" as PhoneNumber,
  clientId: "client-1" as ClientId,
  status: "done",
  archived: false,
  repliesAllowed: true,
  replyToken: TOKEN,
  unreadCount: 0,
  createdAt: 1,
  lastActivityAt: 1,
  ...overrides
})

const withoutToken = (): Channel => revokeReplyToken(channel())

describe("sameSecret", () => {
  it("equal strings match", () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true)
    expect(sameSecret("", "")).toBe(true)
  })

  it("differences anywhere, and prefixes or extensions, do not match", () => {
    expect(sameSecret(TOKEN, `X${TOKEN.slice(1)}`)).toBe(false)
    expect(sameSecret(TOKEN, `${TOKEN.slice(0, -1)}X`)).toBe(false)
    expect(sameSecret(TOKEN, TOKEN.slice(0, -1))).toBe(false)
    expect(sameSecret(TOKEN, `${TOKEN}a`)).toBe(false)
    expect(sameSecret(TOKEN, "")).toBe(false)
    expect(sameSecret("", TOKEN)).toBe(false)
    expect(sameSecret("abc", "ABC")).toBe(false)
    expect(sameSecret("a", "a\u0000")).toBe(false)
  })

  it("property: agrees with string equality", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(sameSecret(a, b)).toBe(a === b)
        expect(sameSecret(a, a)).toBe(true)
      })
    )
  })
})

describe("mayReadViaLink", () => {
  it("only with the channel's current token", () => {
    expect(mayReadViaLink(channel(), TOKEN)).toBe(true)
    expect(mayReadViaLink(channel(), "wrong")).toBe(false)
    expect(mayReadViaLink(channel(), "")).toBe(false)
  })

  it("reading survives replies being turned off", () => {
    expect(mayReadViaLink(channel({ repliesAllowed: false }), TOKEN)).toBe(true)
  })

  it("no link issued or revoked: nobody reads, not even with an empty token", () => {
    expect(mayReadViaLink(withoutToken(), TOKEN)).toBe(false)
    expect(mayReadViaLink(withoutToken(), "")).toBe(false)
  })
})

describe("replyViaLinkRefusal", () => {
  const reasonOf = (c: Channel, token: string, blocked: boolean) => replyViaLinkRefusal(c, token, blocked)?.reason

  it("allowed with the right token, replies on, client not blocked", () => {
    expect(replyViaLinkRefusal(channel(), TOKEN, false)).toBeUndefined()
  })

  it("each reason alone", () => {
    expect(reasonOf(withoutToken(), TOKEN, false)).toBe("LinkRevoked")
    expect(reasonOf(channel(), "wrong", false)).toBe("LinkRevoked")
    expect(reasonOf(channel(), TOKEN, true)).toBe("ClientBlocked")
    expect(reasonOf(channel({ repliesAllowed: false }), TOKEN, false)).toBe("RepliesOff")
  })

  it("precedence: revoked link before blocked before replies off", () => {
    expect(reasonOf(channel({ repliesAllowed: false }), "wrong", true)).toBe("LinkRevoked")
    expect(reasonOf({ ...withoutToken(), repliesAllowed: false }, TOKEN, true)).toBe("LinkRevoked")
    expect(reasonOf(channel(), "wrong", true)).toBe("LinkRevoked")
    expect(reasonOf(channel({ repliesAllowed: false }), "wrong", false)).toBe("LinkRevoked")
    expect(reasonOf(channel({ repliesAllowed: false }), TOKEN, true)).toBe("ClientBlocked")
  })

  it("returns a tagged error whose message a client can read", () => {
    const messages = new Map<string, string>()
    for (const [c, token, blocked] of [
      [withoutToken(), TOKEN, false],
      [channel(), TOKEN, true],
      [channel({ repliesAllowed: false }), TOKEN, false]
    ] as const) {
      const refusal = replyViaLinkRefusal(c, token, blocked)
      expect(refusal).toBeInstanceOf(RepliesNotAllowed)
      expect(refusal?._tag).toBe("RepliesNotAllowed")
      expect(refusal?.message.length).toBeGreaterThan(10)
      messages.set(refusal!.reason, refusal!.message)
    }
    expect(messages.get("LinkRevoked")).toMatch(/no longer valid/)
    expect(messages.get("ClientBlocked")).toMatch(/not accepted/)
    expect(messages.get("RepliesOff")).toMatch(/turned off/)
    for (const message of messages.values()) expect(message).not.toMatch(/LinkRevoked|ClientBlocked|RepliesOff|undefined/)
  })
})

describe("issue and revoke", () => {
  it("issuing sets the token; revoking removes the key and leaves everything else", () => {
    const bare = withoutToken()
    expect("replyToken" in bare).toBe(false)
    const issued = issueReplyToken(bare, "fresh-token")
    expect(issued).toEqual({ ...bare, replyToken: "fresh-token" })
    const revoked = revokeReplyToken(issued)
    expect("replyToken" in revoked).toBe(false)
    expect(revoked).toEqual(bare)
  })

  it("re-issuing invalidates the old link", () => {
    const reissued = issueReplyToken(channel(), "new-token")
    expect(mayReadViaLink(reissued, TOKEN)).toBe(false)
    expect(mayReadViaLink(reissued, "new-token")).toBe(true)
    expect(replyViaLinkRefusal(reissued, TOKEN, false)?.reason).toBe("LinkRevoked")
  })

  it("revoking stops both reading and replying", () => {
    const revoked = revokeReplyToken(channel())
    expect(mayReadViaLink(revoked, TOKEN)).toBe(false)
    expect(replyViaLinkRefusal(revoked, TOKEN, false)?.reason).toBe("LinkRevoked")
  })

  it("neither mutates its input", () => {
    const original = channel()
    issueReplyToken(original, "other")
    revokeReplyToken(original)
    expect(original.replyToken).toBe(TOKEN)
  })
})
