import { Directory, type LineOfStaff, type OrganisationId } from "@careline/core"
import { HashMap, Option, Ref } from "effect"
import { appendAt, byId, compareStrings, listAt, type MemoryRef, type MemoryState, read } from "./MemoryState.js"

const ofOrganisation = <K, A extends { readonly id: string; readonly organisationId: OrganisationId }>(
  map: HashMap.HashMap<K, A>,
  organisationId: OrganisationId
): ReadonlyArray<A> => HashMap.toValues(HashMap.filter(map, (a) => a.organisationId === organisationId)).sort(byId)

/** Applies `change` to one record of a map in the state, in one atomic step. */
const updateIn = <Id, A>(
  ref: MemoryRef,
  get: (s: MemoryState) => HashMap.HashMap<Id, A>,
  set: (s: MemoryState, map: HashMap.HashMap<Id, A>) => MemoryState,
  id: Id,
  change: (a: A) => A
) =>
  Ref.modify(ref, (s): [Option.Option<A>, MemoryState] => {
    const before = HashMap.get(get(s), id)
    if (Option.isNone(before)) return [Option.none(), s]
    const after = change(before.value)
    return [Option.some(after), set(s, HashMap.set(get(s), id, after))]
  })

/** `Directory` over the shared in-memory state; `list*` and `findClientsByPhone` answer in id order. */
export const makeDirectory = (ref: MemoryRef) =>
  Directory.of({
    putOrganisation: (organisation) =>
      Ref.update(ref, (s) => ({ ...s, organisations: HashMap.set(s.organisations, organisation.id, organisation) })),
    getOrganisation: (id) => read(ref, (s) => HashMap.get(s.organisations, id)),
    putStaff: (staff) => Ref.update(ref, (s) => ({ ...s, staff: HashMap.set(s.staff, staff.id, staff) })),
    updateStaff: (id, change) => updateIn(ref, (s) => s.staff, (s, staff) => ({ ...s, staff }), id, change),
    getStaff: (id) => read(ref, (s) => HashMap.get(s.staff, id)),
    listStaff: (organisationId) => read(ref, (s) => ofOrganisation(s.staff, organisationId)),
    putClient: (client) => Ref.update(ref, (s) => ({ ...s, clients: HashMap.set(s.clients, client.id, client) })),
    updateClient: (id, change) => updateIn(ref, (s) => s.clients, (s, clients) => ({ ...s, clients }), id, change),
    getClient: (id) => read(ref, (s) => HashMap.get(s.clients, id)),
    getClients: (ids) =>
      read(ref, (s) => [...new Set(ids)].flatMap((id) => Option.toArray(HashMap.get(s.clients, id))).sort(byId)),
    listClients: (organisationId) => read(ref, (s) => ofOrganisation(s.clients, organisationId)),
    findClientsByPhone: (organisationId, phone) =>
      read(ref, (s) => ofOrganisation(s.clients, organisationId).filter((c) => c.phones.some((p) => p.number === phone))),
    putLine: (line) => Ref.update(ref, (s) => ({ ...s, lines: HashMap.set(s.lines, line.id, line) })),
    getLine: (id) => read(ref, (s) => HashMap.get(s.lines, id)),
    findLineByNumber: (number) =>
      read(ref, (s) => Option.fromUndefinedOr(HashMap.toValues(s.lines).sort(byId).find((l) => l.number === number))),
    listLines: (organisationId) => read(ref, (s) => ofOrganisation(s.lines, organisationId)),
    linesOfStaff: (organisationId, staffId) =>
      read(ref, (s) =>
        ofOrganisation(s.lines, organisationId).flatMap((line): Array<LineOfStaff> => {
          const owner = line.owner
          if (owner._tag === "Organisation") return [{ line, queue: undefined }]
          if (owner._tag === "Staff") return owner.staffId === staffId ? [{ line, queue: undefined }] : []
          const queue = Option.getOrUndefined(HashMap.get(s.queues, owner.queueId))
          return queue !== undefined && queue.organisationId === organisationId && queue.members.includes(staffId) ? [{ line, queue }] : []
        })),
    putQueue: (queue) => Ref.update(ref, (s) => ({ ...s, queues: HashMap.set(s.queues, queue.id, queue) })),
    getQueue: (id) => read(ref, (s) => HashMap.get(s.queues, id)),
    listQueues: (organisationId) => read(ref, (s) => ofOrganisation(s.queues, organisationId)),
    startAssignment: (assignment) =>
      Ref.update(ref, (s) => ({ ...s, assignments: appendAt(s.assignments, assignment.clientId, assignment) })),
    endAssignment: (staffId, clientId, at) =>
      Ref.modify(ref, (s) => {
        const history = listAt(s.assignments, clientId)
        const isOpen = (a: (typeof history)[number]) => a.staffId === staffId && a.until === undefined
        if (!history.some(isOpen)) return [false, s]
        // Closes every open one of the pair, as `UPDATE … WHERE until IS NULL` would.
        const closed = history.map((a) => (isOpen(a) ? { ...a, until: at } : a))
        return [true, { ...s, assignments: HashMap.set(s.assignments, clientId, closed) }]
      }),
    assignmentsOfClient: (clientId) => read(ref, (s) => listAt(s.assignments, clientId)),
    assignmentsOfClients: (clientIds) =>
      read(ref, (s) => [...new Set(clientIds)].sort(compareStrings).flatMap((clientId) => listAt(s.assignments, clientId)))
  })
