import { Directory, type Line, type PhoneNumber } from "@careline/core"
import { Effect, Option } from "effect"
import { Roster } from "../../../Roster.js"

/** A client's number as the simulator lists it: whose handset it plays. */
export interface ClientNumber {
  readonly number: PhoneNumber
  readonly name: string
  readonly label: string
}

/** One of an organisation's lines, with who answers it. */
export interface OrgLine {
  readonly number: PhoneNumber
  readonly description: string
  /** The organisation's time zone: the demo phone shows times as someone there would see them. */
  readonly timeZone: string
}

export interface OrganisationBook {
  readonly name: string
  readonly clients: ReadonlyArray<ClientNumber>
  readonly lines: ReadonlyArray<OrgLine>
}

const describeOwner = (line: Line, organisationName: string) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const owner = line.owner
    switch (owner._tag) {
      case "Organisation":
        return `${organisationName} (organisation line)`
      case "Staff":
        return `${Option.match(yield* directory.getStaff(owner.staffId), { onNone: () => "A staff member", onSome: (s) => s.name })} (personal line)`
      case "Queue":
        return `${Option.match(yield* directory.getQueue(owner.queueId), { onNone: () => "A queue", onSome: (q) => q.name })} (queue)`
    }
  })

/**
 * Every organisation's client numbers and lines, for the phone simulator's pickers. Only ever built
 * with the fake SMS provider, where the people and numbers are a demo's.
 */
export const phoneBook = Effect.gen(function* () {
  const directory = yield* Directory
  const roster = yield* Roster
  const books: Array<OrganisationBook> = []
  for (const organisationId of yield* roster.organisationIds) {
    const organisation = yield* directory.getOrganisation(organisationId)
    if (Option.isNone(organisation)) continue
    const clients: Array<ClientNumber> = []
    for (const clientId of yield* roster.clientIdsOf(organisationId)) {
      const client = yield* directory.getClient(clientId)
      if (Option.isNone(client)) continue
      for (const phone of client.value.phones) clients.push({ number: phone.number, name: client.value.name, label: phone.label })
    }
    const lines: Array<OrgLine> = []
    for (const line of yield* directory.listLines(organisationId)) {
      lines.push({ number: line.number, description: yield* describeOwner(line, organisation.value.name), timeZone: organisation.value.businessHours.timeZone })
    }
    clients.sort((a, b) => a.name.localeCompare(b.name))
    books.push({ name: organisation.value.name, clients, lines })
  }
  return books
})

/** The line with this number, from the book. */
export const findLine = (books: ReadonlyArray<OrganisationBook>, number: string) =>
  books.flatMap((b) => b.lines).find((line) => line.number === number)

/** Who has this number, from the book (undefined for a number no client has). */
export const findClientNumber = (books: ReadonlyArray<OrganisationBook>, number: string) =>
  books.flatMap((b) => b.clients).find((c) => c.number === number)
