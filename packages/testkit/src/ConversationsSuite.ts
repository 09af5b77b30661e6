import {
  type Channel,
  ChannelId,
  ClientId,
  Conversations,
  Directory,
  type InboxEntry,
  type InboundDelivery,
  type InboxQuery,
  LineId,
  type LoggedInbound,
  type Message,
  MessageId,
  OutboxStore,
  ProviderMessageId,
  StaffId
} from "@careline/core"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  arbMessage,
  makeAssignment,
  makeChannel,
  makeMessage,
  makeOutboundMessage,
  makeOutboxEntry,
  phone,
  T0,
  withSequentialIds
} from "./fixtures.js"
import { pooledChannels, pooledDirectory, pooledLines, pooledParents, pooledStaff, seedDirectory, seedParents, staffNamed } from "./ParentRecords.js"
import { runWith } from "./runEffect.js"

const channelA = ChannelId.make("channel_1")
const sm = (id: string) => ProviderMessageId.make(id)
const mid = (id: string) => MessageId.make(id)

/** Text `n` to `line_1` from `phone(1)`, so into `channel_1` of the pooled parents: `message_n`, `SMn`, at `T0 + n`. */
const delivery = (n: number, overrides: Partial<InboundDelivery> = {}): InboundDelivery => ({
  id: mid(`message_${n}`),
  to: pooledLines[0]!.number,
  from: phone(1),
  body: `text ${n}`,
  at: T0 + n,
  providerMessageId: sm(`SM${n}`),
  ...overrides
})

/** (at, id) descending, the order `listMessages` promises. */
const newestFirst = (a: Message, b: Message): number => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

/** Reads a whole channel page by page, passing the oldest message seen as `before`; gives up after `maxPages`. */
const readAllPages = (channelId: ChannelId, limit: number, maxPages: number) =>
  Effect.gen(function* () {
    const conversations = yield* Conversations
    const seen: Array<Message> = []
    for (let pages = 1; ; pages++) {
      if (pages > maxPages) throw new Error(`listMessages paging did not end after ${maxPages} pages`)
      const last = seen.at(-1)
      const page = yield* conversations.listMessages(channelId, {
        limit,
        ...(last === undefined ? {} : { before: { at: last.at, id: last.id } })
      })
      expect(page.length).toBeLessThanOrEqual(limit)
      seen.push(...page)
      if (page.length < limit) return seen
    }
  })

/**
 * The behaviour every `Conversations` adapter must show. The layer also provides the `OutboxStore`
 * that `recordOutbound` writes to, and the `Directory` through which each test first stores the
 * parents of its rows (organisations, staff, clients, lines; and for messages and preferences, the
 * channels), so that it holds on a store that enforces references. Each test runs against a fresh
 * build of `layer`, which may fail to build: the test then fails with why.
 *
 * @example
 * ```ts
 * conversationsSuite("memory", MemoryStores.layer)
 * ```
 */
export const conversationsSuite = (name: string, layer: Layer.Layer<Conversations | OutboxStore | Directory, unknown>) =>
  describe(`Conversations (${name})`, () => {
    const run = runWith(layer)

    describe("channels", () => {
      it("creates a channel and finds it by id and by (line, phone)", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedDirectory(pooledDirectory)
            const channel = makeChannel()
            expect(yield* conversations.getChannel(channel.id)).toEqual(Option.none())
            expect(yield* conversations.createChannel(channel)).toEqual(channel)
            expect(yield* conversations.getChannel(channel.id)).toEqual(Option.some(channel))
            expect(yield* conversations.findChannel(channel.lineId, channel.phone)).toEqual(Option.some(channel))
            expect(yield* conversations.findChannel(channel.lineId, phone(2))).toEqual(Option.none())
            expect(yield* conversations.findChannel(LineId.make("line_2"), channel.phone)).toEqual(Option.none())
          })
        ))

      it("returns the stored channel instead of creating a second one for the same (line, phone)", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedDirectory(pooledDirectory)
            const first = makeChannel()
            const second = makeChannel({ id: ChannelId.make("channel_2"), status: "unread", createdAt: T0 + 1 })
            yield* conversations.createChannel(first)
            expect(yield* conversations.createChannel(second)).toEqual(first)
            expect(yield* conversations.getChannel(second.id)).toEqual(Option.none())
            expect(yield* conversations.channelsOfLines([first.lineId])).toEqual([first])
          })
        ))

      it("gives concurrent creates for one (line, phone) the same channel", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedDirectory(pooledDirectory)
            const candidates = Array.from({ length: 20 }, (_, i) => makeChannel({ id: ChannelId.make(`channel_${i}`) }))
            const results = yield* Effect.all(
              candidates.map((c) => conversations.createChannel(c)),
              { concurrency: "unbounded" }
            )
            const stored = yield* conversations.channelsOfLines([LineId.make("line_1")])
            expect(stored).toHaveLength(1)
            for (const result of results) expect(result).toEqual(stored[0])
          })
        ))

      it("keeps channels of different lines or phones apart", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedDirectory(pooledDirectory)
            const a = makeChannel()
            const b = makeChannel({ id: ChannelId.make("channel_2"), lineId: LineId.make("line_2") })
            const c = makeChannel({ id: ChannelId.make("channel_3"), phone: phone(2) })
            for (const channel of [a, b, c]) expect(yield* conversations.createChannel(channel)).toEqual(channel)
          })
        ))

      it("saveChannel upserts by id", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedDirectory(pooledDirectory)
            const channel = makeChannel()
            yield* conversations.saveChannel(channel)
            const changed: Channel = { ...channel, status: "unread", unreadCount: 2, replyToken: "t", lastActivityAt: T0 + 9 }
            yield* conversations.saveChannel(changed)
            expect(yield* conversations.getChannel(channel.id)).toEqual(Option.some(changed))
            expect(yield* conversations.findChannel(channel.lineId, channel.phone)).toEqual(Option.some(changed))
            expect(yield* conversations.findChannelByReplyToken("t")).toEqual(Option.some(changed))
            expect(yield* conversations.findChannelByReplyToken("u")).toEqual(Option.none())
            const { replyToken: _, ...revoked } = changed
            yield* conversations.saveChannel(revoked)
            expect(yield* conversations.getChannel(channel.id)).toEqual(Option.some(revoked))
            expect(yield* conversations.findChannelByReplyToken("t")).toEqual(Option.none())
          })
        ))

      it("updateChannel applies a change atomically and returns the channel before and after", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedDirectory(pooledDirectory)
            const channel = makeChannel()
            yield* conversations.saveChannel(channel)
            const bump = (c: Channel): Channel => ({ ...c, unreadCount: c.unreadCount + 1 })
            const results = yield* Effect.all(
              Array.from({ length: 20 }, () => conversations.updateChannel(channel.id, bump)),
              { concurrency: "unbounded" }
            )
            expect(results.map((r) => Option.getOrThrow(r).after.unreadCount).sort((a, b) => a - b)).toEqual(
              Array.from({ length: 20 }, (_, i) => i + 1)
            )
            expect(results.every((r) => Option.getOrThrow(r).after.unreadCount === Option.getOrThrow(r).before.unreadCount + 1)).toBe(true)
            expect(Option.getOrThrow(yield* conversations.getChannel(channel.id)).unreadCount).toBe(20)
            expect(yield* conversations.updateChannel(ChannelId.make("channel_none"), bump)).toEqual(Option.none())
          })
        ))

      it("inbox: scoped to lines, a specialist's current assignments and unknown numbers; filtered; hidden left out; paged newest first", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            const directory = yield* Directory
            yield* seedDirectory(pooledDirectory)
            const [line1, line2, line3] = [LineId.make("line_1"), LineId.make("line_2"), LineId.make("line_3")]
            const [client1, client2] = [ClientId.make("client_1"), ClientId.make("client_2")]
            const viewer = StaffId.make("staff_1")
            const channel = (n: number, overrides: Partial<Channel>) =>
              makeChannel({ id: ChannelId.make(`channel_${n}`), phone: phone(100 + n), lastActivityAt: T0 + n, ...overrides })
            const channels = [
              channel(1, { lineId: line1, clientId: client1 }),
              channel(2, { lineId: line1, clientId: client2, status: "unread", unreadCount: 1 }),
              channel(3, { lineId: line1, status: "open" }),
              channel(4, { lineId: line2, clientId: client1, archived: true }),
              channel(5, { lineId: line3, clientId: client1 }),
              channel(6, { lineId: line1, clientId: client1, lastActivityAt: T0 + 3 })
            ]
            for (const c of channels) yield* conversations.saveChannel(c)
            yield* conversations.setPreference(ChannelId.make("channel_6"), viewer, { muted: false, hidden: true })
            yield* conversations.setPreference(ChannelId.make("channel_1"), viewer, { muted: true, hidden: false })
            yield* directory.startAssignment(makeAssignment({ staffId: viewer, clientId: client1 }))
            yield* directory.startAssignment(makeAssignment({ staffId: viewer, clientId: client2 }))
            yield* directory.endAssignment(viewer, client2, T0 + 1)
            const page = (query: Partial<InboxQuery>) =>
              Effect.map(
                conversations.inbox({ viewer, lineIds: [line1, line2], filter: "all", limit: 10, ...query }),
                (entries) => entries.map((e) => `${e.channel.id}${e.muted ? " muted" : ""}`)
              )
            expect(yield* page({})).toEqual(["channel_3", "channel_2", "channel_1 muted"])
            expect(yield* page({ assignedTo: viewer })).toEqual(["channel_3", "channel_1 muted"])
            expect(yield* page({ filter: "unread" })).toEqual(["channel_2"])
            expect(yield* page({ filter: "open" })).toEqual(["channel_3"])
            expect(yield* page({ filter: "done" })).toEqual(["channel_1 muted"])
            expect(yield* page({ filter: "archived" })).toEqual(["channel_4"])
            expect(yield* page({ viewer: StaffId.make("staff_2") })).toEqual(["channel_3", "channel_6", "channel_2", "channel_1"])
            expect(yield* page({ limit: 2 })).toEqual(["channel_3", "channel_2"])
            expect(yield* page({ limit: 2, after: { lastActivityAt: T0 + 2, id: ChannelId.make("channel_2") } })).toEqual(["channel_1 muted"])
            expect(yield* page({ lineIds: [] })).toEqual([])
          })
        ))

      it("inbox: ties in activity are broken by id, and paging visits every channel once", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedDirectory(pooledDirectory)
            const lineId = LineId.make("line_1")
            for (let n = 0; n < 7; n++) {
              yield* conversations.saveChannel(makeChannel({ id: ChannelId.make(`channel_${n}`), phone: phone(200 + n), lineId, lastActivityAt: T0 + Math.floor(n / 3) }))
            }
            const seen: Array<string> = []
            let after: InboxQuery["after"] = undefined
            for (let pages = 0; pages < 10; pages++) {
              const entries: ReadonlyArray<InboxEntry> = yield* conversations.inbox({ viewer: StaffId.make("staff_1"), lineIds: [lineId], filter: "all", limit: 3, ...(after === undefined ? {} : { after }) })
              seen.push(...entries.map((e) => e.channel.id))
              const last = entries.at(-1)
              if (last === undefined) break
              after = { lastActivityAt: last.channel.lastActivityAt, id: last.channel.id }
            }
            expect(seen).toEqual(["channel_6", "channel_3", "channel_4", "channel_5", "channel_0", "channel_1", "channel_2"])
          })
        ))

      it("inbox over several lines: one order across them, ties broken by id, and paging visits every channel once", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedDirectory(pooledDirectory)
            const lineIds = [LineId.make("line_1"), LineId.make("line_2"), LineId.make("line_3")]
            for (let n = 0; n < 9; n++) {
              yield* conversations.saveChannel(
                makeChannel({ id: ChannelId.make(`channel_${n}`), phone: phone(300 + n), lineId: lineIds[n % 3]!, lastActivityAt: T0 + Math.floor(n / 4) })
              )
            }
            const viewer = StaffId.make("staff_1")
            const seen: Array<string> = []
            let after: InboxQuery["after"] = undefined
            for (let pages = 0; pages < 10; pages++) {
              const entries: ReadonlyArray<InboxEntry> = yield* conversations.inbox({ viewer, lineIds: [lineIds[2]!, lineIds[0]!], filter: "all", limit: 2, ...(after === undefined ? {} : { after }) })
              seen.push(...entries.map((e) => e.channel.id))
              const last = entries.at(-1)
              if (last === undefined) break
              after = { lastActivityAt: last.channel.lastActivityAt, id: last.channel.id }
            }
            // line_2 (channels 1, 4, 7) is not asked for; newest activity first, ties by id.
            expect(seen).toEqual(["channel_8", "channel_5", "channel_6", "channel_0", "channel_2", "channel_3"])
          })
        ))

      it("inbox of a specialist over two lines: every filter, paged at every size, is exactly their visible channels in order", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            const directory = yield* Directory
            yield* seedDirectory(pooledDirectory)
            const viewer = StaffId.make("staff_1")
            const [own, queue, other] = [LineId.make("line_1"), LineId.make("line_2"), LineId.make("line_3")]
            const clients = [undefined, ...[1, 2, 3, 4, 5].map((n) => ClientId.make(`client_${n}`))]
            // client_1 and client_3 are theirs; client_2 is a colleague's; client_4's assignment ended; client_5 is no one's.
            yield* directory.startAssignment(makeAssignment({ staffId: viewer, clientId: clients[1]! }))
            yield* directory.startAssignment(makeAssignment({ staffId: viewer, clientId: clients[3]! }))
            yield* directory.startAssignment(makeAssignment({ staffId: StaffId.make("staff_2"), clientId: clients[2]! }))
            yield* directory.startAssignment(makeAssignment({ staffId: viewer, clientId: clients[4]! }))
            yield* directory.endAssignment(viewer, clients[4]!, T0 + 1)
            // Every line meets every client, status and archived state; activity repeats, so ties cross lines.
            const channels = Array.from({ length: 54 }, (_, n) => {
              const clientId = clients[Math.floor(n / 3) % 6]
              return makeChannel({
                id: ChannelId.make(`channel_${n}`),
                phone: phone(400 + n),
                lineId: [own, queue, other][n % 3]!,
                ...(clientId === undefined ? {} : { clientId }),
                status: (["unread", "open", "done"] as const)[Math.floor(n / 2) % 3]!,
                archived: n % 7 === 0,
                lastActivityAt: T0 + Math.floor(((n * 11) % 17) / 2)
              })
            })
            for (const c of channels) yield* conversations.saveChannel(c)
            yield* conversations.setPreference(ChannelId.make("channel_3"), viewer, { muted: false, hidden: true })
            yield* conversations.setPreference(ChannelId.make("channel_10"), viewer, { muted: true, hidden: false })
            yield* conversations.setPreference(ChannelId.make("channel_13"), StaffId.make("staff_2"), { muted: true, hidden: true })
            const mine = new Set<string | undefined>([undefined, "client_1", "client_3"])
            const label = (c: Channel) => `${c.id}${c.id === "channel_10" ? " muted" : ""}`
            for (const filter of ["all", "unread", "open", "done", "archived"] as const) {
              const expected = channels
                .filter((c) => (c.lineId === own || c.lineId === queue) && c.id !== "channel_3" && mine.has(c.clientId))
                .filter((c) => (filter === "archived" ? c.archived : !c.archived && (filter === "all" || c.status === filter)))
                .sort((a, b) => b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
                .map(label)
              expect(expected.length).toBeGreaterThan(filter === "all" ? 8 : 0)
              for (const limit of [1, 2, 3, 50]) {
                const seen: Array<string> = []
                let after: InboxQuery["after"] = undefined
                for (let pages = 0; pages <= expected.length; pages++) {
                  const entries: ReadonlyArray<InboxEntry> = yield* conversations.inbox({
                    viewer, lineIds: [queue, own], assignedTo: viewer, filter, limit, ...(after === undefined ? {} : { after })
                  })
                  expect(entries.length).toBeLessThanOrEqual(limit)
                  seen.push(...entries.map((e) => `${e.channel.id}${e.muted ? " muted" : ""}`))
                  const last = entries.at(-1)
                  if (last === undefined) break
                  after = { lastActivityAt: last.channel.lastActivityAt, id: last.channel.id }
                }
                expect({ filter, limit, seen }).toEqual({ filter, limit, seen: expected })
              }
            }
          })
        ))

      it("lists the channels of some lines and of a client", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedDirectory(pooledDirectory)
            const client = ClientId.make("client_1")
            const channels = [
              makeChannel({ id: ChannelId.make("channel_1"), lineId: LineId.make("line_1"), clientId: client }),
              makeChannel({ id: ChannelId.make("channel_2"), lineId: LineId.make("line_2"), clientId: client }),
              makeChannel({ id: ChannelId.make("channel_3"), lineId: LineId.make("line_3") }),
              makeChannel({ id: ChannelId.make("channel_4"), lineId: LineId.make("line_1"), phone: phone(2) })
            ]
            for (const channel of channels) yield* conversations.createChannel(channel)
            const ids = (cs: ReadonlyArray<Channel>) => cs.map((c) => c.id).sort()
            expect(ids(yield* conversations.channelsOfLines([LineId.make("line_1"), LineId.make("line_3")]))).toEqual([
              "channel_1",
              "channel_3",
              "channel_4"
            ])
            expect(yield* conversations.channelsOfLines([])).toEqual([])
            expect(ids(yield* conversations.channelsOfClient(client))).toEqual(["channel_1", "channel_2"])
            expect(yield* conversations.channelsOfClient(ClientId.make("client_2"))).toEqual([])
          })
        ))
    })

    describe("messages", () => {
      it("records an inbound message once per provider message id", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents(pooledParents)
            const first = makeMessage({ id: mid("message_1"), providerMessageId: sm("SM1"), body: "first" })
            const again = makeMessage({ id: mid("message_2"), providerMessageId: sm("SM1"), body: "again", at: T0 + 1 })
            expect(yield* conversations.recordInbound(first)).toBe("inserted")
            expect(yield* conversations.recordInbound(again)).toBe("duplicate")
            expect(yield* conversations.recordInbound(first)).toBe("duplicate")
            expect(yield* conversations.getMessage(first.id)).toEqual(Option.some(first))
            expect(yield* conversations.getMessage(again.id)).toEqual(Option.none())
            expect(yield* conversations.findMessageByProviderId(sm("SM1"))).toEqual(Option.some(first))
            expect(yield* conversations.listMessages(channelA, { limit: 10 })).toEqual([first])
          })
        ))

      it("keeps a message's medium (email, sms, or absent) through every read and a later save", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents(pooledParents)
            const email = makeOutboundMessage({ id: mid("message_1"), status: "sent", medium: "email" })
            const sms = makeMessage({ id: mid("message_2"), providerMessageId: sm("SM2"), at: T0 + 1, medium: "sms" })
            const plain = makeMessage({ id: mid("message_3"), providerMessageId: sm("SM3"), at: T0 + 2 })
            yield* conversations.saveMessage(email)
            yield* conversations.recordInbound(sms)
            yield* conversations.recordInbound(plain)
            expect(yield* conversations.getMessage(email.id)).toEqual(Option.some(email))
            expect(yield* conversations.listMessages(channelA, { limit: 10 })).toEqual([plain, sms, email])
            expect(Option.getOrThrow(yield* conversations.getMessage(plain.id)).medium).toBeUndefined()
            const failed = { ...email, status: "failed" as const }
            yield* conversations.saveMessage(failed)
            expect(yield* conversations.getMessage(email.id)).toEqual(Option.some(failed))
          })
        ))

      it("marks messages as sent to the clinical record, changing nothing else, and keeps the mark through a later save", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents(pooledParents)
            const one = makeMessage({ id: mid("message_1"), providerMessageId: sm("SM1") })
            const two = makeMessage({ id: mid("message_2"), providerMessageId: sm("SM2"), at: T0 + 1 })
            const three = makeMessage({ id: mid("message_3"), providerMessageId: sm("SM3"), at: T0 + 2 })
            for (const message of [one, two, three]) yield* conversations.recordInbound(message)
            yield* conversations.markCharted([one.id, three.id, mid("message_9")], T0 + 100)
            yield* conversations.markCharted([], T0 + 200)
            expect(yield* conversations.listMessages(channelA, { limit: 10 })).toEqual([
              { ...three, chartedAt: T0 + 100 },
              two,
              { ...one, chartedAt: T0 + 100 }
            ])
            expect(yield* conversations.getMessage(mid("message_9"))).toEqual(Option.none())
            yield* conversations.saveMessage({ ...one, chartedAt: T0 + 100, processedAt: T0 + 5 })
            expect(Option.getOrThrow(yield* conversations.getMessage(one.id)).chartedAt).toBe(T0 + 100)
            yield* conversations.markCharted([one.id], T0 + 300)
            expect(Option.getOrThrow(yield* conversations.getMessage(one.id))).toEqual({ ...one, processedAt: T0 + 5, chartedAt: T0 + 300 })
          })
        ))

      it("keeps an inbound MMS's media (URL and content type, in order) through every read and a later save", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents(pooledParents)
            const media = [
              { url: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", contentType: "image/jpeg" },
              { url: "https://media.example.org/two?x=1&y=\"2\"", contentType: "application/pdf" }
            ]
            const mms = makeMessage({ id: mid("message_1"), providerMessageId: sm("SM1"), body: "", media })
            const plain = makeMessage({ id: mid("message_2"), providerMessageId: sm("SM2"), at: T0 + 1 })
            yield* conversations.recordInbound(mms)
            yield* conversations.recordInbound(plain)
            expect(yield* conversations.getMessage(mms.id)).toEqual(Option.some(mms))
            expect(yield* conversations.findMessageByProviderId(sm("SM1"))).toEqual(Option.some(mms))
            expect(yield* conversations.listMessages(channelA, { limit: 10 })).toEqual([plain, mms])
            expect(Option.getOrThrow(yield* conversations.getMessage(plain.id)).media).toBeUndefined()
            const processed = { ...mms, processedAt: T0 + 5 }
            yield* conversations.saveMessage(processed)
            expect(yield* conversations.getMessage(mms.id)).toEqual(Option.some(processed))
          })
        ))

      describe("recordRoutedInbound (a delivery addressed by numbers)", () => {
        it("stores it in the channel of (the line with that number, the sender), as the inbound message of that channel", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              const media = [{ url: "https://media.example.org/ME1", contentType: "image/png" }]
              const outcome = yield* conversations.recordRoutedInbound(delivery(1, { from: phone(2), media }))
              const expected = makeMessage({ id: mid("message_1"), channelId: ChannelId.make("channel_2"), body: "text 1", at: T0 + 1, providerMessageId: sm("SM1"), media })
              expect(outcome).toEqual({ _tag: "Stored", message: expected })
              expect(yield* conversations.getMessage(mid("message_1"))).toEqual(Option.some(expected))
              expect(yield* conversations.findMessageByProviderId(sm("SM1"))).toEqual(Option.some(expected))
            })
          ))

        it("marks it received while replies were off when the channel's replies are off at that moment", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              const on = yield* conversations.recordRoutedInbound(delivery(1))
              yield* conversations.saveChannel({ ...pooledParents.channels![0]!, repliesAllowed: false })
              const off = yield* conversations.recordRoutedInbound(delivery(2))
              expect(on._tag === "Stored" && on.message.receivedWhileRepliesOff).toBeUndefined()
              expect(off._tag === "Stored" && off.message.receivedWhileRepliesOff).toBe(true)
              expect(Option.getOrThrow(yield* conversations.getMessage(mid("message_2"))).receivedWhileRepliesOff).toBe(true)
            })
          ))

        it("stores nothing and says Unrouted when no line has the number or the line has no channel with the sender", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              expect(yield* conversations.recordRoutedInbound(delivery(1, { to: phone(9_999_999) }))).toEqual({ _tag: "Unrouted" })
              expect(yield* conversations.recordRoutedInbound(delivery(2, { from: phone(777) }))).toEqual({ _tag: "Unrouted" })
              // line_2 has no channels at all.
              expect(yield* conversations.recordRoutedInbound(delivery(3, { to: pooledParents.lines![1]!.number }))).toEqual({ _tag: "Unrouted" })
              expect(yield* conversations.findMessageByProviderId(sm("SM1"))).toEqual(Option.none())
              expect(yield* conversations.findMessageByProviderId(sm("SM2"))).toEqual(Option.none())
              expect(yield* conversations.findMessageByProviderId(sm("SM3"))).toEqual(Option.none())
            })
          ))

        it("stores a provider message id once: a repeat, routed or not, is Duplicate and changes nothing", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              const first = yield* conversations.recordRoutedInbound(delivery(1))
              expect(first._tag).toBe("Stored")
              expect(yield* conversations.recordRoutedInbound(delivery(2, { providerMessageId: sm("SM1"), body: "again" }))).toEqual({ _tag: "Duplicate" })
              yield* conversations.recordInbound(makeMessage({ id: mid("message_3"), providerMessageId: sm("SM3") }))
              expect(yield* conversations.recordRoutedInbound(delivery(4, { providerMessageId: sm("SM3") }))).toEqual({ _tag: "Duplicate" })
              expect(yield* conversations.getMessage(mid("message_2"))).toEqual(Option.none())
              expect(yield* conversations.getMessage(mid("message_4"))).toEqual(Option.none())
              expect((yield* conversations.listMessages(channelA, { limit: 10 })).map((m) => m.id)).toEqual(["message_1", "message_3"])
            })
          ))

        it("of many concurrent deliveries of one provider id stores exactly one; distinct ones are all stored", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              const outcomes = yield* Effect.all(
                [
                  ...Array.from({ length: 20 }, (_, i) => delivery(i, { providerMessageId: sm("SMsame"), from: phone(1 + (i % 3)) })),
                  ...Array.from({ length: 20 }, (_, i) => delivery(100 + i, { from: phone(1 + (i % 3)) })),
                  delivery(200, { from: phone(555) })
                ].map((d) => conversations.recordRoutedInbound(d)),
                { concurrency: "unbounded" }
              )
              const tags = outcomes.map((o) => o._tag)
              expect(tags.slice(0, 20).filter((t) => t === "Stored")).toHaveLength(1)
              expect(tags.slice(0, 20).filter((t) => t === "Duplicate")).toHaveLength(19)
              expect(tags.slice(20, 40).every((t) => t === "Stored")).toBe(true)
              expect(tags[40]).toBe("Unrouted")
              const stored = yield* Effect.forEach(pooledParents.channels!, (c) => conversations.listMessages(c.id, { limit: 100 }))
              expect(stored.flat()).toHaveLength(21)
            })
          ))
      })

      describe("the inbound log (logInbound, routeLogged, dropLogged)", () => {
        /** What `routeLogged` answered, as `message_n Tag`: which texts it took, in which order, and what became of each. */
        const outcomes = (taken: ReadonlyArray<LoggedInbound>) => taken.map((t) => `${t.delivery.id} ${t.routed._tag}`)
        const channel = (n: number) => ChannelId.make(`channel_${n}`)
        /** Texts 1 … count, spread over the pooled channels 1 to 3. */
        const spreadTexts = (count: number) => Array.from({ length: count }, (_, i) => delivery(i + 1, { from: phone(1 + (i % 3)) }))
        /** The ids of every message in the pooled channels, sorted. */
        const storedIds = Effect.gen(function* () {
          const conversations = yield* Conversations
          const pages = yield* Effect.forEach(pooledChannels, (c) => conversations.listMessages(c.id, { limit: 100 }))
          return pages.flat().map((m) => m.id).sort()
        })

        it("a logged text is no message until routeLogged stores it, exactly as recordRoutedInbound would (media, replies off)", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              yield* conversations.saveChannel({ ...pooledChannels[2]!, repliesAllowed: false })
              const media = [
                { url: "https://media.example.org/ME1", contentType: "image/png" },
                { url: "https://media.example.org/two?x=1&y=\"2\"", contentType: "application/pdf" }
              ]
              // channel_2 takes replies, channel_3 (phone(3)) has them off.
              const texts = [delivery(1, { from: phone(2), media }), delivery(2, { from: phone(3) })]
              for (const text of texts) yield* conversations.logInbound(text)
              for (const text of texts) {
                expect(yield* conversations.getMessage(text.id)).toEqual(Option.none())
                expect(yield* conversations.findMessageByProviderId(text.providerMessageId)).toEqual(Option.none())
              }
              expect(yield* conversations.listMessages(channel(2), { limit: 10 })).toEqual([])
              expect(yield* conversations.unprocessedInbound(T0 + 100, 10)).toEqual([])

              const expected = [
                makeMessage({ id: mid("message_1"), channelId: channel(2), body: "text 1", at: T0 + 1, providerMessageId: sm("SM1"), media }),
                makeMessage({ id: mid("message_2"), channelId: channel(3), body: "text 2", at: T0 + 2, providerMessageId: sm("SM2"), receivedWhileRepliesOff: true })
              ]
              expect(yield* conversations.routeLogged(10)).toEqual([
                { delivery: texts[0], routed: { _tag: "Stored", message: expected[0] } },
                { delivery: texts[1], routed: { _tag: "Stored", message: expected[1] } }
              ])
              for (const message of expected) {
                expect(yield* conversations.getMessage(message.id)).toEqual(Option.some(message))
                expect(yield* conversations.findMessageByProviderId(message.providerMessageId!)).toEqual(Option.some(message))
              }
              // The same texts under fresh ids, through the accept path that stores at once: the same messages.
              for (const [i, text] of texts.entries()) {
                const twin = { ...text, id: mid(`twin_${i}`), providerMessageId: sm(`SMtwin${i}`) }
                expect(yield* conversations.recordRoutedInbound(twin)).toEqual({
                  _tag: "Stored",
                  message: { ...expected[i]!, id: twin.id, providerMessageId: twin.providerMessageId }
                })
              }
              expect((yield* conversations.unprocessedInbound(T0 + 100, 10)).map((m) => m.id)).toEqual(["message_1", "twin_0", "message_2", "twin_1"])
            })
          ))

        it("takes the oldest `limit` texts in the order they were logged (not by time or id), then the next ones, then none", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              for (const n of [3, 1, 5, 2, 4]) yield* conversations.logInbound(delivery(n))
              expect(yield* conversations.routeLogged(0)).toEqual([])
              expect(outcomes(yield* conversations.routeLogged(2))).toEqual(["message_3 Stored", "message_1 Stored"])
              expect((yield* conversations.listMessages(channelA, { limit: 10 })).map((m) => m.id)).toEqual(["message_3", "message_1"])
              expect(outcomes(yield* conversations.routeLogged(10))).toEqual(["message_5 Stored", "message_2 Stored", "message_4 Stored"])
              expect(yield* conversations.routeLogged(10)).toEqual([])
              expect((yield* conversations.listMessages(channelA, { limit: 10 })).map((m) => m.id)).toEqual([
                "message_5",
                "message_4",
                "message_3",
                "message_2",
                "message_1"
              ])
            })
          ))

        it("stores a provider id once: a repeat in the same batch or one already stored is Duplicate, stores nothing and leaves the log", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              yield* conversations.recordRoutedInbound(delivery(1))
              yield* conversations.recordInbound(makeMessage({ id: mid("message_2"), providerMessageId: sm("SM2"), at: T0 + 2 }))
              const texts = [
                delivery(3, { providerMessageId: sm("SM1") }),
                delivery(4),
                delivery(5, { providerMessageId: sm("SM4"), from: phone(2), body: "again" }),
                delivery(6, { providerMessageId: sm("SM2") })
              ]
              for (const text of texts) yield* conversations.logInbound(text)
              expect(outcomes(yield* conversations.routeLogged(10))).toEqual([
                "message_3 Duplicate",
                "message_4 Stored",
                "message_5 Duplicate",
                "message_6 Duplicate"
              ])
              expect(yield* conversations.routeLogged(10)).toEqual([])
              for (const id of ["message_3", "message_5", "message_6"]) expect(yield* conversations.getMessage(mid(id))).toEqual(Option.none())
              expect(Option.map(yield* conversations.findMessageByProviderId(sm("SM4")), (m) => m.id)).toEqual(Option.some("message_4"))
              expect((yield* conversations.listMessages(channelA, { limit: 10 })).map((m) => m.id)).toEqual(["message_4", "message_2", "message_1"])
              expect(yield* conversations.listMessages(channel(2), { limit: 10 })).toEqual([])
            })
          ))

        it("keeps an Unrouted text logged, ahead of newer ones, until its channel exists or it is dropped", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              const nowhere = delivery(1, { to: phone(9_999_999) })
              const stranger = delivery(2, { from: phone(777) })
              for (const text of [nowhere, stranger, delivery(3)]) yield* conversations.logInbound(text)
              const first = yield* conversations.routeLogged(10)
              expect(outcomes(first)).toEqual(["message_1 Unrouted", "message_2 Unrouted", "message_3 Stored"])
              expect(first.slice(0, 2)).toEqual([
                { delivery: nowhere, routed: { _tag: "Unrouted" } },
                { delivery: stranger, routed: { _tag: "Unrouted" } }
              ])
              yield* conversations.logInbound(delivery(4))
              expect(outcomes(yield* conversations.routeLogged(2))).toEqual(["message_1 Unrouted", "message_2 Unrouted"])
              expect(outcomes(yield* conversations.routeLogged(10))).toEqual(["message_1 Unrouted", "message_2 Unrouted", "message_4 Stored"])
              expect(outcomes(yield* conversations.routeLogged(10))).toEqual(["message_1 Unrouted", "message_2 Unrouted"])
              expect(yield* conversations.findMessageByProviderId(sm("SM1"))).toEqual(Option.none())
              expect(yield* conversations.findMessageByProviderId(sm("SM2"))).toEqual(Option.none())

              const created = makeChannel({ id: channel(777), phone: phone(777) })
              yield* conversations.createChannel(created)
              yield* conversations.logInbound(delivery(5))
              const routed = yield* conversations.routeLogged(10)
              expect(outcomes(routed)).toEqual(["message_1 Unrouted", "message_2 Stored", "message_5 Stored"])
              expect(routed[1]!.routed).toEqual({
                _tag: "Stored",
                message: makeMessage({ id: stranger.id, channelId: created.id, body: "text 2", at: T0 + 2, providerMessageId: sm("SM2") })
              })

              yield* conversations.logInbound(delivery(6))
              yield* conversations.dropLogged(mid("message_none"))
              expect(outcomes(yield* conversations.routeLogged(1))).toEqual(["message_1 Unrouted"])
              yield* conversations.dropLogged(nowhere.id)
              expect(outcomes(yield* conversations.routeLogged(10))).toEqual(["message_6 Stored"])
              expect(yield* conversations.routeLogged(10)).toEqual([])
              expect(yield* conversations.getMessage(nowhere.id)).toEqual(Option.none())
            })
          ))

        it("two concurrent routeLogged calls split the log: each text taken once, oldest first, and Stored once", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              const texts = spreadTexts(20)
              for (const text of texts) yield* conversations.logInbound(text)
              const answers = yield* Effect.all([conversations.routeLogged(12), conversations.routeLogged(12)], { concurrency: "unbounded" })
              const [longer, shorter] = [...answers].sort((a, b) => b.length - a.length)
              expect(outcomes(longer!)).toEqual(texts.slice(0, 12).map((t) => `${t.id} Stored`))
              expect(outcomes(shorter!)).toEqual(texts.slice(12).map((t) => `${t.id} Stored`))
              expect(yield* conversations.routeLogged(20)).toEqual([])
              expect(yield* storedIds).toEqual(texts.map((t) => t.id).sort())
            })
          ))

        it("texts logged while others are routed are neither lost nor stored twice", () =>
          run(
            Effect.gen(function* () {
              const conversations = yield* Conversations
              yield* seedParents(pooledParents)
              const texts = spreadTexts(30)
              for (const text of texts.slice(0, 10)) yield* conversations.logInbound(text)
              const answers = yield* Effect.all(
                [
                  ...texts.slice(10).map((t) => Effect.as(conversations.logInbound(t), [])),
                  ...Array.from({ length: 4 }, () => conversations.routeLogged(5))
                ],
                { concurrency: "unbounded" }
              )
              const rest = yield* conversations.routeLogged(30)
              const taken = [...answers.flat(), ...rest]
              expect(taken.every((t) => t.routed._tag === "Stored")).toBe(true)
              expect(taken.map((t) => t.delivery.id).sort()).toEqual(texts.map((t) => t.id).sort())
              expect(yield* storedIds).toEqual(texts.map((t) => t.id).sort())
            })
          ))
      })

      it("inserts exactly one of many concurrent deliveries of one provider message id", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents(pooledParents)
            const deliveries = Array.from({ length: 25 }, (_, i) =>
              makeMessage({ id: mid(`message_${i}`), providerMessageId: sm("SM1") })
            )
            const results = yield* Effect.all(
              deliveries.map((m) => conversations.recordInbound(m)),
              { concurrency: "unbounded" }
            )
            expect(results.filter((r) => r === "inserted")).toHaveLength(1)
            expect(yield* conversations.listMessages(channelA, { limit: 100 })).toHaveLength(1)
          })
        ))

      it("always inserts inbound messages without a provider message id", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents(pooledParents)
            const messages = [1, 2, 3].map((i) => makeMessage({ id: mid(`message_${i}`), at: T0 + i }))
            for (const m of messages) expect(yield* conversations.recordInbound(m)).toBe("inserted")
            expect(yield* conversations.listMessages(channelA, { limit: 10 })).toEqual([...messages].reverse())
          })
        ))

      it("property: random deliveries store each provider message id once, the first delivery winning", () =>
        fc.assert(
          fc.asyncProperty(fc.array(arbMessage(), { maxLength: 40 }), (generated) =>
            run(
              Effect.gen(function* () {
                const conversations = yield* Conversations
                yield* seedParents(pooledParents)
                const deliveries = withSequentialIds(generated, mid, "message")
                const expected = new Map<string, Message>()
                for (const m of deliveries) {
                  const fresh = m.providerMessageId === undefined || !expected.has(m.providerMessageId)
                  expect(yield* conversations.recordInbound(m)).toBe(fresh ? "inserted" : "duplicate")
                  if (fresh) expected.set(m.providerMessageId ?? m.id, m)
                }
                const stored = yield* conversations.listMessages(channelA, { limit: 1000 })
                expect(stored).toEqual([...expected.values()].sort(newestFirst))
                for (const m of expected.values()) {
                  if (m.providerMessageId !== undefined) {
                    expect(yield* conversations.findMessageByProviderId(m.providerMessageId)).toEqual(Option.some(m))
                  }
                }
              })
            )
          ),
          { numRuns: 50 }
        ))

      it("claims an unprocessed inbound message once, lets an expired claim be taken over, and never a processed one", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents(pooledParents)
            const message = makeMessage({ providerMessageId: sm("SMclaim") })
            yield* conversations.recordInbound(message)
            expect((yield* conversations.unprocessedInbound(T0, 10)).map((m) => m.id)).toEqual([message.id])
            const claims = yield* Effect.all(
              Array.from({ length: 5 }, () => conversations.claimInbound(message.id, T0, T0 + 100)),
              { concurrency: "unbounded" }
            )
            expect(claims.filter(Boolean)).toHaveLength(1)
            expect(yield* conversations.unprocessedInbound(T0 + 50, 10)).toEqual([])
            expect(yield* conversations.claimInbound(message.id, T0 + 50, T0 + 150)).toBe(false)
            expect((yield* conversations.unprocessedInbound(T0 + 100, 10)).map((m) => m.id)).toEqual([message.id])
            expect(yield* conversations.claimInbound(message.id, T0 + 100, T0 + 200)).toBe(true)
            yield* conversations.completeInbound(message.id, T0 + 120)
            expect(Option.getOrThrow(yield* conversations.getMessage(message.id)).processedAt).toBe(T0 + 120)
            expect(yield* conversations.claimInbound(message.id, T0 + 1_000, T0 + 2_000)).toBe(false)
            expect(yield* conversations.unprocessedInbound(T0 + 1_000, 10)).toEqual([])
          })
        ))

      it("records an outbound message together with its outbox entry, which a claim then sees", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents(pooledParents)
            const outbox = yield* OutboxStore
            const message = makeOutboundMessage()
            const entry = makeOutboxEntry({ messageId: message.id })
            yield* conversations.recordOutbound(message, entry)
            expect(yield* conversations.getMessage(message.id)).toEqual(Option.some(message))
            expect(yield* outbox.get(entry.id)).toEqual(Option.some(entry))
            expect(yield* outbox.claimDue(T0, 10, T0 + 60_000)).toEqual([{ ...entry, state: "sending", notBefore: T0 + 60_000 }])
          })
        ))

      it("saveMessage upserts and keeps the provider-id lookup right", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents(pooledParents)
            const queued = makeOutboundMessage()
            yield* conversations.recordOutbound(queued, makeOutboxEntry())
            expect(yield* conversations.findMessageByProviderId(sm("SM9"))).toEqual(Option.none())

            const sent: Message = { ...queued, status: "sent", providerMessageId: sm("SM9") }
            yield* conversations.saveMessage(sent)
            expect(yield* conversations.getMessage(queued.id)).toEqual(Option.some(sent))
            expect(yield* conversations.findMessageByProviderId(sm("SM9"))).toEqual(Option.some(sent))
            expect(yield* conversations.recordInbound(makeMessage({ id: mid("message_2"), providerMessageId: sm("SM9") }))).toBe(
              "duplicate"
            )

            const delivered: Message = { ...sent, status: "delivered" }
            yield* conversations.saveMessage(delivered)
            expect(yield* conversations.findMessageByProviderId(sm("SM9"))).toEqual(Option.some(delivered))
            expect(yield* conversations.listMessages(channelA, { limit: 10 })).toEqual([delivered])

            const renamed: Message = { ...delivered, providerMessageId: sm("SM10") }
            yield* conversations.saveMessage(renamed)
            expect(yield* conversations.findMessageByProviderId(sm("SM10"))).toEqual(Option.some(renamed))
            expect(yield* conversations.findMessageByProviderId(sm("SM9"))).toEqual(Option.none())
          })
        ))

      it("lists a channel's messages newest first by (at, id), honouring limit and an exclusive before", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents(pooledParents)
            const m = (id: string, at: number, channelId = channelA) => makeMessage({ id: mid(id), at, channelId })
            const messages = [m("m_a", T0), m("m_c", T0 + 1), m("m_b", T0 + 1), m("m_d", T0 + 1), m("m_e", T0 + 2)]
            for (const message of [...messages, m("m_x", T0 + 1, ChannelId.make("channel_2"))]) {
              yield* conversations.recordInbound(message)
            }
            const ids = (page: ReadonlyArray<Message>) => page.map((x) => x.id)
            expect(ids(yield* conversations.listMessages(channelA, { limit: 10 }))).toEqual(["m_e", "m_d", "m_c", "m_b", "m_a"])
            expect(ids(yield* conversations.listMessages(channelA, { limit: 2 }))).toEqual(["m_e", "m_d"])
            expect(ids(yield* conversations.listMessages(channelA, { limit: 10, before: { at: T0 + 1, id: mid("m_c") } }))).toEqual([
              "m_b",
              "m_a"
            ])
            expect(ids(yield* conversations.listMessages(channelA, { limit: 10, before: { at: T0 + 1, id: mid("m_z") } }))).toEqual([
              "m_d",
              "m_c",
              "m_b",
              "m_a"
            ])
            expect(ids(yield* conversations.listMessages(channelA, { limit: 10, before: { at: T0, id: mid("m_a") } }))).toEqual([])
            expect(yield* conversations.listMessages(channelA, { limit: 0 })).toEqual([])
            expect(yield* conversations.listMessages(ChannelId.make("channel_none"), { limit: 10 })).toEqual([])
          })
        ))

      it("property: paging with before visits every message of the channel exactly once, in order", () =>
        fc.assert(
          fc.asyncProperty(
            fc.array(arbMessage({ spread: 3 }), { maxLength: 40 }),
            fc.array(arbMessage({ channelId: ChannelId.make("channel_2") }), { maxLength: 5 }),
            fc.integer({ min: 1, max: 7 }),
            (generated, others, limit) =>
              run(
                Effect.gen(function* () {
                  const conversations = yield* Conversations
                  yield* seedParents(pooledParents)
                  const messages = withSequentialIds(
                    [...generated, ...others].map(({ providerMessageId: _, ...m }) => m),
                    mid,
                    "message"
                  )
                  for (const m of messages) yield* conversations.recordInbound(m)
                  const expected = messages.filter((m) => m.channelId === channelA).sort(newestFirst)
                  expect(yield* readAllPages(channelA, limit, expected.length + 1)).toEqual(expected)
                })
              )
          ),
          { numRuns: 50 }
        ))
    })

    describe("preferences", () => {
      it("defaults to neither muted nor hidden, and is kept per (channel, staff)", () =>
        run(
          Effect.gen(function* () {
            const conversations = yield* Conversations
            yield* seedParents({ ...pooledParents, staff: [...pooledStaff, ...staffNamed("staff_a", "staff_b")] })
            const [alice, bob] = [StaffId.make("staff_a"), StaffId.make("staff_b")]
            expect(yield* conversations.getPreference(channelA, alice)).toEqual({ muted: false, hidden: false })
            yield* conversations.setPreference(channelA, alice, { muted: true, hidden: false })
            expect(yield* conversations.getPreference(channelA, alice)).toEqual({ muted: true, hidden: false })
            expect(yield* conversations.getPreference(channelA, bob)).toEqual({ muted: false, hidden: false })
            expect(yield* conversations.getPreference(ChannelId.make("channel_2"), alice)).toEqual({ muted: false, hidden: false })
            yield* conversations.setPreference(channelA, alice, { muted: false, hidden: true })
            expect(yield* conversations.getPreference(channelA, alice)).toEqual({ muted: false, hidden: true })
          })
        ))
    })
  })
