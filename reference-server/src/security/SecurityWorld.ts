import {
  attestConsent,
  type Channel,
  type ChannelId,
  Conversations,
  canAccessClient,
  canSeeChannel,
  canViewColleagueInbox,
  type Client,
  ClientId,
  ClientListId,
  ClientLists,
  createClientList,
  Directory,
  isAllowed,
  LineId,
  loadChannelContext,
  type MessageId,
  ProviderMessageId,
  QueueId,
  receiveInbound,
  type Staff,
  StaffId
} from "@careline/core"
import { makeLine, phone } from "@careline/testkit"
import { Effect, Option } from "effect"
import { issueApiToken } from "../ApiTokens.js"
import { staffMember } from "../routes/web/admin/AdminTesting.js"
import { channelIdOf, textIn } from "../routes/web/messages/MessagesTesting.js"
import { type Browser, startTestServer, type TestServer, world } from "../testing/TestServer.js"

/**
 * The security suites' world: {@link world} plus a supervisor (`sup`), a specialist granted nothing
 * (`nobody`: no assignment, no line, no queue), a queue `q_1` (members: spec_1) with its own line, a
 * queue `q_b` in `org_b`,
 * and one conversation per kind of line, including unknown numbers and another organisation's.
 * Saved client lists of several owners in both organisations, and an inbound MMS (two media) in a
 * few of the conversations.
 */
export const extraStaff = { sup: "sup", nobody: "nobody" } as const

export type Who = "admin" | "coordinator" | "frontOffice" | "spec1" | "spec2" | "adminB" | "sup" | "nobody"
export const everyone: ReadonlyArray<Who> = ["admin", "coordinator", "frontOffice", "spec1", "spec2", "adminB", "sup", "nobody"]

export const queueLine = makeLine({
  id: LineId.make("line_q"),
  organisationId: world.lines.org.organisationId,
  number: phone(9_000_005),
  owner: { _tag: "Queue", queueId: QueueId.make("q_1") },
  ratePerSecond: 10
})

/** An unknown number (no client has it) that texts in. */
export const strangerPhone = phone(77)
export const strangerBPhone = phone(78)

export interface SecurityWorld {
  readonly server: TestServer
  readonly staff: Record<Who, Staff>
  readonly browsers: Record<Who, Browser>
  readonly tokens: Record<Who, string>
  /** Every channel by name, and a well-formed id that names nothing. */
  readonly channels: Record<string, ChannelId>
  readonly clients: Record<string, ClientId>
  readonly missingChannel: ChannelId
  readonly missingClient: ClientId
  readonly missingStaff: StaffId
  /** A saved client list per owner (by who owns it), and a well-formed id that names none. */
  readonly lists: Partial<Record<Who, ClientListId>>
  readonly missingList: ClientListId
  /** An inbound MMS with two media, by the name of its channel. */
  readonly attachments: Record<string, { readonly channelId: ChannelId; readonly messageId: MessageId }>
}

/** Whose lists the world holds, of which clients. */
const listFixtures = [["admin", ["c1", "c2"]], ["coordinator", ["c3"]], ["spec1", ["c1"]], ["spec2", ["c3"]], ["adminB", ["b1"]]] as const
/** The conversations that receive a picture and a file. */
const mediaChannels = ["s1", "org", "q", "strangerOrg", "b"] as const

export const startSecurityWorld = async (): Promise<SecurityWorld> => {
  const server = await startTestServer()
  const sup = await staffMember(server, "sup", "supervisor", "Sam Supervisor")
  const nobody = await staffMember(server, "nobody", "specialist", "Nia Nobody")
  const run = <A, E>(effect: Effect.Effect<A, E, any>) => server.runtime.runPromise(effect as Effect.Effect<A, E, never>)
  await run(Directory.use((d) => Effect.gen(function* () {
    yield* d.putQueue({ id: QueueId.make("q_1"), organisationId: world.lines.org.organisationId, name: "Intake", members: [world.staff.spec1.id] })
    yield* d.putLine(queueLine)
    yield* d.putQueue({ id: QueueId.make("q_b"), organisationId: world.lines.orgB.organisationId, name: "Other intake", members: [world.staff.adminB.id] })
  })))
  // Consent for every client, so that a text the policy allows is really sent.
  for (const [who, client] of [["admin", "c1"], ["admin", "c2"], ["admin", "c3"], ["adminB", "b1"]] as const) {
    await run(attestConsent({ staffId: world.staff[who].id, clientId: world.clients[client].id }))
  }
  const c = world.clients
  const l = world.lines
  const texts = [
    ["s1", c.c1.phones[0]!.number, l.spec1],
    ["s2", c.c3.phones[0]!.number, l.spec2],
    ["org", c.c2.phones[0]!.number, l.org],
    ["q", c.c1.phones[0]!.number, queueLine],
    ["qUnassigned", c.c2.phones[0]!.number, queueLine],
    ["strangerOrg", strangerPhone, l.org],
    ["strangerS1", strangerPhone, l.spec1],
    ["b", c.b1.phones[0]!.number, l.orgB],
    ["strangerB", strangerBPhone, l.orgB]
  ] as const
  const channels: Record<string, ChannelId> = {}
  for (const [name, from, line] of texts) {
    await textIn(server, from, line.number, `Hello from ${name}`)
    channels[name] = await channelIdOf(server, line, from)
  }
  const attachments: Record<string, { readonly channelId: ChannelId; readonly messageId: MessageId }> = {}
  for (const name of mediaChannels) {
    const [, from, line] = texts.find(([n]) => n === name)!
    const outcome = await run(receiveInbound({
      providerMessageId: ProviderMessageId.make(`SMsecmedia${name}`),
      from,
      to: line.number,
      body: `Hello from ${name} (with a picture)`,
      media: [{ url: `https://media.example.org/${name}.jpg`, contentType: "image/jpeg" }, { url: `https://media.example.org/${name}.pdf`, contentType: "application/pdf" }]
    }))
    if (outcome._tag !== "Stored" || outcome.channel.id !== channels[name]) throw new Error(`MMS to ${name} not stored in its channel`)
    attachments[name] = { channelId: outcome.channel.id, messageId: outcome.message.id }
  }
  const lists: Partial<Record<Who, ClientListId>> = {}
  for (const [who, members] of listFixtures) {
    const list = await run(createClientList({ staffId: world.staff[who].id, name: `${who}'s list`, clientIds: members.map((k) => c[k].id) }))
    lists[who] = list.id
  }
  const browsers = {
    ...Object.fromEntries(await Promise.all((["admin", "coordinator", "frontOffice", "spec1", "spec2", "adminB"] as const).map(async (k) => [k, await server.signIn(k)]))),
    sup: sup.browser,
    nobody: nobody.browser
  } as Record<Who, Browser>
  const tokens = {
    ...server.tokens,
    sup: await run(issueApiToken(sup.staff.id)),
    nobody: await run(issueApiToken(nobody.staff.id))
  } as Record<Who, string>
  return {
    server,
    staff: { ...world.staff, sup: sup.staff, nobody: nobody.staff },
    browsers,
    tokens,
    channels,
    clients: { c1: c.c1.id, c2: c.c2.id, c3: c.c3.id, b1: c.b1.id },
    missingChannel: "ch_missing_0" as ChannelId,
    missingClient: ClientId.make("client_missing"),
    missingStaff: StaffId.make("staff_missing"),
    lists,
    missingList: ClientListId.make("lst_missing"),
    attachments
  }
}

/** The JSON API as a staff member of the security world. */
export const api = (w: SecurityWorld, who: Who, path: string, init: { readonly method?: string; readonly body?: unknown } = {}) =>
  Promise.resolve(w.server.app.request(`/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${w.tokens[who]}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) })
  }))

// What the core's access policy says, read live (assignments or a channel's client may change as the suites run).

const run = <A, E>(w: SecurityWorld, effect: Effect.Effect<A, E, any>) => w.server.runtime.runPromise(effect as Effect.Effect<A, E, never>)

export const channelOf = (w: SecurityWorld, id: ChannelId): Promise<Channel | undefined> =>
  run(w, Conversations.use((c) => c.getChannel(id))).then(Option.getOrUndefined)

export const clientOf = (w: SecurityWorld, id: ClientId): Promise<Client | undefined> =>
  run(w, Directory.use((d) => d.getClient(id))).then(Option.getOrUndefined)

/** `canSeeChannel` over the channel's stored context; a channel that does not exist is seen by no one. */
export const policySeesChannel = async (w: SecurityWorld, staff: Staff, id: ChannelId): Promise<boolean> => {
  const channel = await channelOf(w, id)
  if (channel === undefined) return false
  const context = await run(w, loadChannelContext(channel))
  return isAllowed(canSeeChannel(staff, context))
}

/** `canAccessClient` with the client's stored assignments. */
export const policyReachesClient = async (w: SecurityWorld, staff: Staff, id: ClientId): Promise<boolean> => {
  const client = await clientOf(w, id)
  if (client === undefined) return false
  const assignments = await run(w, Directory.use((d) => d.assignmentsOfClient(id)))
  return isAllowed(canAccessClient(staff, client, assignments))
}

export const staffById = (w: SecurityWorld, id: StaffId): Promise<Staff | undefined> =>
  run(w, Directory.use((d) => d.getStaff(id))).then(Option.getOrUndefined)

/** `canViewColleagueInbox`; a colleague who does not exist is seen by no one. */
export const policyViewsColleague = async (w: SecurityWorld, viewer: Staff, colleagueId: StaffId): Promise<boolean> => {
  const colleague = await staffById(w, colleagueId)
  return colleague !== undefined && isAllowed(canViewColleagueInbox(viewer, colleague))
}

/** Whether the staff member owns the list (the only one who may use, rename or delete it); a list that does not exist is no one's. */
export const ownsList = async (w: SecurityWorld, staff: Staff, id: ClientListId): Promise<boolean> => {
  const list = Option.getOrUndefined(await run(w, ClientLists.use((l) => l.get(id))))
  return list !== undefined && list.ownerId === staff.id && list.organisationId === staff.organisationId
}

/** Whether the message is in the channel and has an n-th media item (what the attachment routes open). */
export const hasMedia = async (w: SecurityWorld, channelId: ChannelId, messageId: MessageId, n: number): Promise<boolean> => {
  const message = Option.getOrUndefined(await run(w, Conversations.use((c) => c.getMessage(messageId))))
  return message !== undefined && message.channelId === channelId && message.media?.[n] !== undefined
}
