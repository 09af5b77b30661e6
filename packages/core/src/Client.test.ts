import { Option } from "effect"
import { describe, expect, it } from "vitest"
import { type Client, contactLabel, hasPhone, primaryPhone } from "./Client.js"
import type { ClientId, OrganisationId } from "./Ids.js"
import type { Phone, PhoneNumber } from "./PhoneNumber.js"

const mobile = "+15551230001" as PhoneNumber
const home = "+15551230002" as PhoneNumber
const work = "+15551230003" as PhoneNumber
const stranger = "+15559999999" as PhoneNumber

const phone = (number: PhoneNumber, label: Phone["label"], primary: boolean): Phone => ({ number, label, primary, okayToText: false })

const casey = (phones: ReadonlyArray<Phone>): Client => ({
  id: "client-1" as ClientId,
  organisationId: "org-1" as OrganisationId,
  name: "Casey Client",
  active: true,
  blocked: false,
  phones
})

const everyNumber = casey([phone(home, "home", false), phone(mobile, "mobile", true), phone(work, "work", false)])

describe("primaryPhone", () => {
  it("is the phone flagged primary, wherever it is in the list", () => {
    expect(primaryPhone(everyNumber)).toEqual(Option.some(phone(mobile, "mobile", true)))
    expect(primaryPhone(casey([phone(mobile, "mobile", false), phone(work, "work", true)]))).toEqual(Option.some(phone(work, "work", true)))
  })

  it("is none without a primary or without phones", () => {
    expect(primaryPhone(casey([phone(home, "home", false)]))).toEqual(Option.none())
    expect(primaryPhone(casey([]))).toEqual(Option.none())
  })
})

describe("hasPhone", () => {
  it("matches any of the client's numbers, primary or not", () => {
    expect(hasPhone(everyNumber, mobile)).toBe(true)
    expect(hasPhone(everyNumber, home)).toBe(true)
    expect(hasPhone(everyNumber, work)).toBe(true)
  })

  it("not another number, and nothing for a client without phones", () => {
    expect(hasPhone(everyNumber, stranger)).toBe(false)
    expect(hasPhone(casey([]), mobile)).toBe(false)
  })
})

describe("contactLabel", () => {
  it('is "Name – Label" with the label capitalised, for the number that texted', () => {
    expect(contactLabel(everyNumber, mobile)).toBe("Casey Client – Mobile")
    expect(contactLabel(everyNumber, home)).toBe("Casey Client – Home")
    expect(contactLabel(everyNumber, work)).toBe("Casey Client – Work")
  })

  it("uses an en dash with spaces", () => {
    expect(contactLabel(everyNumber, mobile)).toContain(" \u2013 ")
  })

  it("an unknown contact is shown as the bare number", () => {
    expect(contactLabel(undefined, stranger)).toBe(stranger)
  })

  it("a number the client does not have is shown as the bare number", () => {
    expect(contactLabel(everyNumber, stranger)).toBe(stranger)
    expect(contactLabel(casey([]), mobile)).toBe(mobile)
  })
})
