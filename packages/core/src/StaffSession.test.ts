import { describe, expect, it } from "vitest"
import { StaffId } from "./Ids.js"
import { sessionStanding } from "./StaffSession.js"

const minute = 60_000
const session = (startedAt: number, lastSeenAt: number) => ({ staffId: StaffId.make("stf_1"), startedAt, lastSeenAt })

describe("sessionStanding", () => {
  it("is live while used within 30 minutes and younger than 12 hours", () => {
    expect(sessionStanding(session(0, 0), 29 * minute)).toBe("live")
    expect(sessionStanding(session(0, 11 * 60 * minute), 11 * 60 * minute + 29 * minute)).toBe("live")
  })
  it("is idle after 30 minutes without a request", () => {
    expect(sessionStanding(session(0, 0), 30 * minute)).toBe("idle")
  })
  it("is expired 12 hours after sign-in, however active", () => {
    expect(sessionStanding(session(0, 12 * 60 * minute - 1), 12 * 60 * minute)).toBe("expired")
  })
})
