import { describe, expect, it } from "vitest"
import type { OrganisationId, StaffId } from "./Ids.js"
import { mayAddClients, type NewClient, newClientProblem } from "./NewClient.js"
import type { PhoneNumber } from "./PhoneNumber.js"
import type { Staff, StaffRole } from "./Staff.js"

const staff = (role: StaffRole, active = true): Staff => ({ id: "s_1" as StaffId, organisationId: "org_1" as OrganisationId, name: "Sam", role, active })
const mobile = { number: "+15551230001" as PhoneNumber, label: "mobile", primary: true } as const
const home = { number: "+15551230002" as PhoneNumber, label: "home", primary: false } as const
const casey = (overrides: Partial<NewClient> = {}): NewClient => ({ name: "Casey", phones: [mobile, home], ...overrides })

describe("mayAddClients", () => {
  it("coordinators, supervisors and admins, while active", () => {
    const roles: ReadonlyArray<StaffRole> = ["specialist", "coordinator", "supervisor", "admin", "front_office"]
    expect(roles.filter((role) => mayAddClients(staff(role)))).toEqual(["coordinator", "supervisor", "admin"])
    expect(mayAddClients(staff("admin", false))).toBe(false)
  })
})

describe("newClientProblem", () => {
  it("accepts a named client with exactly one primary number, and one with no other details", () => {
    expect(newClientProblem(casey())).toBeUndefined()
    expect(newClientProblem(casey({ phones: [mobile] }))).toBeUndefined()
  })

  it("takes a known IANA time zone and refuses an unknown one", () => {
    expect(newClientProblem(casey({ timeZone: "America/New_York" }))).toBeUndefined()
    expect(newClientProblem(casey({ timeZone: "Mars/Olympus_Mons" }))).toBe("Give the time zone as an IANA name, like America/Chicago.")
  })

  it("refuses control characters in the name (a NUL would cut it short in storage)", () => {
    expect(newClientProblem(casey({ name: "\u0000" }))).toBe("Use letters, numbers, spaces and punctuation only in the name.")
    expect(newClientProblem(casey({ name: "Case\u0000y" }))).toBe("Use letters, numbers, spaces and punctuation only in the name.")
  })

  it("refuses control characters in the email", () => {
    expect(newClientProblem(casey({ email: "casey\u0000@example.org" }))).toBe("An email address cannot contain control characters.")
    expect(newClientProblem(casey({ email: "casey@example.org" }))).toBeUndefined()
  })

  it("refuses a blank name", () => {
    expect(newClientProblem(casey({ name: "  " }))).toBe("A client needs a name.")
  })

  it("refuses no primary number, or two", () => {
    const problem = "Exactly one phone must be the primary number (it is the number texts go to)."
    expect(newClientProblem(casey({ phones: [] }))).toBe(problem)
    expect(newClientProblem(casey({ phones: [home] }))).toBe(problem)
    expect(newClientProblem(casey({ phones: [mobile, { ...home, primary: true }] }))).toBe(problem)
  })

  it("refuses a number listed twice", () => {
    expect(newClientProblem(casey({ phones: [mobile, { ...mobile, primary: false, label: "work" }] }))).toBe("A phone number is listed twice.")
  })
})
