import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type ClientList, ClientListId, clientListName, usableMembers } from "./ClientList.js"
import { ClientId, OrganisationId, StaffId } from "./Ids.js"

const list = (clientIds: ReadonlyArray<string>): ClientList => ({
  id: ClientListId.make("lst_1"),
  organisationId: OrganisationId.make("org_1"),
  ownerId: StaffId.make("staff_1"),
  name: "Group",
  clientIds: clientIds.map((id) => ClientId.make(id)),
  createdAt: 0,
  updatedAt: 0
})

describe("client list names", () => {
  it("are trimmed, and refused blank or longer than 80 characters", () => {
    expect(clientListName("  Tuesday group ")).toEqual({ ok: true, name: "Tuesday group" })
    expect(clientListName(" \t ")).toEqual({ ok: false, problem: "Give the list a name." })
    expect(clientListName("\u0000")).toEqual({ ok: false, problem: "Use letters, numbers, spaces and punctuation only in the name." })
    expect(clientListName("Tuesday\u0000group")).toEqual({ ok: false, problem: "Use letters, numbers, spaces and punctuation only in the name." })
    expect(clientListName("x".repeat(80)).ok).toBe(true)
    expect(clientListName("x".repeat(81))).toEqual({ ok: false, problem: "Use at most 80 characters for the name." })
  })
})

describe("usableMembers", () => {
  it("property: keeps the accessible clients once each in list order, and counts every other one", () =>
    fc.assert(
      fc.property(fc.array(fc.constantFrom("c1", "c2", "c3", "c4", "c5")), fc.subarray(["c1", "c2", "c3", "c4", "c5"]), (members, reachable) => {
        const { usable, leftOut } = usableMembers(list(members), (id) => reachable.includes(id))
        const unique = [...new Set(members)]
        expect(usable).toEqual(unique.filter((id) => reachable.includes(id)))
        expect(leftOut).toBe(unique.length - usable.length)
      })
    ))
})
