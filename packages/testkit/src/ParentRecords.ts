/**
 * The records that the rows a conformance test writes refer to — organisations, staff, clients,
 * queues, lines, channels, messages — and a step that stores them through the ports before the test
 * writes its own rows. A store that enforces references (the libSQL schema has a foreign key for every
 * one) refuses a channel of a line it does not have; with its parents seeded, every suite holds against
 * such a store exactly as against one that checks nothing.
 *
 * The `pooled*` records cover the id pools (`parentIdPools`) the `arb*` fixtures draw parent ids from.
 */
import {
  type Channel,
  type Client,
  ClientId,
  Conversations,
  Directory,
  type Line,
  type Message,
  type Organisation,
  type OutboxEntry,
  type Queue,
  type Staff,
  StaffId,
  type StorageError
} from "@careline/core"
import { Effect } from "effect"
import {
  makeChannel,
  makeClient,
  makeLine,
  makeOrganisation,
  makeOutboundMessage,
  makeQueue,
  makeStaff,
  parentIdPools,
  phone
} from "./fixtures.js"

/** Directory records to store, each kind in order; ids must be distinct within a kind. */
export interface DirectoryRecords {
  readonly organisations?: ReadonlyArray<Organisation>
  readonly staff?: ReadonlyArray<Staff>
  readonly clients?: ReadonlyArray<Client>
  readonly queues?: ReadonlyArray<Queue>
  readonly lines?: ReadonlyArray<Line>
}

/** Directory records, and the channels and messages that refer to them. */
export interface ParentRecords extends DirectoryRecords {
  readonly channels?: ReadonlyArray<Channel>
  readonly messages?: ReadonlyArray<Message>
}

const names = ["Ada", "Bo", "Chen", "Dara", "Eli", "Femi"]
const nth = (i: number) => names[i % names.length]!

/** `org_1` (which is `makeOrganisation()`) and `org_2`. */
export const pooledOrganisations: ReadonlyArray<Organisation> = parentIdPools.organisations.map((id, i) =>
  i === 0 ? makeOrganisation() : makeOrganisation({ id, name: `${nth(i)} Care` })
)

/** `staff_1` (which is `makeStaff()`) … `staff_5`, of `org_1`. */
export const pooledStaff: ReadonlyArray<Staff> = parentIdPools.staff.map((id, i) => makeStaff({ id, name: nth(i) }))

/** `client_1` (which is `makeClient()`) … `client_5`, of `org_1`; `client_n` has the number `phone(n)`. */
export const pooledClients: ReadonlyArray<Client> = parentIdPools.clients.map((id, i) =>
  i === 0 ? makeClient() : makeClient({ id, name: nth(i), phones: [{ ...makeClient().phones[0]!, number: phone(i + 1) }] })
)

/** `queue_1` … `queue_3`, of `org_1`, without members. */
export const pooledQueues: ReadonlyArray<Queue> = parentIdPools.queues.map((id, i) => makeQueue({ id, name: `Queue ${i + 1}` }))

/** `line_1` (which is `makeLine()`) … `line_3`, of `org_1`, owned by it; `line_n` has the number `phone(9_000_00n)`. */
export const pooledLines: ReadonlyArray<Line> = parentIdPools.lines.map((id, i) => makeLine({ id, number: phone(9_000_001 + i) }))

/** `channel_1` (which is `makeChannel()`) … `channel_3`, of `org_1` on `line_1`; `channel_n` is with `phone(n)`. */
export const pooledChannels: ReadonlyArray<Channel> = parentIdPools.channels.map((id, i) => makeChannel({ id, phone: phone(i + 1) }))

/** A record for every id of the directory pools: the parents of any generated staff, client, line or audit event. */
export const pooledDirectory: DirectoryRecords = {
  organisations: pooledOrganisations,
  staff: pooledStaff,
  clients: pooledClients,
  queues: pooledQueues,
  lines: pooledLines
}

/** The pooled directory and channels: the parents of any generated channel or message. */
export const pooledParents: ParentRecords = { ...pooledDirectory, channels: pooledChannels }

/** Staff of `org_1` with these ids (e.g. `staff_a`), for tests that name staff outside the pool. */
export const staffNamed = (...ids: ReadonlyArray<string>): ReadonlyArray<Staff> =>
  ids.map((id) => makeStaff({ id: StaffId.make(id), name: id }))

/** Clients of `org_1` with these ids, for tests that name clients outside the pool. */
export const clientsNamed = (...ids: ReadonlyArray<string>): ReadonlyArray<Client> =>
  ids.map((id) => makeClient({ id: ClientId.make(id), name: id }))

/**
 * The outbound message an outbox entry sends: the entry's message id, organisation, body and creation
 * time, by `staff_1` in `channel_1` (both pooled).
 */
export const messageOfOutboxEntry = (entry: OutboxEntry): Message =>
  makeOutboundMessage({ id: entry.messageId, organisationId: entry.organisationId, body: entry.body, at: entry.createdAt })

/**
 * The parents of outbox entries: the pooled directory (their organisations and lines) and channels,
 * and one message per distinct `messageId` (made from the first entry that names it).
 */
export const parentsOfOutboxEntries = (entries: ReadonlyArray<OutboxEntry>): ParentRecords => {
  const messages = new Map<string, Message>()
  for (const entry of entries) if (!messages.has(entry.messageId)) messages.set(entry.messageId, messageOfOutboxEntry(entry))
  return { ...pooledParents, messages: [...messages.values()] }
}

/** Puts the records of one kind; concurrently, so that a store that group-commits writes does it in few transactions. */
const putAll = <A>(records: ReadonlyArray<A> | undefined, put: (record: A) => Effect.Effect<unknown, StorageError>) =>
  Effect.forEach(records ?? [], put, { concurrency: "unbounded", discard: true })

/**
 * Stores directory records through `Directory`, parents before children: organisations, then staff,
 * then clients and queues (a queue's members are staff), then lines (owned by staff or queues).
 */
export const seedDirectory = (records: DirectoryRecords): Effect.Effect<void, StorageError, Directory> =>
  Effect.gen(function* () {
    const directory = yield* Directory
    yield* putAll(records.organisations, (o) => directory.putOrganisation(o))
    yield* putAll(records.staff, (s) => directory.putStaff(s))
    yield* putAll(records.clients, (c) => directory.putClient(c))
    yield* putAll(records.queues, (q) => directory.putQueue(q))
    yield* putAll(records.lines, (l) => directory.putLine(l))
  })

/**
 * Stores parent records through the ports, parents before children: the directory records (see
 * {@link seedDirectory}), then channels (`saveChannel`), then messages (`saveMessage`).
 *
 * @example
 * ```ts
 * run(Effect.gen(function* () {
 *   yield* seedParents(pooledParents)
 *   yield* conversations.recordInbound(makeMessage())
 * }))
 * ```
 */
export const seedParents = (records: ParentRecords): Effect.Effect<void, StorageError, Directory | Conversations> =>
  Effect.gen(function* () {
    yield* seedDirectory(records)
    const conversations = yield* Conversations
    yield* putAll(records.channels, (c) => conversations.saveChannel(c))
    yield* putAll(records.messages, (m) => conversations.saveMessage(m))
  })
