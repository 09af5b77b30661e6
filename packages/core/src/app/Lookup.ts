import { Effect, Option } from "effect"
import type { Channel } from "../Channel.js"
import type { Client } from "../Client.js"
import type { ChannelId, ClientId, LineId, OrganisationId, QueueId, StaffId } from "../Ids.js"
import type { Line } from "../Line.js"
import { NotFound } from "../NotFound.js"
import type { Organisation } from "../Organisation.js"
import type { PhoneNumber } from "../PhoneNumber.js"
import { Conversations } from "../ports/Conversations.js"
import { Directory } from "../ports/Directory.js"
import type { StorageError } from "../ports/StorageError.js"
import type { Queue } from "../Queue.js"
import type { Staff } from "../Staff.js"

type Found<A, R> = Effect.Effect<A, NotFound | StorageError, R>

const orNotFound = <A, R>(
  lookup: Effect.Effect<Option.Option<A>, StorageError, R>,
  entity: NotFound["entity"],
  id: string
): Found<A, R> =>
  Effect.flatMap(lookup, (found) =>
    Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(new NotFound({ entity, id })))

export const requireOrganisation = (id: OrganisationId): Found<Organisation, Directory> =>
  orNotFound(Directory.use((d) => d.getOrganisation(id)), "organisation", id)

export const requireStaff = (id: StaffId): Found<Staff, Directory> =>
  orNotFound(Directory.use((d) => d.getStaff(id)), "staff", id)

export const requireClient = (id: ClientId): Found<Client, Directory> =>
  orNotFound(Directory.use((d) => d.getClient(id)), "client", id)

export const requireLine = (id: LineId): Found<Line, Directory> =>
  orNotFound(Directory.use((d) => d.getLine(id)), "line", id)

export const requireQueue = (id: QueueId): Found<Queue, Directory> =>
  orNotFound(Directory.use((d) => d.getQueue(id)), "queue", id)

export const requireChannel = (id: ChannelId): Found<Channel, Conversations> =>
  orNotFound(Conversations.use((c) => c.getChannel(id)), "channel", id)

/** The line a text was sent to, found by its number: how inbound texts are routed. */
export const requireLineByNumber = (number: PhoneNumber): Found<Line, Directory> =>
  orNotFound(Directory.use((d) => d.findLineByNumber(number)), "line", number)
