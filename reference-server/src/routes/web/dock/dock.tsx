import {
  AccessDenied,
  canAccessClient,
  chatColleagues,
  type ChannelId,
  ClientId,
  type Client,
  contactLabel,
  Conversations,
  Directory,
  isAllowed,
  type Line,
  listInbox,
  listMyChats,
  type Message,
  primaryPhone,
  readChannel,
  replyInChannel,
  requireClient,
  requireOrganisation,
  sendSms,
  type Staff,
  usableLines
} from "@careline/core"
import { Effect, Option } from "effect"
import { type Context, Hono } from "hono"
import type { HtmlEscapedString } from "hono/utils/html"
import { errorAnswer } from "../../../http/ApiError.js"
import { runEffect } from "../../../http/Respond.js"
import { Roster } from "../../../Roster.js"
import type { ServerRuntime, ServerServices } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { chatRoutes } from "./chat.js"
import { DockConversation, DockFinder, DockLauncher, type DockMatch, DockMessages, DockProblem, DockResults } from "./DockView.js"

type Html = HtmlEscapedString | Promise<HtmlEscapedString>

const maxMatches = 8
const hiddenText = "This conversation does not exist, or you do not have access to it."

const digits = (s: string) => s.replace(/\D/g, "")

/** The clients the staff member may access whose name or number matches what they typed. */
const matchingClients = (staff: Staff, q: string) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const needle = q.trim().toLowerCase()
    const numberish = digits(q)
    const ids = yield* Roster.use((roster) => roster.clientIdsOf(staff.organisationId))
    const candidates = (yield* directory.getClients(ids)).filter((client) =>
      client.name.toLowerCase().includes(needle) || (numberish.length >= 3 && client.phones.some((p) => digits(p.number).includes(numberish))))
    const matches: Array<Client> = []
    for (const client of candidates) {
      if (matches.length >= maxMatches) break
      if (isAllowed(canAccessClient(staff, client, yield* directory.assignmentsOfClient(client.id)))) matches.push(client)
    }
    return matches
  })

/** Channels in the staff member's inbox with no client (unknown numbers that texted in) matching the text. */
const matchingContacts = (staff: Staff, q: string) =>
  Effect.map(listInbox({ staffId: staff.id, limit: 200 }), (rows) => {
    const numberish = digits(q)
    return rows
      .filter((row) => row.channel.clientId === undefined && numberish.length >= 3 && digits(row.channel.phone).includes(numberish))
      .slice(0, maxMatches)
  })

const describeLine = (staff: Staff, queues: ReadonlyMap<string, string>) => (line: Line) => {
  const owner = line.owner
  const whose = owner._tag === "Staff" ? (owner.staffId === staff.id ? "Your line" : "A colleague's line") : owner._tag === "Queue" ? `${queues.get(owner.queueId) ?? "Queue"} (queue)` : "Organisation line"
  return `${whose} · ${line.number}`
}

/** A client the staff member may access, or the same 404 as a client that does not exist. */
const accessibleClient = (staff: Staff, clientId: ClientId) =>
  Effect.gen(function* () {
    const client = yield* requireClient(clientId)
    const assignments = yield* Directory.use((d) => d.assignmentsOfClient(client.id))
    const decision = canAccessClient(staff, client, assignments)
    if (decision._tag === "Denied") return yield* new AccessDenied({ reason: decision.reason })
    return client
  })

interface Shown {
  readonly error?: string
  readonly draft?: string
}

/** The conversation with a client from one of the staff member's lines (the chosen one, else their own). */
const clientConversation = (staff: Staff, clientId: ClientId, lineId: string | undefined, shown: Shown = {}) =>
  Effect.gen(function* () {
    const client = yield* accessibleClient(staff, clientId)
    const lines = yield* usableLines(staff)
    const chosen = lines.find((l) => l.id === lineId) ?? lines.find((l) => l.owner._tag === "Staff" && l.owner.staffId === staff.id) ?? lines[0]
    const organisation = yield* requireOrganisation(staff.organisationId)
    const queues = new Map((yield* Directory.use((d) => d.listQueues(staff.organisationId))).map((q) => [q.id as string, q.name]))
    const phone = primaryPhone(client)
    const channel = chosen === undefined || Option.isNone(phone)
      ? Option.none()
      : yield* Conversations.use((c) => c.findChannel(chosen.id, phone.value.number))
    const messages: ReadonlyArray<Message> = Option.isSome(channel)
      ? (yield* readChannel({ staffId: staff.id, channelId: channel.value.id, limit: 30 })).messages
      : []
    const base = `/dock/clients/${encodeURIComponent(client.id)}`
    const empty = chosen === undefined
      ? "You have no line to text from."
      : Option.isNone(phone) ? `${client.name} has no primary phone number.` : `No texts with ${client.name} from this line yet.`
    return (
      <DockConversation
        title={client.name}
        src={chosen === undefined ? base : `${base}?${new URLSearchParams({ line: chosen.id })}`}
        action={`${base}/messages`}
        messages={messages}
        timeZone={organisation.businessHours.timeZone}
        empty={empty}
        {...(Option.isSome(channel) ? { channelId: channel.value.id } : {})}
        {...(chosen === undefined ? {} : { lines: { options: lines, chosen, describe: describeLine(staff, queues), reload: base } })}
        {...shown}
      />
    )
  })

/** A channel the staff member may see (an unknown number's, or one restored after a page load). */
const channelConversation = (staff: Staff, channelId: ChannelId, shown: Shown = {}) =>
  Effect.gen(function* () {
    const { channel, messages } = yield* readChannel({ staffId: staff.id, channelId, limit: 30 })
    const organisation = yield* requireOrganisation(staff.organisationId)
    const client = channel.clientId === undefined ? undefined : Option.getOrUndefined(yield* Directory.use((d) => d.getClient(channel.clientId!)))
    const src = `/dock/channels/${encodeURIComponent(channel.id)}`
    return (
      <DockConversation
        title={contactLabel(client, channel.phone)}
        src={src}
        action={`${src}/messages`}
        channelId={channel.id}
        messages={messages}
        timeZone={organisation.businessHours.timeZone}
        {...shown}
      />
    )
  })

const formField = async (c: Context, name: string) => {
  const value = (await c.req.parseBody())[name]
  return typeof value === "string" ? value : undefined
}

/**
 * The chat dock (S4): a small conversation window on every staff page. `GET /dock` opens the finder,
 * `GET /dock/find?q=` lists the accessible clients (and unknown numbers' channels) that match,
 * `GET /dock/clients/:id` and `GET /dock/channels/:id` show a conversation, and their `POST …/messages`
 * text through `sendSms` / `replyInChannel`. Everything goes through the core, so the access policy
 * applies: what a staff member may not see answers 404, like a record that does not exist.
 */
export const dockRoutes = (runtime: ServerRuntime) => {
  /** Runs a dock answer; a failure becomes a message inside the dock (404 for anything hidden). */
  const answer = async (c: Context<WebEnv>, effect: Effect.Effect<Html, unknown, ServerServices>) => {
    const outcome = await runEffect(runtime, effect)
    if (outcome.ok) return c.html(outcome.value)
    const status = outcome.response.status as 400 | 404 | 422 | 500
    const body = (await outcome.response.json()) as { readonly error: { readonly message: string } }
    return c.html(<DockProblem text={status === 404 ? hiddenText : body.error.message} />, status)
  }

  /** Sends, then shows the conversation; a refusal (no consent, blocked, empty) is shown in it with the draft kept. */
  const sendThen = <E,>(send: Effect.Effect<unknown, E, ServerServices>, body: string, show: (shown: Shown) => Effect.Effect<Html, unknown, ServerServices>) =>
    Effect.gen(function* () {
      const sent = yield* Effect.result(send)
      if (sent._tag === "Success") return { status: 200 as const, page: yield* show({}) }
      const refusal = errorAnswer(sent.failure)
      if (refusal.status !== 422) return yield* Effect.fail(sent.failure)
      return { status: 422 as const, page: yield* show({ error: `Not sent: ${refusal.message}`, draft: body }) }
    })

  return new Hono<WebEnv>()
    .route("/", chatRoutes(runtime))
    .get("/dock/launcher", (c) => c.html(<DockLauncher />))
    .get("/dock", async (c) => {
      const chats = await runEffect(runtime, listMyChats({ staffId: c.get("signedIn").staff.id }))
      return c.html(<DockFinder matches={[]} chats={chats.ok ? chats.value : []} />)
    })
    .get("/dock/find", async (c) => {
      const staff = c.get("signedIn").staff
      const q = (c.req.query("q") ?? "").slice(0, 100)
      if (q.trim() === "") return c.html(<DockResults matches={[]} />)
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const clients = yield* matchingClients(staff, q)
        const contacts = yield* matchingContacts(staff, q)
        const needle = q.trim().toLowerCase()
        const colleagues = (yield* chatColleagues({ staffId: staff.id })).filter((s) => s.name.toLowerCase().includes(needle)).slice(0, maxMatches)
        const matches: Array<DockMatch> = [
          ...clients.map((client): DockMatch => ({
            _tag: "Client",
            clientId: client.id,
            name: client.name,
            detail: Option.match(primaryPhone(client), { onNone: () => "no primary phone", onSome: (p) => `${p.label} ${p.number}` })
          })),
          ...colleagues.map((s): DockMatch => ({ _tag: "Colleague", staffId: s.id, name: s.name, role: s.role.replace("_", " ") })),
          ...contacts.map((row): DockMatch => ({ _tag: "Channel", channelId: row.channel.id, contact: row.contact }))
        ]
        return matches
      }))
      if (!outcome.ok) return c.html(<li class="error small" role="alert">Search failed; please try again.</li>, 500)
      const matches = outcome.value
      const note = matches.length > 0
        ? undefined
        : digits(q).length >= 7
          ? "No client you can access has this number. Add them as a client or contact first: texts need their consent."
          : "No client you can access or colleague matches."
      return c.html(<DockResults matches={matches} {...(note === undefined ? {} : { note })} />)
    })
    .get("/dock/clients/:clientId", (c) =>
      answer(c, clientConversation(c.get("signedIn").staff, ClientId.make(c.req.param("clientId")), c.req.query("line"))))
    .post("/dock/clients/:clientId/messages", async (c) => {
      const staff = c.get("signedIn").staff
      const clientId = ClientId.make(c.req.param("clientId"))
      const body = ((await formField(c, "body")) ?? "").slice(0, 1600)
      const line = await formField(c, "line")
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const chosen = line === undefined || line === "" ? undefined : (yield* usableLines(staff)).find((l) => l.id === line)
        if (line !== undefined && line !== "" && chosen === undefined) return yield* new AccessDenied({ reason: "NotLineOwner" })
        return yield* sendThen(
          sendSms({ staffId: staff.id, clientId, body, ...(chosen === undefined ? {} : { lineId: chosen.id }) }),
          body,
          (shown) => clientConversation(staff, clientId, chosen?.id, shown)
        )
      }))
      if (outcome.ok) return c.html(outcome.value.page, outcome.value.status)
      const status = outcome.response.status as 404 | 500
      return c.html(<DockProblem text={status === 404 ? hiddenText : "Something went wrong on our side; please try again."} />, status)
    })
    .get("/dock/channels/:channelId", (c) =>
      answer(c, channelConversation(c.get("signedIn").staff, c.req.param("channelId") as ChannelId)))
    .get("/dock/channels/:channelId/messages", async (c) => {
      const staff = c.get("signedIn").staff
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const { messages } = yield* readChannel({ staffId: staff.id, channelId: c.req.param("channelId") as ChannelId, limit: 30 })
        const organisation = yield* requireOrganisation(staff.organisationId)
        return <DockMessages messages={messages} timeZone={organisation.businessHours.timeZone} />
      }))
      if (outcome.ok) return c.html(outcome.value)
      return c.html(<li class="error small" role="alert">{outcome.response.status === 404 ? hiddenText : "Could not load the messages."}</li>, outcome.response.status as 404 | 500)
    })
    .post("/dock/channels/:channelId/messages", async (c) => {
      const staff = c.get("signedIn").staff
      const channelId = c.req.param("channelId") as ChannelId
      const body = ((await formField(c, "body")) ?? "").slice(0, 1600)
      const outcome = await runEffect(runtime, sendThen(replyInChannel({ staffId: staff.id, channelId, body }), body, (shown) => channelConversation(staff, channelId, shown)))
      if (outcome.ok) return c.html(outcome.value.page, outcome.value.status)
      const status = outcome.response.status as 404 | 500
      return c.html(<DockProblem text={status === 404 ? hiddenText : "Something went wrong on our side; please try again."} />, status)
    })
}
