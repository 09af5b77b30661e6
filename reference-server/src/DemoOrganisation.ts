import {
  assign,
  Credentials,
  attestConsent,
  type Client,
  ClientId,
  defaultTemplates,
  Directory,
  Ids,
  type Line,
  LineId,
  type Organisation,
  OrganisationId,
  PhoneNumber,
  type Queue,
  QueueId,
  type Staff,
  StaffId,
  type StaffRole
} from "@careline/core"
import { Clock, Effect } from "effect"
import { issueApiToken } from "./ApiTokens.js"
import { Roster } from "./Roster.js"
import { hashPassword } from "./web/Passwords.js"

/** The demo admin, whose token `npm start` prints. */
export const demoAdminEmail = "admin@harbour.example"

/** Every demo staff member signs in with this password (the demo is fiction; `npm start` prints it). */
export const demoPassword = "careline-demo"

const demoStaff: ReadonlyArray<{ readonly key: string; readonly name: string; readonly role: StaffRole }> = [
  { key: "admin", name: "Ada Admin", role: "admin" },
  { key: "supervisor", name: "Sam Supervisor", role: "supervisor" },
  { key: "coordinator", name: "Cory Coordinator", role: "coordinator" },
  { key: "peer", name: "Pat Peer", role: "specialist" },
  { key: "therapist", name: "Theo Therapist", role: "specialist" },
  { key: "frontdesk", name: "Fran Front", role: "front_office" }
]

const clientNames = [
  "Alex Rivera", "Bea Chen", "Cal Okafor", "Dee Novak", "Eli Haddad", "Fay Murphy", "Gus Tanaka", "Hana Silva",
  "Ira Kowalski", "Jo Mensah", "Kai Larsen", "Lena Petrova", "Mo Farah", "Nia Brooks", "Oli Svensson", "Pia Rossi",
  "Quin Adeyemi", "Ray Dubois", "Sol Moreno", "Tess Nguyen"
]

/** 555-01XX numbers are set aside for fiction in every North American area code. */
const demoNumber = (n: number) => PhoneNumber.make(`+1312555${String(100 + n).padStart(4, "0")}`)

export interface DemoSeeded {
  readonly organisation: Organisation
  readonly staff: ReadonlyArray<Staff>
  readonly lines: ReadonlyArray<Line>
  readonly clients: number
  /** A fresh API token of the demo admin; shown once. */
  readonly adminToken: string
}

/**
 * A demo organisation: an admin, a supervisor, a coordinator, two specialists and front office;
 * 20 clients with phones (the first 14 assigned, 7 to each specialist; the first 12 with "okay to
 * text" recorded, so they can be texted at once); personal lines for the specialists and the
 * coordinator, an organisation line and a "Front desk" queue line. All numbers are fictional; every
 * staff member signs in with `demoPassword`.
 */
export const seedDemoOrganisation = (crisisWords: ReadonlyArray<string> | undefined) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const ids = yield* Ids
    const id = <A>(prefix: string, make: (s: string) => A) => Effect.map(ids.next(prefix), make)
    const organisation: Organisation = {
      id: yield* id("org", OrganisationId.make),
      name: "Harbour Demo Care",
      businessHours: {
        timeZone: "America/Chicago",
        weekly: (["mon", "tue", "wed", "thu", "fri"] as const).map((day) => ({ day, opens: "09:00", closes: "17:00" })),
        holidays: []
      },
      templates: {
        ...defaultTemplates("Harbour Demo Care"),
        afterHours: "Harbour Demo Care: we are closed and will answer during business hours. In an emergency call 911, or 988 for a crisis line."
      },
      crisisWords: crisisWords ?? ["suicide", "kill myself", "overdose"]
    }
    yield* directory.putOrganisation(organisation)

    const staff: Array<Staff> = []
    for (const member of demoStaff) {
      const record: Staff = {
        id: yield* id("stf", StaffId.make),
        organisationId: organisation.id,
        name: member.name,
        email: member.key === "admin" ? demoAdminEmail : `${member.key}@harbour.example`,
        role: member.role,
        active: true
      }
      yield* directory.putStaff(record)
      staff.push(record)
    }
    const [admin, supervisor, coordinator, peer, therapist, frontDesk] = staff as [Staff, Staff, Staff, Staff, Staff, Staff]
    const demoPasswordHash = yield* hashPassword(demoPassword)
    const now = yield* Clock.currentTimeMillis
    for (const member of staff) yield* Credentials.use((c) => c.setPassword(member.id, demoPasswordHash, now))

    const queue: Queue = {
      id: yield* id("que", QueueId.make),
      organisationId: organisation.id,
      name: "Front desk",
      members: [frontDesk.id, coordinator.id, supervisor.id]
    }
    yield* directory.putQueue(queue)
    const lines: Array<Line> = []
    const owners: ReadonlyArray<Line["owner"]> = [
      { _tag: "Organisation" },
      { _tag: "Staff", staffId: peer.id },
      { _tag: "Staff", staffId: therapist.id },
      { _tag: "Staff", staffId: coordinator.id },
      { _tag: "Queue", queueId: queue.id }
    ]
    for (const [n, owner] of owners.entries()) {
      const line: Line = { id: yield* id("lin", LineId.make), organisationId: organisation.id, number: demoNumber(n), owner, ratePerSecond: 1 }
      yield* directory.putLine(line)
      lines.push(line)
    }

    for (const [n, name] of clientNames.entries()) {
      const client: Client = {
        id: yield* id("cli", ClientId.make),
        organisationId: organisation.id,
        name,
        active: true,
        blocked: false,
        phones: [
          { number: demoNumber(50 + n), label: "mobile", primary: true, okayToText: false },
          ...(n % 4 === 0 ? [{ number: demoNumber(80 + n / 4), label: "home" as const, primary: false, okayToText: false }] : [])
        ]
      }
      yield* directory.putClient(client)
      if (n < 14) yield* assign({ actorId: coordinator.id, staffId: n < 7 ? peer.id : therapist.id, clientId: client.id })
      if (n < 12) yield* attestConsent({ staffId: coordinator.id, clientId: client.id })
    }

    const adminToken = yield* issueApiToken(admin.id)
    return { organisation, staff, lines, clients: clientNames.length, adminToken } satisfies DemoSeeded
  })

/** Whether the database has no organisation at all (a first start). */
export const databaseIsEmpty = Roster.use((roster) => Effect.map(roster.organisationIds, (ids) => ids.length === 0))
