import { ClientId, OrganisationId, StaffId, ThreadId } from "@careline/core"
import { describe, expect, it } from "vitest"
import { world } from "../../../testing/TestServer.js"
import { liveEventsFor } from "../events.js"

const activity = (recipients: ReadonlyArray<{ readonly _tag: "Staff"; readonly staffId: string } | { readonly _tag: "Client"; readonly clientId: string }>, organisation = "org_a") => ({
  _tag: "PortalActivity" as const,
  organisationId: OrganisationId.make(organisation),
  threadId: ThreadId.make("thr_1"),
  recipients: recipients.map((r) => (r._tag === "Staff" ? { _tag: "Staff" as const, staffId: StaffId.make(r.staffId) } : { _tag: "Client" as const, clientId: ClientId.make(r.clientId) }))
})

describe("live events for secure messages", () => {
  it("tells a staff recipient 'secure' with the thread id only; nobody else, and never another organisation", () => {
    const mine = activity([{ _tag: "Staff", staffId: world.staff.spec1.id }, { _tag: "Client", clientId: "client_1" }])
    const data = JSON.stringify({ threadId: "thr_1" })
    expect(liveEventsFor(world.staff.spec1, mine)).toEqual([{ event: "secure", data }, { event: "secure-thr_1", data }])
    expect(liveEventsFor(world.staff.spec2, mine)).toEqual([])
    expect(liveEventsFor(world.staff.spec1, activity([{ _tag: "Client", clientId: "spec_1" }]))).toEqual([])
    expect(liveEventsFor(world.staff.spec1, activity([{ _tag: "Staff", staffId: world.staff.spec1.id }], "org_b"))).toEqual([])
  })
})
