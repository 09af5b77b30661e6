import { Context, type Effect, type Option } from "effect"
import type { Assignment } from "../Assignment.js"
import type { Client } from "../Client.js"
import type { ClientId, LineId, OrganisationId, QueueId, StaffId } from "../Ids.js"
import type { Line } from "../Line.js"
import type { Organisation } from "../Organisation.js"
import type { PhoneNumber } from "../PhoneNumber.js"
import type { Queue } from "../Queue.js"
import type { Staff } from "../Staff.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/** A line as `Directory.linesOfStaff` answers it: with its queue when a queue owns it. */
export interface LineOfStaff {
  readonly line: Line
  readonly queue: Queue | undefined
}

/** Who and what an organisation has: staff, clients, lines, queues and the assignment history. */
export class Directory extends Context.Service<Directory, {
  readonly putOrganisation: (organisation: Organisation) => Io<void>
  readonly getOrganisation: (id: OrganisationId) => Io<Option.Option<Organisation>>
  readonly putStaff: (staff: Staff) => Io<void>
  /** Applies `change` to the stored staff member atomically. */
  readonly updateStaff: (id: StaffId, change: (staff: Staff) => Staff) => Io<Option.Option<Staff>>
  readonly getStaff: (id: StaffId) => Io<Option.Option<Staff>>
  readonly listStaff: (organisationId: OrganisationId) => Io<ReadonlyArray<Staff>>
  readonly putClient: (client: Client) => Io<void>
  /** Applies `change` to the stored client atomically (a block and a consent attestation never undo each other). */
  readonly updateClient: (id: ClientId, change: (client: Client) => Client) => Io<Option.Option<Client>>
  readonly getClient: (id: ClientId) => Io<Option.Option<Client>>
  /** The clients with these ids that exist, in id order: one round trip for a page of rows. */
  readonly getClients: (ids: ReadonlyArray<ClientId>) => Io<ReadonlyArray<Client>>
  /** Every client of the organisation, in id order (e.g. whom a staff member may address). */
  readonly listClients: (organisationId: OrganisationId) => Io<ReadonlyArray<Client>>
  /** Clients of the organisation that have this number, in id order. */
  readonly findClientsByPhone: (organisationId: OrganisationId, phone: PhoneNumber) => Io<ReadonlyArray<Client>>
  readonly putLine: (line: Line) => Io<void>
  readonly getLine: (id: LineId) => Io<Option.Option<Line>>
  /** A number belongs to at most one line across all organisations: it is how inbound texts are routed. */
  readonly findLineByNumber: (number: PhoneNumber) => Io<Option.Option<Line>>
  readonly listLines: (organisationId: OrganisationId) => Io<ReadonlyArray<Line>>
  /**
   * The organisation's lines that the staff member might use, in id order, each with its queue: the
   * lines they own, the organisation's lines, and the lines of the organisation's queues they are a
   * member of. A superset of what `canUseLine` allows (the policy still decides), read at once rather
   * than every line and queue of the organisation.
   */
  readonly linesOfStaff: (organisationId: OrganisationId, staffId: StaffId) => Io<ReadonlyArray<LineOfStaff>>
  readonly putQueue: (queue: Queue) => Io<void>
  readonly getQueue: (id: QueueId) => Io<Option.Option<Queue>>
  readonly listQueues: (organisationId: OrganisationId) => Io<ReadonlyArray<Queue>>
  /** Appends an assignment; history is never rewritten except to close a current one. */
  readonly startAssignment: (assignment: Assignment) => Io<void>
  /** Closes every current assignment of staff to client at `at`; false when there was none. */
  readonly endAssignment: (staffId: StaffId, clientId: ClientId, at: number) => Io<boolean>
  /** The whole history for a client, oldest first. */
  readonly assignmentsOfClient: (clientId: ClientId) => Io<ReadonlyArray<Assignment>>
  /** The histories of several clients in one read (a page of channels): by client id, each oldest first. */
  readonly assignmentsOfClients: (clientIds: ReadonlyArray<ClientId>) => Io<ReadonlyArray<Assignment>>
}>()("@careline/core/Directory") {}
