import { ChannelId, ClientId, Conversations, Directory, LineId } from "@careline/core"
import { makeChannel, makeClient, makeLine } from "@careline/testkit"
import { Effect } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Database } from "./Database.js"
import { type ChannelSearchScope, LibsqlSearch, searchChannels, toFtsQuery } from "./LibsqlSearch.js"
import { channelId, clientId, inbound, lineId, phone, runSeeded, T0 } from "./testing/Seed.js"

const line2 = LineId.make("line_2")
const channel2 = ChannelId.make("channel_2")
const channel3 = ChannelId.make("channel_3")
const client2 = ClientId.make("client_2")

/**
 * channel_1 (line_1, Casey Client): "Your appointment is on Tuesday", oldest activity
 * channel_2 (line_2, unknown number): "Refill the prescription please"
 * channel_3 (line_1, Robin Ashford):  "Appointment moved to Friday", newest activity
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
const search = (database: Database, query: string, scope: ChannelSearchScope = both, limit = 10) =>
  searchChannels(database, { ...scope, query, limit })

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
  it("finds channels by a word of their messages, newest activity first, and by the start of a word", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        expect(yield* search(database, "appointment")).toEqual([channel3, channelId])
        expect(yield* search(database, "APPOINT")).toEqual([channel3, channelId])
        expect(yield* search(database, "prescription")).toEqual([channel2])
        expect(yield* search(database, "appointment friday")).toEqual([channel3])
        expect(yield* search(database, "dentist")).toEqual([])
      })
    ))

  it("finds channels by their client's name", () =>
    runSearch((database) =>
      Effect.gen(function* () {
        expect(yield* search(database, "casey")).toEqual([channelId])
        expect(yield* search(database, "Ashford")).toEqual([channel3])
        expect(yield* search(database, "client")).toEqual([channelId])
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
