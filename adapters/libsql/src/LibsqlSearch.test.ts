import { ChannelId, ClientId, Conversations, Directory, LineId, MessageId, StaffId } from "@careline/core"
import { makeAssignment, makeChannel, makeClient, makeLine } from "@careline/testkit"
import { Effect } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Database } from "./Database.js"
import { type ChannelSearch, type ChannelSearchScope, LibsqlSearch, searchChannels, searchInbox, toFtsQuery } from "./LibsqlSearch.js"
import { channelId, clientId, inbound, lineId, phone, runSeeded, staffId, T0 } from "./testing/Seed.js"

const line2 = LineId.make("line_2")
const channel2 = ChannelId.make("channel_2")
const channel3 = ChannelId.make("channel_3")
const client2 = ClientId.make("client_2")

/**
 * channel_1 (line_1, Casey Client): "Your appointment is on Tuesday", oldest activity
 * channel_2 (line_2, unknown number): "Refill the prescription please"
 * channel_3 (line_1, Robin Ashford):  "Appointment moved to Friday", newest activity and newest message
 */
const seedConversations = Effect.gen(function* () {
  const directory = yield* Directory
  const conversations = yield* Conversations
  yield* directory.putLine(makeLine({ id: line2, number: phone(9_000_002) }))
  yield* directory.putClient(makeClient({ id: client2, name: "Robin Ashford", phones: [{ number: phone(3), label: "mobile", primary: true, okayToText: true }] }))
  yield* conversations.saveChannel(makeChannel({ clientId, lastActivityAt: T0 + 1 }))
  yield* conversations.createChannel(makeChannel({ id: channel2, lineId: line2, phone: phone(2), lastActivityAt: T0 + 2 }))
  yield* conversations.createChannel(makeChannel({ id: channel3, phone: phone(3), clientId: client2, lastActivityAt: T0 + 3 }))
  yield* conversations.recordInbound(inbound(1, { body: "Your appointment is on Tuesday" }))
  yield* conversations.recordInbound(inbound(2, { channelId: channel2, body: "Refill the prescription please" }))
  yield* conversations.recordInbound(inbound(3, { channelId: channel3, body: "Appointment moved to Friday" }))
})

const both = { lineIds: [lineId, line2] }
const search = (database: Database, query: string, scope: ChannelSearchScope = both, limit = 10, narrowing: Partial<ChannelSearch> = {}) =>
  searchChannels(database, { ...scope, ...narrowing, query, limit })

let nextMessage = 100
/** Stores an inbound text in a channel; texts stored later are newer (`seq` order). */
const text = (channel: ChannelId, body: string) =>
  Conversations.use((c) => c.recordInbound(inbound(nextMessage++, { id: MessageId.make(`message_t${nextMessage}`), channelId: channel, body })))

const runSearch = <A, E>(program: (database: Database) => Effect.Effect<A, E, Conversations | Directory | LibsqlSearch>) =>
  runSeeded((database) => Effect.andThen(seedConversations, program(database)))

describe("toFtsQuery", () => {
  it("quotes every word, ANDs them and lets the last one be a prefix", () => {
    expect(toFtsQuery("appointment Tuesday")).toBe('"appointment" "Tuesday"*')
    expect(toFtsQuery('casey "OR" appoint*')).toBe('"casey" "OR" "appoint"*')
    expect(toFtsQuery("NEAR(a b) -c body:d ^e")).toBe('"NEAR" "a" "b" "c" "body" "d" "e"*')
    expect(toFtsQuery("Zoë O'Brien")).toBe('"Zoë" "O" "Brien"*')
  })

  it("gives nothing to look for when there is no word", () => {
    for (const input of ["", "   ", '"', "***", "- ( ) : ^ +"]) expect(toFtsQuery(input)).toBeUndefined()
  })
})

describe("searchChannels", () => {
  it("finds channels by a word of their messages, newest matching message first, and by the start of a word", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        expect(yield* search(database, "appointment")).toEqual([channel3, channelId])
        expect(yield* search(database, "APPOINT")).toEqual([channel3, channelId])
        expect(yield* search(database, "prescription")).toEqual([channel2])
        expect(yield* search(database, "appointment friday")).toEqual([channel3])
        expect(yield* search(database, "dentist")).toEqual([])
      })
    ))

  it("orders by each channel's newest matching message, not by its activity or by its other messages", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        // channel_1's activity stays the oldest, but it now has the newest "appointment".
        yield* text(channelId, "Can we move the appointment?")
        expect(yield* search(database, "appointment")).toEqual([channelId, channel3])
        // A newer message without the word changes nothing.
        yield* text(channel3, "Thanks, see you then")
        expect(yield* search(database, "appointment")).toEqual([channelId, channel3])
        yield* text(channel3, "Appointment confirmed")
        expect(yield* search(database, "appointment")).toEqual([channel3, channelId])
        expect(yield* search(database, "thanks")).toEqual([channel3])
      })
    ))

  it("finds channels by their client's name, and puts name matches before message matches", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        expect(yield* search(database, "casey")).toEqual([channelId])
        expect(yield* search(database, "Ashford")).toEqual([channel3])
        expect(yield* search(database, "client")).toEqual([channelId])
        // The newest message to mention Robin is channel_2's, but Robin Ashford's own channel comes first.
        yield* text(channel2, "Robin said to call")
        expect(yield* search(database, "robin")).toEqual([channel3, channel2])
        // A channel matching by name and by message is listed once.
        yield* text(channel3, "Robin here")
        expect(yield* search(database, "robin")).toEqual([channel3, channel2])
        expect(yield* search(database, "robin", both, 1)).toEqual([channel3])
      })
    ))

  it("looks only in the channels or lines it is given", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        expect(yield* search(database, "appointment", { lineIds: [line2] })).toEqual([])
        expect(yield* search(database, "appointment", { lineIds: [lineId] })).toEqual([channel3, channelId])
        expect(yield* search(database, "appointment", { channelIds: [channelId] })).toEqual([channelId])
        expect(yield* search(database, "prescription", { channelIds: [channelId, channel3] })).toEqual([])
        expect(yield* search(database, "appointment", { channelIds: [] })).toEqual([])
        expect(yield* search(database, "appointment", both, 1)).toEqual([channel3])
        expect(yield* search(database, "appointment", both, 0)).toEqual([])
      })
    ))

  it("narrows as the inbox does: a specialist's assignments, the filter, the channels the viewer hid", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        const directory = yield* Directory
        yield* text(channel2, "Appointment for the unknown number")
        // staff_1 is assigned Casey (channel_1), not Robin (channel_3); channel_2 has no client, so its line decides.
        yield* directory.startAssignment(makeAssignment({ staffId, clientId }))
        const asSpecialist = { assignedTo: staffId }
        expect(yield* search(database, "appointment", both, 10, asSpecialist)).toEqual([channel2, channelId])
        expect(yield* search(database, "ashford", both, 10, asSpecialist)).toEqual([])
        yield* directory.endAssignment(staffId, clientId, T0 + 50)
        expect(yield* search(database, "appointment", both, 10, asSpecialist)).toEqual([channel2])
        expect(yield* search(database, "appointment", both, 10)).toEqual([channel2, channel3, channelId])

        yield* conversations.updateChannel(channel3, (c) => ({ ...c, archived: true }))
        yield* conversations.updateChannel(channel2, (c) => ({ ...c, status: "unread" }))
        expect(yield* search(database, "appointment", both, 10, { filter: "all" })).toEqual([channel2, channelId])
        expect(yield* search(database, "appointment", both, 10, { filter: "archived" })).toEqual([channel3])
        expect(yield* search(database, "appointment", both, 10, { filter: "unread" })).toEqual([channel2])
        expect(yield* search(database, "appointment", both, 10, { filter: "done" })).toEqual([channelId])
        expect(yield* search(database, "robin", both, 10, { filter: "all" })).toEqual([])

        yield* conversations.setPreference(channel2, staffId, { muted: false, hidden: true })
        yield* conversations.setPreference(channelId, staffId, { muted: true, hidden: false })
        expect(yield* search(database, "appointment", both, 10, { viewer: staffId })).toEqual([channel3, channelId])
        expect(yield* search(database, "appointment", both, 10, { viewer: StaffId.make("staff_2") })).toEqual([channel2, channel3, channelId])
        const entries = yield* searchInbox(database, { ...both, query: "appointment", limit: 10, viewer: staffId })
        expect(entries.map((e) => [e.channel.id, e.channel.archived, e.muted])).toEqual([[channel3, true, false], [channelId, false, true]])
      })
    ))

  it("finds the next channel behind many newer hits in one channel, and a rare word behind a common one", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        // 40 newer "appointment" texts in channel_1 fill the first windows; channel_3's older one is still found.
        for (let i = 0; i < 40; i++) yield* text(channelId, `appointment reminder ${i}`)
        expect(yield* search(database, "appointment", both, 2)).toEqual([channelId, channel3])
        expect(yield* search(database, "appointment", both, 1)).toEqual([channelId])
        expect(yield* search(database, "appointment", { lineIds: [lineId] }, 2)).toEqual([channelId, channel3])
        expect(yield* search(database, "appointment", { channelIds: [channel3] }, 2)).toEqual([channel3])
        expect(yield* search(database, "prescription", both, 2)).toEqual([channel2])
        expect(yield* search(database, "reminder", both, 5)).toEqual([channelId])
      })
    ))

  it("property: the order is each channel's newest matching message, at most limit, for common and rare words", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        const channels = Array.from({ length: 8 }, (_, i) => ChannelId.make(`channel_p${i}`))
        for (const [i, id] of channels.entries()) {
          yield* Conversations.use((c) => c.createChannel(makeChannel({ id, phone: phone(100 + i), lastActivityAt: T0 + 100 - i })))
        }
        const context = yield* Effect.context<Conversations>()
        let round = 0
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(
              fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.boolean()), { maxLength: 60 }),
              fc.integer({ min: 1, max: 9 }),
              async (texts, limit) => {
                const word = `word${round++}x`
                for (const [i, matches] of texts) await Effect.runPromise(text(channels[i]!, matches ? `about ${word} today` : "nothing here").pipe(Effect.provideContext(context)))
                const newest = new Map<ChannelId, number>()
                texts.forEach(([i, matches], at) => matches && newest.set(channels[i]!, at))
                const expected = [...newest].sort((a, b) => b[1] - a[1]).map(([id]) => id).slice(0, limit)
                expect(await Effect.runPromise(search(database, word, { lineIds: [lineId] }, limit))).toEqual(expected)
              }
            ),
            { numRuns: 40 }
          ))
      })
    ))

  it("treats quotes and operators in what was typed as text: no error, never more results", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<readonly [string, ReadonlyArray<ChannelId>]> = [
          ["appointment OR prescription", []],
          ["appointment NOT tuesday", []],
          ['"appointment', [channel3, channelId]],
          ['appointment"', [channel3, channelId]],
          ["appointment*", [channel3, channelId]],
          ["*", []],
          ["-tuesday appointment", [channelId]],
          ["NEAR(appointment friday)", []],
          ["body:refill", []],
          ["prescription AND", []],
          ["( appointment", [channel3, channelId]],
          ["^appointment", [channel3, channelId]],
          ["'; DROP TABLE messages; --", []]
        ]
        for (const [query, expected] of cases) expect(yield* search(database, query)).toEqual(expected)
        expect(yield* search(database, "appointment")).toEqual([channel3, channelId])
      })
    ))

  it("property: whatever is typed, search does not fail and answers only within its scope", () =>
    runSearch((database) =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.string({ unit: fc.constantFrom(..."appointment casey OR NEAR AND NOT \"*-^:()+{}[]'\\%_.,;é"), maxLength: 30 }),
            fc.subarray([channelId, channel2, channel3]),
            async (query, channelIds) => {
              const found = await Effect.runPromise(search(database, query, { channelIds }))
              for (const id of found) expect(channelIds).toContain(id)
            }
          ),
          { numRuns: 200 }
        )
      )
    ))

  it("follows changes: an edited message body and a renamed client are found by their new words only", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        const conversations = yield* Conversations
        const message = inbound(2, { channelId: channel2, body: "Refill the prescription please" })
        yield* conversations.saveMessage({ ...message, body: "Refill the inhaler please" })
        expect(yield* search(database, "prescription")).toEqual([])
        expect(yield* search(database, "inhaler")).toEqual([channel2])
        yield* Directory.use((d) => d.updateClient(client2, (c) => ({ ...c, name: "Robin Marsh" })))
        expect(yield* search(database, "ashford")).toEqual([])
        expect(yield* search(database, "marsh")).toEqual([channel3])
      })
    ))

  it("is served as the LibsqlSearch service over the same database", () =>
    runSearch(() =>
      Effect.gen(function* () {
        const found = yield* LibsqlSearch.use((s) => s.searchChannels({ lineIds: [lineId], query: "casey", limit: 5 }))
        expect(found).toEqual([channelId])
      })
    ))
})
