import { ChannelId, type Notification, Notifier, OrganisationId, StaffId } from "@careline/core"
import { Effect, Fiber, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { LiveEvents, layer } from "./LiveNotifier.js"

const nudge = (channel: string): Notification => ({
  _tag: "ChannelActivity",
  organisationId: OrganisationId.make("org_1"),
  channelId: ChannelId.make(channel),
  kind: "inbound",
  staffIds: [StaffId.make("stf_1")],
  urgent: false
})

describe("LiveNotifier", () => {
  it("delivers each notification published after subscribing to every listener, in order", () =>
    Effect.runPromise(Effect.gen(function* () {
      const live = yield* LiveEvents
      const notifier = yield* Notifier
      const first = yield* Effect.forkChild(Stream.runCollect(Stream.take(live.stream, 2)))
      const second = yield* Effect.forkChild(Stream.runCollect(Stream.take(live.stream, 2)))
      yield* Effect.yieldNow
      yield* notifier.publish(nudge("chn_1"))
      yield* notifier.publish(nudge("chn_2"))
      const ids = (all: ReadonlyArray<Notification>) => all.map((n) => (n._tag === "ChannelActivity" ? n.channelId : n._tag))
      expect(ids(yield* Fiber.join(first))).toEqual(["chn_1", "chn_2"])
      expect(ids(yield* Fiber.join(second))).toEqual(["chn_1", "chn_2"])
    }).pipe(Effect.provide(layer))))

  it("publishing with nobody listening neither fails nor waits", () =>
    Effect.runPromise(Effect.gen(function* () {
      const notifier = yield* Notifier
      for (let i = 0; i < 5000; i++) yield* notifier.publish(nudge(`chn_${i}`))
    }).pipe(Effect.provide(layer))))
})
