import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { isManagerRole, isOrgWideRole, Staff, type StaffRole } from "./Staff.js"

const roles: ReadonlyArray<StaffRole> = ["specialist", "coordinator", "supervisor", "admin", "front_office"]

describe("isOrgWideRole", () => {
  it("every role but specialist reaches the whole organisation", () => {
    const expected: Record<StaffRole, boolean> = {
      specialist: false,
      coordinator: true,
      supervisor: true,
      admin: true,
      front_office: true
    }
    for (const role of roles) expect(isOrgWideRole(role), role).toBe(expected[role])
  })
})

describe("isManagerRole", () => {
  it("only supervisor and admin", () => {
    const expected: Record<StaffRole, boolean> = {
      specialist: false,
      coordinator: false,
      supervisor: true,
      admin: true,
      front_office: false
    }
    for (const role of roles) expect(isManagerRole(role), role).toBe(expected[role])
  })
})

describe("Staff schema", () => {
  const valid = { id: "s1", organisationId: "o1", name: "Sam", role: "coordinator", active: true }

  it("decodes a staff member, with or without email", () => {
    expect(Result.isSuccess(Schema.decodeUnknownResult(Staff)(valid))).toBe(true)
    expect(Result.isSuccess(Schema.decodeUnknownResult(Staff)({ ...valid, email: "sam@example.org" }))).toBe(true)
  })

  it("rejects an unknown role and an empty name", () => {
    expect(Result.isFailure(Schema.decodeUnknownResult(Staff)({ ...valid, role: "owner" }))).toBe(true)
    expect(Result.isFailure(Schema.decodeUnknownResult(Staff)({ ...valid, name: "" }))).toBe(true)
  })
})
