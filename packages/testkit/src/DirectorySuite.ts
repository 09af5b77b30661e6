import { ClientId, Directory, type Line, LineId, OrganisationId, QueueId, StaffId } from "@careline/core"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  arbClient,
  arbLineOwnedBy,
  arbStaff,
  makeAssignment,
  makeClient,
  makeLine,
  makeOrganisation,
  makeQueue,
  makeStaff,
  phone,
  T0
} from "./fixtures.js"
import { clientsNamed, pooledOrganisations, pooledQueues, seedDirectory, staffNamed } from "./ParentRecords.js"
import { runWith } from "./runEffect.js"

const org1 = OrganisationId.make("org_1")
const org2 = OrganisationId.make("org_2")
const byId = <A extends { readonly id: string }>(records: Iterable<A>): Array<A> =>
  [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
/** The last record put for each id wins. */
const upserted = <A extends { readonly id: string }>(records: ReadonlyArray<A>): Array<A> =>
  byId(new Map(records.map((r) => [r.id, r])).values())

/** Every test's rows belong to `org_1` or `org_2`: stored first, for a store that enforces references. */
const seedOrganisations = seedDirectory({ organisations: pooledOrganisations })

/**
 * The behaviour every `Directory` adapter must show. Each test runs against a fresh build of `layer`
 * (which may fail to build: the test then fails with why), after storing the parents of its rows —
 * organisations, and the staff and clients an assignment names — so it holds on a store that enforces
 * references. No two lines ever share a number: the port says a number belongs to at most one line.
 *
 * @example
 * ```ts
 * directorySuite("memory", MemoryStores.layer)
 * ```
 */
export const directorySuite = (name: string, layer: Layer.Layer<Directory, unknown>) =>
  describe(`Directory (${name})`, () => {
    const run = runWith(layer)

    it("gets nothing it was not given", () =>
      run(
        Effect.gen(function* () {
          const directory = yield* Directory
          expect(yield* directory.getOrganisation(org1)).toEqual(Option.none())
          expect(yield* directory.getStaff(StaffId.make("staff_1"))).toEqual(Option.none())
          expect(yield* directory.getClient(ClientId.make("client_1"))).toEqual(Option.none())
          expect(yield* directory.getLine(LineId.make("line_1"))).toEqual(Option.none())
          expect(yield* directory.getQueue(QueueId.make("queue_1"))).toEqual(Option.none())
          expect(yield* directory.findLineByNumber(phone(9_000_001))).toEqual(Option.none())
          expect(yield* directory.listStaff(org1)).toEqual([])
          expect(yield* directory.assignmentsOfClient(ClientId.make("client_1"))).toEqual([])
        })
      ))

    it("put* upserts by id", () =>
      run(
        Effect.gen(function* () {
          const directory = yield* Directory
          yield* seedOrganisations
          yield* directory.putOrganisation(makeOrganisation({ name: "Old" }))
          yield* directory.putOrganisation(makeOrganisation({ name: "New" }))
          expect(yield* directory.getOrganisation(org1)).toEqual(Option.some(makeOrganisation({ name: "New" })))
          const withPortalSettings = makeOrganisation({ portalShowsSms: true, emailCarriesContent: false })
          yield* directory.putOrganisation(withPortalSettings)
          expect(yield* directory.getOrganisation(org1)).toEqual(Option.some(withPortalSettings))

          yield* directory.putStaff(makeStaff({ role: "specialist" }))
          yield* directory.putStaff(makeStaff({ role: "admin", email: "a@example.org" }))
          expect(yield* directory.getStaff(StaffId.make("staff_1"))).toEqual(
            Option.some(makeStaff({ role: "admin", email: "a@example.org" }))
          )
          expect(yield* directory.listStaff(org1)).toHaveLength(1)

          yield* directory.putClient(makeClient({ blocked: false }))
          yield* directory.putClient(makeClient({ blocked: true, timeZone: "Europe/Berlin" }))
          expect(yield* directory.getClient(ClientId.make("client_1"))).toEqual(Option.some(makeClient({ blocked: true, timeZone: "Europe/Berlin" })))

          yield* directory.putLine(makeLine({ number: phone(9_000_001) }))
          yield* directory.putLine(makeLine({ number: phone(9_000_002) }))
          expect(yield* directory.getLine(LineId.make("line_1"))).toEqual(Option.some(makeLine({ number: phone(9_000_002) })))
          expect(yield* directory.findLineByNumber(phone(9_000_001))).toEqual(Option.none())

          yield* directory.putQueue(makeQueue({ members: [] }))
          yield* directory.putQueue(makeQueue({ members: [StaffId.make("staff_1")] }))
          expect(yield* directory.getQueue(QueueId.make("queue_1"))).toEqual(
            Option.some(makeQueue({ members: [StaffId.make("staff_1")] }))
          )
          expect(yield* directory.listQueues(org1)).toHaveLength(1)
        })
      ))

    it("updateClient and updateStaff apply concurrent changes without losing one", () =>
      run(
        Effect.gen(function* () {
          const directory = yield* Directory
          yield* seedOrganisations
          yield* directory.putClient(makeClient())
          yield* directory.putStaff(makeStaff())
          const client = ClientId.make("client_1")
          yield* Effect.all([
            directory.updateClient(client, (c) => ({ ...c, blocked: true })),
            directory.updateClient(client, (c) => ({ ...c, phones: c.phones.map((p) => ({ ...p, okayToText: !p.okayToText })) })),
            directory.updateStaff(StaffId.make("staff_1"), (s) => ({ ...s, role: "admin" })),
            directory.updateStaff(StaffId.make("staff_1"), (s) => ({ ...s, active: false }))
          ], { concurrency: "unbounded" })
          const stored = Option.getOrThrow(yield* directory.getClient(client))
          expect(stored.blocked).toBe(true)
          expect(stored.phones.map((p) => p.okayToText)).toEqual(makeClient().phones.map((p) => !p.okayToText))
          expect(yield* directory.getStaff(StaffId.make("staff_1"))).toEqual(Option.some(makeStaff({ role: "admin", active: false })))
          expect(yield* directory.updateClient(ClientId.make("nobody"), (c) => c)).toEqual(Option.none())
        })
      ))

    it("lists staff, lines and queues of one organisation, in id order", () =>
      run(
        Effect.gen(function* () {
          const directory = yield* Directory
          yield* seedOrganisations
          for (const id of ["staff_3", "staff_1", "staff_2"]) {
            yield* directory.putStaff(makeStaff({ id: StaffId.make(id) }))
          }
          yield* directory.putStaff(makeStaff({ id: StaffId.make("staff_0"), organisationId: org2 }))
          for (const [id, n] of [["line_b", 2], ["line_a", 1]] as const) {
            yield* directory.putLine(makeLine({ id: LineId.make(id), number: phone(9_000_000 + n) }))
          }
          yield* directory.putLine(makeLine({ id: LineId.make("line_0"), organisationId: org2, number: phone(9_000_003) }))
          for (const id of ["queue_z", "queue_y"]) yield* directory.putQueue(makeQueue({ id: QueueId.make(id) }))
          yield* directory.putQueue(makeQueue({ id: QueueId.make("queue_0"), organisationId: org2 }))

          expect((yield* directory.listStaff(org1)).map((s) => s.id)).toEqual(["staff_1", "staff_2", "staff_3"])
          expect((yield* directory.listStaff(org2)).map((s) => s.id)).toEqual(["staff_0"])
          expect((yield* directory.listLines(org1)).map((l) => l.id)).toEqual(["line_a", "line_b"])
          expect((yield* directory.listQueues(org1)).map((q) => q.id)).toEqual(["queue_y", "queue_z"])
          expect(yield* directory.listQueues(OrganisationId.make("org_none"))).toEqual([])
        })
      ))

    it("linesOfStaff: the staff member's own lines, the organisation's and those of their queues, each with its queue", () =>
      run(
        Effect.gen(function* () {
          const directory = yield* Directory
          yield* seedDirectory({ organisations: pooledOrganisations, staff: staffNamed("staff_a", "staff_b") })
          const [a, b] = [StaffId.make("staff_a"), StaffId.make("staff_b")]
          const theirs = makeQueue({ id: QueueId.make("queue_y"), members: [b, a] })
          const notTheirs = makeQueue({ id: QueueId.make("queue_z"), members: [b] })
          const otherOrg = makeQueue({ id: QueueId.make("queue_x"), organisationId: org2, members: [a] })
          for (const queue of [theirs, notTheirs, otherOrg]) yield* directory.putQueue(queue)
          const line = (id: string, n: number, owner: Line["owner"], organisationId = org1) =>
            makeLine({ id: LineId.make(id), number: phone(9_000_000 + n), owner, organisationId })
          const own = line("line_1", 1, { _tag: "Staff", staffId: a })
          const colleagues = line("line_2", 2, { _tag: "Staff", staffId: b })
          const organisation = line("line_3", 3, { _tag: "Organisation" })
          const queueY = line("line_4", 4, { _tag: "Queue", queueId: theirs.id })
          const queueZ = line("line_5", 5, { _tag: "Queue", queueId: notTheirs.id })
          const elsewhere = line("line_6", 6, { _tag: "Organisation" }, org2)
          const foreignQueue = line("line_7", 7, { _tag: "Queue", queueId: otherOrg.id })
          for (const l of [foreignQueue, elsewhere, queueZ, queueY, organisation, colleagues, own]) yield* directory.putLine(l)
          expect(yield* directory.linesOfStaff(org1, a)).toEqual([
            { line: own, queue: undefined },
            { line: organisation, queue: undefined },
            { line: queueY, queue: theirs }
          ])
          expect(yield* directory.linesOfStaff(org2, a)).toEqual([{ line: elsewhere, queue: undefined }])
          expect(yield* directory.linesOfStaff(org1, StaffId.make("nobody"))).toEqual([{ line: organisation, queue: undefined }])
        })
      ))

    it("property: linesOfStaff is the lines a staff member might use of listLines, with their queues from listQueues", () =>
      fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(arbStaff, { selector: (s) => s.id, maxLength: 6 }).chain((staff) =>
            fc
              .record({
                queues: fc.tuple(
                  ...pooledQueues.map((q) =>
                    fc.record({ organisationId: fc.constantFrom(org1, org2), members: fc.shuffledSubarray(staff.map((s) => s.id)) })
                      .map((fields) => ({ ...q, ...fields })))
                ),
                lines: fc.array(arbLineOwnedBy({ staff: staff.map((s) => s.id), queues: pooledQueues.map((q) => q.id) }), { maxLength: 8 })
              })
              .map((world) => ({ staff, ...world }))
          ),
          ({ staff, queues, lines }) =>
            run(
              Effect.gen(function* () {
                const directory = yield* Directory
                yield* seedOrganisations
                for (const s of staff) yield* directory.putStaff(s)
                for (const q of queues) yield* directory.putQueue(q)
                for (const l of lines) yield* directory.putLine(l)
                for (const organisationId of [org1, org2]) {
                  const ofOrganisation = new Map((yield* directory.listQueues(organisationId)).map((q) => [q.id, q]))
                  for (const staffId of [...staff.map((s) => s.id), StaffId.make("nobody")]) {
                    const expected = (yield* directory.listLines(organisationId)).flatMap((line) => {
                      const owner = line.owner
                      const queue = owner._tag === "Queue" ? ofOrganisation.get(owner.queueId) : undefined
                      const might = owner._tag === "Organisation" ||
                        (owner._tag === "Staff" && owner.staffId === staffId) ||
                        (queue?.members.includes(staffId) ?? false)
                      return might ? [{ line, queue }] : []
                    })
                    expect(yield* directory.linesOfStaff(organisationId, staffId)).toEqual(expected)
                  }
                }
              })
            )
        ),
        { numRuns: 30 }
      ))

    it("lists the clients of one organisation with their phones, in id order", () =>
      run(
        Effect.gen(function* () {
          const directory = yield* Directory
          yield* seedOrganisations
          const two = makeClient({ id: ClientId.make("client_b"), phones: [...makeClient().phones, { number: phone(77), label: "work", primary: false, okayToText: true }] })
          yield* directory.putClient(two)
          yield* directory.putClient(makeClient({ id: ClientId.make("client_a"), active: false }))
          yield* directory.putClient(makeClient({ id: ClientId.make("client_x"), organisationId: org2 }))
          expect(yield* directory.listClients(org1)).toEqual([makeClient({ id: ClientId.make("client_a"), active: false }), two])
          expect((yield* directory.listClients(org2)).map((c) => c.id)).toEqual(["client_x"])
          expect(yield* directory.listClients(OrganisationId.make("org_none"))).toEqual([])
        })
      ))

    it("finds the clients of an organisation that have a number, any of their numbers, in id order", () =>
      run(
        Effect.gen(function* () {
          const directory = yield* Directory
          yield* seedOrganisations
          const shared = phone(42)
          const second = { number: shared, label: "home" as const, primary: false, okayToText: false }
          yield* directory.putClient(makeClient({ id: ClientId.make("client_b"), phones: [{ ...second, primary: true }] }))
          yield* directory.putClient(
            makeClient({ id: ClientId.make("client_a"), phones: [...makeClient().phones, second] })
          )
          yield* directory.putClient(makeClient({ id: ClientId.make("client_c") }))
          yield* directory.putClient(makeClient({ id: ClientId.make("client_x"), organisationId: org2, phones: [second] }))

          expect((yield* directory.findClientsByPhone(org1, shared)).map((c) => c.id)).toEqual(["client_a", "client_b"])
          expect((yield* directory.findClientsByPhone(org2, shared)).map((c) => c.id)).toEqual(["client_x"])
          expect(yield* directory.findClientsByPhone(org1, phone(43))).toEqual([])
        })
      ))

    it("finds a line by its number across organisations", () =>
      run(
        Effect.gen(function* () {
          const directory = yield* Directory
          yield* seedOrganisations
          const line = makeLine({ id: LineId.make("line_9"), organisationId: org2, number: phone(9_000_009) })
          yield* directory.putLine(makeLine())
          yield* directory.putLine(line)
          expect(yield* directory.findLineByNumber(phone(9_000_009))).toEqual(Option.some(line))
        })
      ))

    it("appends assignments and closes the current one of a pair", () =>
      run(
        Effect.gen(function* () {
          const directory = yield* Directory
          yield* seedDirectory({
            organisations: pooledOrganisations,
            staff: staffNamed("staff_a", "staff_b"),
            clients: clientsNamed("client_1", "client_2")
          })
          const client = ClientId.make("client_1")
          const [alice, bob] = [StaffId.make("staff_a"), StaffId.make("staff_b")]
          yield* directory.startAssignment(makeAssignment({ staffId: alice, clientId: client, from: T0 }))
          yield* directory.startAssignment(makeAssignment({ staffId: bob, clientId: client, from: T0 + 1 }))
          yield* directory.startAssignment(makeAssignment({ staffId: alice, clientId: ClientId.make("client_2"), from: T0 }))

          expect(yield* directory.endAssignment(alice, client, T0 + 5)).toBe(true)
          expect(yield* directory.endAssignment(alice, client, T0 + 6)).toBe(false)
          expect(yield* directory.endAssignment(StaffId.make("staff_c"), client, T0 + 6)).toBe(false)
          yield* directory.startAssignment(makeAssignment({ staffId: alice, clientId: client, from: T0 + 7 }))

          expect(yield* directory.assignmentsOfClient(client)).toEqual([
            { staffId: alice, clientId: client, from: T0, until: T0 + 5 },
            { staffId: bob, clientId: client, from: T0 + 1 },
            { staffId: alice, clientId: client, from: T0 + 7 }
          ])
          expect(yield* directory.assignmentsOfClient(ClientId.make("client_2"))).toEqual([
            { staffId: alice, clientId: ClientId.make("client_2"), from: T0 }
          ])
          // Several clients at once: by client id, each client's history oldest first; repeats and unknowns add nothing.
          const both = [ClientId.make("client_2"), client, client, ClientId.make("client_9")]
          expect(yield* directory.assignmentsOfClients(both)).toEqual([
            ...(yield* directory.assignmentsOfClient(client)),
            ...(yield* directory.assignmentsOfClient(ClientId.make("client_2")))
          ])
          expect(yield* directory.assignmentsOfClients([])).toEqual([])
        })
      ))

    it("keeps assignments in append order, not time order", () =>
      run(
        Effect.gen(function* () {
          const directory = yield* Directory
          yield* seedDirectory({ organisations: pooledOrganisations, staff: staffNamed("staff_a", "staff_b"), clients: clientsNamed("client_1") })
          const later = makeAssignment({ staffId: StaffId.make("staff_a"), from: T0 + 10 })
          const earlier = makeAssignment({ staffId: StaffId.make("staff_b"), from: T0 })
          yield* directory.startAssignment(later)
          yield* directory.startAssignment(earlier)
          expect(yield* directory.assignmentsOfClient(ClientId.make("client_1"))).toEqual([later, earlier])
        })
      ))

    it("property: lists and lookups agree with a map of the last record put per id", () =>
      fc.assert(
        fc.asyncProperty(
          // Lines are put after the staff, so a line's staff owner is one of these; queue owners are pooled.
          fc.array(arbStaff, { maxLength: 15 }).chain((staff) =>
            fc
              .array(arbLineOwnedBy({ staff: staff.map((s) => s.id), queues: pooledQueues.map((q) => q.id) }), { maxLength: 10 })
              .map((lines) => ({ staff, lines }))
          ),
          fc.array(arbClient, { maxLength: 15 }),
          ({ lines, staff }, clients) =>
            run(
              Effect.gen(function* () {
                const directory = yield* Directory
                yield* seedDirectory({ organisations: pooledOrganisations, queues: pooledQueues })
                for (const s of staff) yield* directory.putStaff(s)
                for (const c of clients) yield* directory.putClient(c)
                for (const l of lines) yield* directory.putLine(l)
                const lastClients = upserted(clients)
                for (const organisationId of [org1, org2]) {
                  expect(yield* directory.listStaff(organisationId)).toEqual(
                    upserted(staff).filter((s) => s.organisationId === organisationId)
                  )
                  expect(yield* directory.listLines(organisationId)).toEqual(
                    upserted(lines).filter((l) => l.organisationId === organisationId)
                  )
                  for (const n of [1, 2, 3, 4]) {
                    expect(yield* directory.findClientsByPhone(organisationId, phone(n))).toEqual(
                      lastClients.filter((c) => c.organisationId === organisationId && c.phones.some((p) => p.number === phone(n)))
                    )
                  }
                }
                for (const c of lastClients) expect(yield* directory.getClient(c.id)).toEqual(Option.some(c))
              })
            )
        ),
        { numRuns: 50 }
      ))
  })
