import { ChannelId, type Notification, Notifier, OrganisationId, StaffId } from "@careline/core"
import { runWith } from "@careline/testkit"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { layer, layerWithLog, NotificationLog } from "./MemoryNotifier.js"

const notification = (n: number): Notification => ({
  _tag: "ChannelActivity",
  organisationId: OrganisationId.make("org_1"),
  channelId: ChannelId.make(`channel_${n}`),
  kind: "inbound",
  staffIds: [StaffId.make("staff_1")],
  urgent: n % 2 === 0
})

describe("MemoryNotifier", () => {
  it("records what is published, in order", () =>
    runWith(layerWithLog)(
      Effect.gen(function* () {
        const notifier = yield* Notifier
        expect(yield* NotificationLog.use((log) => log.all)).toEqual([])
        yield* notifier.publish(notification(1))
        yield* notifier.publish(notification(2))
        expect(yield* NotificationLog.use((log) => log.all)).toEqual([notification(1), notification(2)])
      })
    ))

  it("starts empty on every build", () =>
    runWith(layerWithLog)(
      Effect.gen(function* () {
        expect(yield* NotificationLog.use((log) => log.all)).toEqual([])
      })
    ))

  it("publishes without a log reader too", () => runWith(layer)(Notifier.use((notifier) => notifier.publish(notification(1)))))
})
