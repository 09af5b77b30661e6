import { Effect, Option } from "effect"
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

/** Loads a channel the staff member may see, or fails with the policy's reason. */
export const authorizeChannel = (staffId: StaffId, channelId: ChannelId) =>
  Effect.gen(function* () {
    const staff = yield* requireStaff(staffId)
    const channel = yield* requireChannel(channelId)
    const context = yield* loadChannelContext(channel)
    const decision = canSeeChannel(staff, context)
    if (decision._tag === "Denied") return yield* new AccessDenied({ reason: decision.reason })
    return { staff, channel, context }
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

/** The lines whose channels a staff member can see (before the per-client check). */
export const usableLines = (staff: Staff) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const lines = yield* directory.listLines(staff.organisationId)
    const queues = new Map((yield* directory.listQueues(staff.organisationId)).map((q) => [q.id, q]))
    return lines.filter((line) =>
      canUseLine(staff, line, line.owner._tag === "Queue" ? queues.get(line.owner.queueId) : undefined)._tag === "Allowed")
  })

/** Who may see a channel: the people to notify about it. */
export const channelAudience = (channel: Channel) =>
  Effect.gen(function* () {
    const context = yield* loadChannelContext(channel)
    const staff = yield* Directory.use((d) => d.listStaff(channel.organisationId))
    return staff.filter((s) => canSeeChannel(s, context)._tag === "Allowed")
  })
