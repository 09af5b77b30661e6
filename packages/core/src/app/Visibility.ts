import { Array as Arr, Effect, Option } from "effect"
import { AccessDenied, type ChannelContext, canSeeChannel, canUseLine, canViewColleagueInbox } from "../AccessPolicy.js"
import type { Channel } from "../Channel.js"
import type { ChannelId, StaffId } from "../Ids.js"
import type { Line } from "../Line.js"
import { Directory } from "../ports/Directory.js"
import type { StorageError } from "../ports/StorageError.js"
import type { Queue } from "../Queue.js"
import type { Staff } from "../Staff.js"
import { requireChannel, requireLine, requireStaff } from "./Lookup.js"

export const queueOfLine = (line: Line): Effect.Effect<Queue | undefined, StorageError, Directory> => {
  const owner = line.owner
  return owner._tag === "Queue"
    ? Directory.use((d) => d.getQueue(owner.queueId)).pipe(Effect.map(Option.getOrUndefined))
    : Effect.succeed(undefined)
}

/** Everything the access policy needs to know about one channel. */
export const loadChannelContext = (channel: Channel) =>
  Effect.gen(function* () {
    const line = yield* requireLine(channel.lineId)
    const queue = yield* queueOfLine(line)
    const directory = yield* Directory
    const client = channel.clientId === undefined
      ? undefined
      : Option.getOrUndefined(yield* directory.getClient(channel.clientId))
    const assignmentsOfClient = client === undefined ? [] : yield* directory.assignmentsOfClient(client.id)
    return { line, queue, client, assignmentsOfClient } satisfies ChannelContext
  })

/**
 * Loads a channel the staff member may see, or fails with the policy's reason. `viewer` is that staff
 * member as the request has just read them (e.g. by the API's bearer check), so they are not read
 * again; it is ignored unless it is `staffId`.
 */
export const authorizeChannel = (staffId: StaffId, channelId: ChannelId, viewer?: Staff) =>
  Effect.gen(function* () {
    const staff = viewer?.id === staffId ? viewer : yield* requireStaff(staffId)
    const channel = yield* requireChannel(channelId)
    const context = yield* loadChannelContext(channel)
    const decision = canSeeChannel(staff, context)
    if (decision._tag === "Denied") return yield* new AccessDenied({ reason: decision.reason })
    return { staff, channel, context }
  })

/**
 * `authorizeChannel` for a page of channels: the same policy (`canSeeChannel`) for each, with the
 * lines (with their queues), clients and assignments read in a few batched reads rather than several
 * per channel. The channels the staff member may see, in the order given, each with its context; the
 * others are left out.
 *
 * @example
 * ```ts
 * const visible = yield* authorizeChannels(staff, candidates) // [{ channel, context }, …]
 * ```
 */
export const authorizeChannels = (staff: Staff, channels: ReadonlyArray<Channel>) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    // A line the directory does not offer them is one `canUseLine` would refuse anyway.
    const lines = new Map((yield* directory.linesOfStaff(staff.organisationId, staff.id)).map((entry) => [entry.line.id, entry]))
    const clientIds = [...new Set(channels.flatMap((channel) => (channel.clientId === undefined ? [] : [channel.clientId])))]
    const clients = new Map((yield* directory.getClients(clientIds)).map((client) => [client.id, client]))
    const assignments = Arr.groupBy(yield* directory.assignmentsOfClients(clientIds), (assignment) => assignment.clientId)
    return channels.flatMap((channel) => {
      const usable = lines.get(channel.lineId)
      if (usable === undefined) return []
      const client = channel.clientId === undefined ? undefined : clients.get(channel.clientId)
      const context: ChannelContext = {
        line: usable.line,
        queue: usable.queue,
        client,
        assignmentsOfClient: client === undefined ? [] : assignments[client.id] ?? []
      }
      return canSeeChannel(staff, context)._tag === "Allowed" ? [{ channel, context }] : []
    })
  })

/**
 * Loads a channel through a colleague's eyes (S3): the viewer must be a supervisor or admin of the
 * same organisation, and the colleague must be able to see the channel.
 */
export const authorizeColleagueChannel = (viewerId: StaffId, colleagueId: StaffId, channelId: ChannelId) =>
  Effect.gen(function* () {
    const viewer = yield* requireStaff(viewerId)
    const colleague = yield* requireStaff(colleagueId)
    const asViewer = canViewColleagueInbox(viewer, colleague)
    if (asViewer._tag === "Denied") return yield* new AccessDenied({ reason: asViewer.reason })
    return yield* authorizeChannel(colleague.id, channelId)
  })

/**
 * The lines whose channels a staff member can see (before the per-client check), in id order: the
 * policy (`canUseLine`) applied to the lines the directory says they might use.
 */
export const usableLines = (staff: Staff) =>
  Effect.map(Directory.use((d) => d.linesOfStaff(staff.organisationId, staff.id)), (candidates) =>
    candidates.flatMap(({ line, queue }) => (canUseLine(staff, line, queue)._tag === "Allowed" ? [line] : [])))

/** Who may see a channel: the people to notify about it. */
export const channelAudience = (channel: Channel) =>
  Effect.gen(function* () {
    const context = yield* loadChannelContext(channel)
    const staff = yield* Directory.use((d) => d.listStaff(channel.organisationId))
    return staff.filter((s) => canSeeChannel(s, context)._tag === "Allowed")
  })
