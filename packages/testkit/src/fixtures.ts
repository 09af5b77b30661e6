/**
 * Builders (`make*`: a valid record, with overrides) and fast-check arbitraries (`arb*`) for the
 * domain records. Every value they produce decodes with the record's Schema; ids come from small
 * pools so that generated records collide (same id, same phone) often enough to matter. The ids of
 * parents (organisation, staff, client, line, queue, channel) come from `parentIdPools`, whose records
 * `ParentRecords.ts` stores, so generated rows are valid where references are enforced.
 */
import {
  type Assignment,
  type AuditAction,
  type AuditEvent,
  AuditEventId,
  type BusinessHours,
  type Channel,
  ChannelId,
  type Client,
  ClientId,
  type ConsentEntry,
  type ConsentSource,
  type ConsentState,
  defaultTemplates,
  type Line,
  LineId,
  type Message,
  MessageId,
  type Organisation,
  OrganisationId,
  type OutboxEntry,
  OutboxId,
  type OutboxState,
  PhoneNumber,
  ProviderMessageId,
  type Queue,
  QueueId,
  type Staff,
  StaffId,
  type StaffRole
} from "@careline/core"
import * as fc from "fast-check"

/** 2023-11-14T22:13:20Z: a fixed "now" for fixtures. */
export const T0 = 1_700_000_000_000

export const alwaysClosedUtc: BusinessHours = { timeZone: "UTC", weekly: [], holidays: [] }

/** `+1555` and seven digits from `n`: a valid, obviously fictional E.164 number. */
export const phone = (n: number): PhoneNumber => PhoneNumber.make(`+1555${String(n % 10_000_000).padStart(7, "0")}`)

// ---------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------

export const makeOrganisation = (overrides: Partial<Organisation> = {}): Organisation => ({
  id: OrganisationId.make("org_1"),
  name: "Harbour Care",
  businessHours: alwaysClosedUtc,
  templates: defaultTemplates("Harbour Care"),
  ...overrides
})

export const makeStaff = (overrides: Partial<Staff> = {}): Staff => ({
  id: StaffId.make("staff_1"),
  organisationId: OrganisationId.make("org_1"),
  name: "Sam Staff",
  role: "specialist",
  active: true,
  ...overrides
})

export const makeClient = (overrides: Partial<Client> = {}): Client => ({
  id: ClientId.make("client_1"),
  organisationId: OrganisationId.make("org_1"),
  name: "Casey Client",
  active: true,
  blocked: false,
  phones: [{ number: phone(1), label: "mobile", primary: true, okayToText: true }],
  ...overrides
})

export const makeLine = (overrides: Partial<Line> = {}): Line => ({
  id: LineId.make("line_1"),
  organisationId: OrganisationId.make("org_1"),
  number: phone(9_000_001),
  owner: { _tag: "Organisation" },
  ratePerSecond: 1,
  ...overrides
})

export const makeQueue = (overrides: Partial<Queue> = {}): Queue => ({
  id: QueueId.make("queue_1"),
  organisationId: OrganisationId.make("org_1"),
  name: "Front desk",
  members: [],
  ...overrides
})

export const makeAssignment = (overrides: Partial<Assignment> = {}): Assignment => ({
  staffId: StaffId.make("staff_1"),
  clientId: ClientId.make("client_1"),
  from: T0,
  ...overrides
})

export const makeChannel = (overrides: Partial<Channel> = {}): Channel => ({
  id: ChannelId.make("channel_1"),
  organisationId: OrganisationId.make("org_1"),
  lineId: LineId.make("line_1"),
  phone: phone(1),
  status: "done",
  archived: false,
  repliesAllowed: true,
  unreadCount: 0,
  createdAt: T0,
  lastActivityAt: T0,
  ...overrides
})

/** An inbound text from the client by default; pass `direction: "outbound"` and an author for a send. */
export const makeMessage = (overrides: Partial<Message> = {}): Message => ({
  id: MessageId.make("message_1"),
  organisationId: OrganisationId.make("org_1"),
  channelId: ChannelId.make("channel_1"),
  direction: "inbound",
  author: { _tag: "Client" },
  body: "Hello",
  at: T0,
  status: "received",
  ...overrides
})

export const makeOutboundMessage = (overrides: Partial<Message> = {}): Message =>
  makeMessage({ direction: "outbound", author: { _tag: "Staff", staffId: StaffId.make("staff_1") }, status: "queued", ...overrides })

export const makeOutboxEntry = (overrides: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id: OutboxId.make("outbox_1"),
  organisationId: OrganisationId.make("org_1"),
  messageId: MessageId.make("message_1"),
  lineId: LineId.make("line_1"),
  from: phone(9_000_001),
  to: phone(1),
  body: "Hello",
  state: "pending",
  attempts: 0,
  notBefore: T0,
  createdAt: T0,
  ...overrides
})

export const makeConsentEntry = (overrides: Partial<ConsentEntry> = {}): ConsentEntry => ({
  organisationId: OrganisationId.make("org_1"),
  phone: phone(1),
  at: T0,
  state: "opted_in",
  source: "keyword",
  evidence: "message_1",
  ...overrides
})

export const makeAuditEvent = (overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  id: AuditEventId.make("audit_1"),
  organisationId: OrganisationId.make("org_1"),
  at: T0,
  actor: { _tag: "System" },
  action: "channel.read",
  ...overrides
})

// ---------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------

/** `prefix_1` … `prefix_<pool>`, made with `make` (a branded id's schema `make`). */
export const arbId = <A>(make: (s: string) => A, prefix: string, pool = 5): fc.Arbitrary<A> =>
  fc.integer({ min: 1, max: pool }).map((n) => make(`${prefix}_${n}`))

/** Every id of a pool, `prefix_1` … `prefix_<pool>`: what {@link arbId} draws from. */
export const poolIds = <A>(make: (s: string) => A, prefix: string, pool = 5): ReadonlyArray<A> =>
  Array.from({ length: pool }, (_, i) => make(`${prefix}_${i + 1}`))

/**
 * The pools the arbitraries draw the ids of parent records from (an organisation, a staff author or
 * owner, a client, a line, a queue, a channel). A store that enforces references needs every one of
 * them stored first: `pooledParents` in `ParentRecords.ts` holds a record for each.
 */
export const parentIdPools = {
  organisations: poolIds((s) => OrganisationId.make(s), "org", 2),
  staff: poolIds((s) => StaffId.make(s), "staff", 5),
  clients: poolIds((s) => ClientId.make(s), "client", 5),
  lines: poolIds((s) => LineId.make(s), "line", 3),
  queues: poolIds((s) => QueueId.make(s), "queue", 3),
  channels: poolIds((s) => ChannelId.make(s), "channel", 3)
} as const

export const arbOrganisationId = fc.constantFrom(...parentIdPools.organisations)
export const arbStaffId = fc.constantFrom(...parentIdPools.staff)
export const arbClientId = fc.constantFrom(...parentIdPools.clients)
export const arbLineId = fc.constantFrom(...parentIdPools.lines)
export const arbQueueId = fc.constantFrom(...parentIdPools.queues)
export const arbChannelId = fc.constantFrom(...parentIdPools.channels)
export const arbMessageId = arbId((s) => MessageId.make(s), "message", 50)
export const arbOutboxId = arbId((s) => OutboxId.make(s), "outbox", 50)
export const arbAuditEventId = arbId((s) => AuditEventId.make(s), "audit", 1000)
export const arbProviderMessageId = arbId((s) => ProviderMessageId.make(s), "SM", 10)

/** One of `pool` numbers, so that clients and channels share numbers. */
export const arbPhoneNumber = (pool = 4): fc.Arbitrary<PhoneNumber> => fc.integer({ min: 1, max: pool }).map(phone)

/** Epoch millis within a day of {@link T0}; pass a small `spread` to get many equal instants. */
export const arbMillis = (spread = 86_400_000): fc.Arbitrary<number> => fc.integer({ min: T0, max: T0 + spread })

const arbName = fc.constantFrom("Ada", "Bo", "Chen", "Dara", "Eli", "Femi")

export const arbOrganisation: fc.Arbitrary<Organisation> = fc
  .record({ id: arbOrganisationId, name: arbName })
  .map(({ id, name }) => makeOrganisation({ id, name, templates: defaultTemplates(name) }))

const arbRole: fc.Arbitrary<StaffRole> = fc.constantFrom("specialist", "coordinator", "supervisor", "admin", "front_office")

export const arbStaff: fc.Arbitrary<Staff> = fc
  .record({ id: arbStaffId, organisationId: arbOrganisationId, name: arbName, role: arbRole, active: fc.boolean() })
  .map((fields) => makeStaff(fields))

export const arbClient: fc.Arbitrary<Client> = fc
  .record({
    id: arbClientId,
    organisationId: arbOrganisationId,
    name: arbName,
    active: fc.boolean(),
    blocked: fc.boolean(),
    numbers: fc.uniqueArray(arbPhoneNumber(), { minLength: 1, maxLength: 3 }),
    okayToText: fc.boolean()
  })
  .map(({ numbers, okayToText, ...fields }) =>
    makeClient({
      ...fields,
      phones: numbers.map((number, i) => ({ number, label: i === 0 ? "mobile" : "home", primary: i === 0, okayToText }))
    })
  )

/**
 * Lines of `line_1` … `line_3`. A number belongs to at most one line (the `Directory` contract), so
 * each id has numbers of its own: `line_n` gets one of `phone(9_000_0n1)` … `phone(9_000_0n3)` — never
 * another id's, nor the `phone(9_000_00n)` of the pooled lines. The owner is the organisation, one of
 * `owners.staff` or one of `owners.queues`: parents the caller stores before the line.
 */
export const arbLineOwnedBy = (owners: {
  readonly staff: ReadonlyArray<StaffId>
  readonly queues: ReadonlyArray<QueueId>
}): fc.Arbitrary<Line> => {
  const arbOwner: fc.Arbitrary<Line["owner"]> = fc.oneof(
    fc.constant({ _tag: "Organisation" as const }),
    ...(owners.staff.length === 0 ? [] : [fc.constantFrom(...owners.staff).map((staffId) => ({ _tag: "Staff" as const, staffId }))]),
    ...(owners.queues.length === 0 ? [] : [fc.constantFrom(...owners.queues).map((queueId) => ({ _tag: "Queue" as const, queueId }))])
  )
  return fc
    .record({
      index: fc.integer({ min: 1, max: parentIdPools.lines.length }),
      variant: fc.integer({ min: 1, max: 3 }),
      organisationId: arbOrganisationId,
      owner: arbOwner,
      ratePerSecond: fc.constantFrom(1, 10, 30)
    })
    .map(({ index, variant, ...fields }) =>
      makeLine({ ...fields, id: LineId.make(`line_${index}`), number: phone(9_000_000 + 10 * index + variant) })
    )
}

/** Lines (see {@link arbLineOwnedBy}) owned by the organisation or by pooled staff and queues. */
export const arbLine: fc.Arbitrary<Line> = arbLineOwnedBy({ staff: parentIdPools.staff, queues: parentIdPools.queues })

export const arbChannel: fc.Arbitrary<Channel> = fc
  .record({
    id: arbChannelId,
    organisationId: arbOrganisationId,
    lineId: arbLineId,
    phone: arbPhoneNumber(),
    clientId: fc.option(arbClientId, { nil: undefined }),
    status: fc.constantFrom("unread" as const, "open" as const, "done" as const),
    archived: fc.boolean(),
    createdAt: arbMillis()
  })
  .map(({ clientId, createdAt, ...fields }) =>
    makeChannel({ ...fields, ...(clientId === undefined ? {} : { clientId }), createdAt, lastActivityAt: createdAt })
  )

/** Messages of one channel by default, with few distinct instants so that ties on `at` occur. */
export const arbMessage = (
  options: { readonly channelId?: ChannelId; readonly organisationId?: OrganisationId; readonly spread?: number } = {}
): fc.Arbitrary<Message> =>
  fc
    .record({
      id: arbMessageId,
      direction: fc.constantFrom("inbound" as const, "outbound" as const),
      staffId: arbStaffId,
      body: fc.string({ maxLength: 40 }),
      at: arbMillis(options.spread ?? 5),
      providerMessageId: fc.option(arbProviderMessageId, { nil: undefined })
    })
    .map(({ direction, staffId, providerMessageId, ...fields }) =>
      makeMessage({
        ...fields,
        organisationId: options.organisationId ?? OrganisationId.make("org_1"),
        channelId: options.channelId ?? ChannelId.make("channel_1"),
        direction,
        ...(direction === "inbound"
          ? { author: { _tag: "Client" as const }, status: "received" as const }
          : { author: { _tag: "Staff" as const, staffId }, status: "sent" as const }),
        ...(providerMessageId === undefined ? {} : { providerMessageId })
      })
    )

const arbOutboxState: fc.Arbitrary<OutboxState> = fc.constantFrom("pending", "sending", "sent", "failed", "unknown")

/**
 * Mostly pending entries with creation and due times close together, so ordering and due-ness both vary.
 * Each names a message from a pool of 50 on pooled `line_1`: `parentsOfOutboxEntries` (`ParentRecords.ts`)
 * makes the messages they send, to store first.
 */
export const arbOutboxEntry: fc.Arbitrary<OutboxEntry> = fc
  .record({
    id: arbOutboxId,
    organisationId: arbOrganisationId,
    messageId: arbMessageId,
    to: arbPhoneNumber(),
    body: fc.string({ maxLength: 40 }),
    state: fc.oneof({ arbitrary: fc.constant("pending" as const), weight: 3 }, { arbitrary: arbOutboxState, weight: 1 }),
    attempts: fc.integer({ min: 0, max: 4 }),
    createdAt: arbMillis(10),
    delay: fc.integer({ min: 0, max: 10 })
  })
  .map(({ delay, ...fields }) => makeOutboxEntry({ ...fields, notBefore: fields.createdAt + delay }))

const arbConsentState: fc.Arbitrary<ConsentState> = fc.constantFrom("unknown", "pending", "opted_in", "opted_out")
const arbConsentSource: fc.Arbitrary<ConsentSource> = fc.constantFrom(
  "keyword",
  "staff_attestation",
  "provider_error",
  "import",
  "opt_in_request"
)

export const arbConsentEntry: fc.Arbitrary<ConsentEntry> = fc
  .record({
    organisationId: arbOrganisationId,
    phone: arbPhoneNumber(3),
    at: arbMillis(),
    state: arbConsentState,
    source: arbConsentSource,
    evidence: fc.string({ minLength: 1, maxLength: 12 })
  })
  .map((fields) => makeConsentEntry(fields))

const arbAuditAction: fc.Arbitrary<AuditAction> = fc.constantFrom(
  "channel.read",
  "channel.status",
  "message.send",
  "message.receive",
  "consent.change",
  "assignment.change"
)

export const arbAuditEvent: fc.Arbitrary<AuditEvent> = fc
  .record({
    id: arbAuditEventId,
    organisationId: arbOrganisationId,
    at: arbMillis(),
    actor: fc.oneof(
      fc.constant({ _tag: "System" as const }),
      fc.constant({ _tag: "Client" as const }),
      arbStaffId.map((staffId) => ({ _tag: "Staff" as const, staffId }))
    ),
    action: arbAuditAction,
    clientId: fc.option(arbClientId, { nil: undefined }),
    detail: fc.option(fc.constantFrom("status=done", "staff=staff_2 assigned"), { nil: undefined })
  })
  .map(({ clientId, detail, ...fields }) =>
    makeAuditEvent({ ...fields, ...(clientId === undefined ? {} : { clientId }), ...(detail === undefined ? {} : { detail }) })
  )

/** Sequence-numbered ids for a generated list, so records that must be distinct are (`message_000001`, …). */
export const withSequentialIds = <A extends { readonly id: string }>(
  records: ReadonlyArray<A>,
  make: (id: string) => A["id"],
  prefix: string
): ReadonlyArray<A> => records.map((r, i) => ({ ...r, id: make(`${prefix}_${String(i + 1).padStart(6, "0")}`) }))
