// Outbox pacing benchmark: 10,000 queued texts over three lines with rates 1, 3 and 100 a second,
// dispatched by the core's outbox dispatcher against the fake provider, on a virtual clock advanced
// by the server's round interval (200 ms). Each line's achieved rate must be within 5 % of its limit
// and never above it in any window (the ratio is against each line's own limit). The real time the
// dispatcher spent is reported for information.
//
//   npm run -w @careline/bench bench:outbox
import { MemoryNotifier, MemoryStores, SequentialIds } from "@careline/adapter-memory"
import { FakeSms, FakeSmsControl } from "@careline/adapter-fake-sms"
import {
  ChannelId,
  ConsentLedger,
  Conversations,
  Directory,
  enqueueOutbound,
  type Line,
  LineId,
  makeOutboxDispatcher,
  OrganisationId,
  rateWindow,
  StaffId
} from "@careline/core"
import { makeChannel, makeConsentEntry, makeLine, makeOrganisation, phone, T0 } from "@careline/testkit"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"

const roundMs = 200
const organisationId = OrganisationId.make("org_bench")
const plan: ReadonlyArray<{ readonly rate: number; readonly texts: number }> = [
  { rate: 1, texts: 100 },
  { rate: 3, texts: 300 },
  { rate: 100, texts: 9_600 }
]
const clientsPerLine = 20

const services = Layer.mergeAll(MemoryStores.layer, SequentialIds.layer, MemoryNotifier.layer, FakeSms.layer, TestClock.layer())

const seed = Effect.gen(function* () {
  const directory = yield* Directory
  const conversations = yield* Conversations
  yield* directory.putOrganisation(makeOrganisation({ id: organisationId }))
  const lines: Array<Line> = []
  for (const [i, { rate, texts }] of plan.entries()) {
    const line = makeLine({ id: LineId.make(`line_${rate}`), organisationId, number: phone(9_000 + i), owner: { _tag: "Organisation" }, ratePerSecond: rate })
    yield* directory.putLine(line)
    lines.push(line)
    for (let c = 0; c < clientsPerLine; c++) {
      const clientPhone = phone(100_000 * (i + 1) + c)
      yield* ConsentLedger.use((ledger) => ledger.append(makeConsentEntry({ organisationId, phone: clientPhone, at: T0, state: "opted_in" })))
      const channel = yield* conversations.createChannel(
        makeChannel({ id: ChannelId.make(`chn_${rate}_${c}`), organisationId, lineId: line.id, phone: clientPhone })
      )
      for (let n = c; n < texts; n += clientsPerLine) {
        yield* enqueueOutbound(channel, line, { _tag: "Staff", staffId: StaffId.make("stf_bench") }, `Reminder ${n}: your appointment is tomorrow.`)
      }
    }
  }
  return lines
})

/** Rounds every 200 virtual ms until nothing is pending; the virtual time of each hand-over, by line number. */
const dispatchAll = Effect.gen(function* () {
  const dispatcher = yield* makeOutboxDispatcher
  const phone = yield* FakeSmsControl
  const sentAt = new Map<string, Array<number>>()
  let seen = 0
  const started = performance.now()
  for (let round = 0; seen < 10_000 && round < 100_000; round++) {
    const now = T0 + round * roundMs
    yield* TestClock.setTime(now)
    yield* dispatcher.dispatchDue()
    const sent = yield* phone.sent
    for (const sms of sent.slice(seen)) sentAt.set(sms.from, [...(sentAt.get(sms.from) ?? []), now])
    seen = sent.length
  }
  return { sentAt, realMs: performance.now() - started }
})

const maxInWindow = (times: ReadonlyArray<number>, windowMs: number) => {
  let max = 0
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++
    max = Math.max(max, i - j + 1)
  }
  return max
}

const main = Effect.gen(function* () {
  const lines = yield* seed
  const { sentAt, realMs } = yield* dispatchAll
  console.log(`\n## Outbox pacing (10,000 texts, virtual clock, rounds every ${roundMs} ms)\n`)
  console.log("| line rate /s | texts | virtual span s | achieved /s | vs limit | most in any window | verdict |")
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
  for (const line of lines) {
    const times = sentAt.get(line.number) ?? []
    const rate = rateWindow(line.ratePerSecond)
    // From the first hand-over to the end of the last one's window: the time the line was busy.
    const spanMs = times.length === 0 ? Number.NaN : times[times.length - 1]! - times[0]! + rate.windowMs
    const achieved = (times.length * 1000) / spanMs
    const most = maxInWindow(times, rate.windowMs)
    const within = Math.abs(achieved / line.ratePerSecond - 1) <= 0.05 && most <= rate.capacity
    console.log(`| ${line.ratePerSecond} | ${times.length} | ${(spanMs / 1000).toFixed(1)} | ${achieved.toFixed(2)} | ${((100 * achieved) / line.ratePerSecond).toFixed(1)} % | ${most} per ${rate.windowMs} ms | ${within ? "met" : "MISSED"} |`)
  }
  console.log(`\nReal time spent dispatching (in-memory stores, fake provider): ${(realMs / 1000).toFixed(1)} s for 10,000 texts.`)
})

await Effect.runPromise(main.pipe(Effect.provide(services)))
