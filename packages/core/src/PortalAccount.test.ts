import { describe, expect, it } from "vitest"
import { ClientId, StaffId } from "./Ids.js"
import { invitationLifetimeMs, invitationStanding, normaliseEmail, type PortalInvitation } from "./PortalAccount.js"

const invitation: PortalInvitation = {
  clientId: ClientId.make("client_1"),
  email: "casey@example.org",
  invitedBy: StaffId.make("staff_1"),
  createdAt: 0,
  expiresAt: invitationLifetimeMs
}

describe("invitationStanding", () => {
  it("is usable until seven days have passed, then expired", () => {
    expect(invitationStanding(invitation, invitationLifetimeMs - 1)).toBe("usable")
    expect(invitationStanding(invitation, invitationLifetimeMs)).toBe("expired")
  })

  it("a used invitation stays used, a replaced one revoked, whatever the time", () => {
    expect(invitationStanding({ ...invitation, usedAt: 5 }, 6)).toBe("used")
    expect(invitationStanding({ ...invitation, usedAt: 5 }, invitationLifetimeMs * 2)).toBe("used")
    expect(invitationStanding({ ...invitation, revokedAt: 5 }, 6)).toBe("revoked")
  })
})

describe("normaliseEmail", () => {
  it("compares emails without case or surrounding spaces", () => {
    expect(normaliseEmail("  Casey@Example.ORG ")).toBe("casey@example.org")
  })
})
