import {
  AuditLog,
  ChannelId,
  ClientId,
  ConsentLedger,
  Conversations,
  Directory,
  type InboundDelivery,
  LineId,
  type Message,
  MessageId,
  OrganisationId,
  OutboxStore,
  ProviderMessageId,
  StaffId
} from "@careline/core"
import { makeChannel, makeClient, makeLine, makeMessage, makeOrganisation, makeStaff, phone, T0 } from "@careline/testkit"
import { Effect, type Scope } from "effect"
import type { DatabaseOptions, OpenInternals } from "../Database.js"
import { context, type StoresWithDatabase } from "../LibsqlStores.js"
import { tempDatabase } from "./TempDatabase.js"

export const org = OrganisationId.make("org_1")
export const staffId = StaffId.make("staff_1")
export const clientId = ClientId.make("client_1")
export const lineId = LineId.make("line_1")
export const channelId = ChannelId.make("channel_1")

/** Parents every foreign key needs: an organisation, a staff member, a client ("Casey Client"), a line and a channel. */
export const seedParents = Effect.gen(function* () {
  const directory = yield* Directory
  yield* directory.putOrganisation(makeOrganisation())
  yield* directory.putStaff(makeStaff())
  yield* directory.putClient(makeClient())
  yield* directory.putLine(makeLine())
  yield* Conversations.use((c) => c.createChannel(makeChannel({ clientId })))
})

/** An inbound message `n` of channel_1, at T0 + n. */
export const inbound = (n: number, overrides: Partial<Message> = {}): Message =>
  makeMessage({ id: MessageId.make(`message_${n}`), at: T0 + n, ...overrides })

/** Text `n` to line_1 from channel_1's client, as a webhook delivers it: `message_n`, `SMn`, at `T0 + n`. */
export const loggedText = (n: number): InboundDelivery => ({
  id: MessageId.make(`message_${n}`),
  to: makeLine().number,
  from: phone(1),
  body: `text ${n}`,
  at: T0 + n,
  providerMessageId: ProviderMessageId.make(`SM${n}`)
})

export { phone, T0 }

export type Services = StoresWithDatabase

/**
 * Runs `program` against every service over a new temp-file database (strict: every constraint on),
 * with the parents seeded; the file is removed afterwards.
 */
export const runSeeded = <A, E>(
  program: (database: Effect.Success<ReturnType<typeof tempDatabase>>) => Effect.Effect<A, E, Services | Scope.Scope>,
  options: Omit<DatabaseOptions, "url"> = {},
  internals: OpenInternals = {}
): Promise<A> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const database = yield* tempDatabase(options, internals)
        return yield* Effect.andThen(seedParents, program(database)).pipe(Effect.provideContext(context(database)))
      })
    )
  )

export { AuditLog, ConsentLedger, Conversations, Directory, OutboxStore }
