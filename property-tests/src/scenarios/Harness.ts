import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { NotificationLog } from "@careline/adapter-memory"
import { attestConsent, AuditLog, type ChannelNotification, type ClientId, type PhoneNumber, receiveInbound } from "@careline/core"
import { Effect } from "effect"
import { org, staff } from "../Scenario.js"

/** A client's text to one of the organisation's numbers, through the fake provider. */
export const clientTexts = (from: PhoneNumber, to: PhoneNumber, body: string) =>
  Effect.gen(function* () {
    const phone = yield* FakeSmsControl
    return yield* receiveInbound(yield* phone.inbound({ from, to, body }))
  })

export const optIn = (clientId: ClientId) => attestConsent({ staffId: staff.coord, clientId })

export const sentTexts = FakeSmsControl.use((c) => c.sent)
/** The channel notifications published so far (portal and chat ones are other suites' business). */
export const notifications = NotificationLog.use((log) =>
  Effect.map(log.all, (all) => all.filter((n): n is ChannelNotification => n._tag === "ChannelActivity")))
export const auditTrail = AuditLog.use((log) => log.list(org, {}))
