import {
  AccessDenied,
  type Assignment,
  type Channel,
  type Client,
  type ClientId,
  canAccessClient,
  canSeeChannel,
  ConsentLedger,
  type ConsentEntry,
  type ConsentState,
  Conversations,
  Directory,
  foldLedger,
  isCurrent,
  loadChannelContext,
  type Phone,
  requireClient,
  requireOrganisation,
  requireStaff,
  type Staff,
  type StaffId
} from "@careline/core"
import { Effect } from "effect"
import { Roster } from "../../../Roster.js"

export interface ClientRow {
  readonly client: Client
  /** Names of the staff currently assigned. */
  readonly assigned: ReadonlyArray<string>
}

const digits = (text: string) => text.replace(/\D/g, "")

/** Name contains the words, or — with three or more digits typed — a phone number contains them. */
export const matchesSearch = (client: Client, query: string): boolean => {
  const q = query.trim().toLowerCase()
  if (q === "") return true
  if (client.name.toLowerCase().includes(q)) return true
  const wanted = digits(q)
  return wanted.length >= 3 && client.phones.some((p) => digits(p.number).includes(wanted))
}

/**
 * The clients of the staff member's organisation they may access (specialists: only those currently
 * assigned to them), by name, matching the search.
 */
export const accessibleClients = (staff: Staff, query = "") =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const ids = yield* Roster.use((roster) => roster.clientIdsOf(staff.organisationId))
    const clients = yield* directory.getClients(ids)
    const names = new Map((yield* directory.listStaff(staff.organisationId)).map((s) => [s.id as string, s.name]))
    const rows: Array<ClientRow> = []
    for (const client of clients) {
      if (!matchesSearch(client, query)) continue
      const assignments = yield* directory.assignmentsOfClient(client.id)
      if (canAccessClient(staff, client, assignments)._tag === "Denied") continue
      rows.push({ client, assigned: assignments.filter(isCurrent).map((a) => names.get(a.staffId) ?? a.staffId) })
    }
    return rows.sort((a, b) => a.client.name.localeCompare(b.client.name) || a.client.id.localeCompare(b.client.id))
  })

/** A client the staff member may access, or `AccessDenied` (answered 404, like a client that does not exist). */
export const reachableClient = (staffId: StaffId, clientId: ClientId) =>
  Effect.gen(function* () {
    const staff = yield* requireStaff(staffId)
    const client = yield* requireClient(clientId)
    const assignments = yield* Directory.use((d) => d.assignmentsOfClient(client.id))
    const decision = canAccessClient(staff, client, assignments)
    if (decision._tag === "Denied") return yield* new AccessDenied({ reason: decision.reason })
    return { staff, client, assignments }
  })

export interface PhoneView {
  readonly phone: Phone
  readonly consent: ConsentState
  /** The number's consent history, oldest first. */
  readonly ledger: ReadonlyArray<ConsentEntry>
}

export interface ProfileView {
  readonly staff: Staff
  readonly client: Client
  readonly phones: ReadonlyArray<PhoneView>
  readonly assignments: ReadonlyArray<Assignment>
  /** Everyone in the organisation, by id: names for assignments and attestations. */
  readonly colleagues: ReadonlyMap<string, Staff>
  readonly timeZone: string
}

/** Everything the profile shows: phones with each number's consent and ledger, and the assignment history. */
export const loadProfile = (staffId: StaffId, clientId: ClientId) =>
  Effect.gen(function* () {
    const { staff, client, assignments } = yield* reachableClient(staffId, clientId)
    const ledger = yield* ConsentLedger
    const phones: Array<PhoneView> = []
    for (const phone of client.phones) {
      const history = yield* ledger.history(client.organisationId, phone.number)
      phones.push({ phone, consent: foldLedger(history).state, ledger: history })
    }
    const colleagues = new Map((yield* Directory.use((d) => d.listStaff(client.organisationId))).map((s) => [s.id as string, s]))
    const organisation = yield* requireOrganisation(client.organisationId)
    return { staff, client, phones, assignments, colleagues, timeZone: organisation.businessHours.timeZone } satisfies ProfileView
  })

/** The client's channels this staff member may see (their own lines, queues they belong to, org lines for org-wide roles). */
export const visibleChannelsOf = (staff: Staff, clientId: ClientId) =>
  Effect.gen(function* () {
    const channels = yield* Conversations.use((c) => c.channelsOfClient(clientId))
    const visible: Array<Channel> = []
    for (const channel of channels) {
      if (canSeeChannel(staff, yield* loadChannelContext(channel))._tag === "Allowed") visible.push(channel)
    }
    return visible.sort((a, b) => b.lastActivityAt - a.lastActivityAt)
  })
