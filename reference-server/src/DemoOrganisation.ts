import {
  assign,
  Credentials,
  attestConsent,
  type Client,
  ClientCredentials,
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
import { FakeSmsControl } from "@careline/adapter-fake-sms"
import { markDone, ProviderMessageId, readChannel, receiveInbound, sendSms } from "@careline/core"
import { Clock, Effect, Option } from "effect"
import { issueApiToken } from "./ApiTokens.js"
import { seedDemoSecureMessages } from "./DemoSecureMessages.js"
import { Roster } from "./Roster.js"
import { hashPassword } from "./web/Passwords.js"

/** The demo admin, whose token `npm start` prints. */
export const demoAdminEmail = "admin@harbour.example"

/** Every demo staff member signs in with this password (the demo is fiction; `npm start` prints it). */
export const demoPassword = "careline-demo"

/** The demo client with a portal account (Hana Silva, Theo Therapist's client): `npm start` prints this login. */
export const demoClientEmail = "hana@client.example"

/** The demo client's portal password (fiction, like everything in the demo). */
export const demoClientPassword = "careline-client"

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
      crisisWords: crisisWords ?? ["suicide", "kill myself", "overdose"],
      // The demo client sees their texts in the portal too (Settings › Client portal and email).
      portalShowsSms: true
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

    const seededClients: Array<Client> = []
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
      seededClients.push(client)
      if (n < 14) yield* assign({ actorId: coordinator.id, staffId: n < 7 ? peer.id : therapist.id, clientId: client.id })
      if (n < 12) yield* attestConsent({ staffId: coordinator.id, clientId: client.id })
    }

    yield* seedDemoPortalClient(seededClients[7]!)
    yield* seedDemoConversations({ peer, therapist, coordinator, peerLine: lines[1]!, therapistLine: lines[2]!, queueLine: lines[4]!, clients: seededClients })
    yield* seedDemoSecureMessages({ therapist, coordinator, frontDesk, clients: seededClients })

    const adminToken = yield* issueApiToken(admin.id)
    return { organisation, staff, lines, clients: clientNames.length, adminToken } satisfies DemoSeeded
  })

interface DemoCast {
  readonly peer: Staff
  readonly therapist: Staff
  readonly coordinator: Staff
  readonly peerLine: Line
  readonly therapistLine: Line
  readonly queueLine: Line
  readonly clients: ReadonlyArray<Client>
}

/**
 * A few conversations so the demo's inbox is not empty, all through the core's services (texts in
 * through `receiveInbound`, staff replies through `sendSms`, queued for the outbox): Alex ↔ Pat
 * (done), Bea → Pat (unread), Cal ↔ the Front desk queue (open), Pat → Dee (a check-in) and
 * Hana ↔ Theo. With the fake provider, the clients' texts are also in its traffic, so the phone
 * simulator shows them.
 */
const seedDemoConversations = (cast: DemoCast) =>
  Effect.gen(function* () {
    const fake = yield* Effect.serviceOption(FakeSmsControl)
    const ids = yield* Ids
    const [alex, bea, cal, dee, , , , hana] = cast.clients as [Client, Client, Client, Client, Client, Client, Client, Client]
    const textIn = (client: Client, line: Line, body: string) =>
      Effect.gen(function* () {
        const fields = { from: client.phones[0]!.number, to: line.number, body }
        const sms = Option.isSome(fake)
          ? yield* fake.value.inbound(fields)
          : { ...fields, providerMessageId: ProviderMessageId.make(yield* ids.next("demo")) }
        const outcome = yield* receiveInbound(sms)
        return outcome._tag === "Stored" ? Option.some(outcome.channel.id) : Option.none()
      })
    const staffReply = (staff: Staff, client: Client, body: string, line?: Line) =>
      sendSms({ staffId: staff.id, clientId: client.id, body, ...(line === undefined ? {} : { lineId: line.id }) })

    const alexChannel = yield* textIn(alex, cast.peerLine, "Hi Pat, is the Thursday group still on this week?")
    if (Option.isSome(alexChannel)) yield* readChannel({ staffId: cast.peer.id, channelId: alexChannel.value })
    yield* staffReply(cast.peer, alex, "Hi Alex, yes: 6pm in the community room as usual. See you there!")
    yield* textIn(alex, cast.peerLine, "Great, thanks. I'll be there.")
    if (Option.isSome(alexChannel)) {
      yield* readChannel({ staffId: cast.peer.id, channelId: alexChannel.value })
      yield* markDone({ staffId: cast.peer.id, channelId: alexChannel.value })
    }

    yield* staffReply(cast.peer, dee, "Hi Dee, just checking in after Monday. How are you doing this week?")

    const calChannel = yield* textIn(cal, cast.queueLine, "Hello, can I move my Friday appointment to next week?")
    if (Option.isSome(calChannel)) yield* readChannel({ staffId: cast.coordinator.id, channelId: calChannel.value })
    yield* staffReply(cast.coordinator, cal, "Hi Cal, of course. Would Tuesday at 10am work for you?", cast.queueLine)

    const hanaChannel = yield* textIn(hana, cast.therapistLine, "Could we do Wednesday's session by phone instead?")
    if (Option.isSome(hanaChannel)) yield* readChannel({ staffId: cast.therapist.id, channelId: hanaChannel.value })
    yield* staffReply(cast.therapist, hana, "Yes, that works. I'll call you at 2pm on Wednesday.")

    yield* textIn(bea, cast.peerLine, "Running about 10 minutes late for our 2pm, sorry!")
  })

/**
 * Gives Hana an email and a portal account with `demoClientPassword`, as if she had accepted an
 * invitation, so one can sign in to `/portal` and play the client.
 */
const seedDemoPortalClient = (client: Client) =>
  Effect.gen(function* () {
    yield* Directory.use((d) => d.updateClient(client.id, (current) => ({ ...current, email: demoClientEmail })))
    const passwordHash = yield* hashPassword(demoClientPassword)
    const now = yield* Clock.currentTimeMillis
    yield* ClientCredentials.use((c) => c.setAccount(client.id, demoClientEmail, passwordHash, now))
  })

/** Whether the database has no organisation at all (a first start). */
export const databaseIsEmpty = Roster.use((roster) => Effect.map(roster.organisationIds, (ids) => ids.length === 0))
