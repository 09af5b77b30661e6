import {
  authorizeChannels,
  ChannelId,
  ClientListId,
  ClientLists,
  Conversations,
  deleteMessageRefusal,
  deleteThreadRefusal,
  Directory,
  isManagerRole,
  mayAddClients,
  mayBlock,
  mayManageAssignments,
  MessageId,
  PortalThreads,
  QueueId,
  quickNoteRefusal,
  replyRefusal,
  type Staff,
  StaffId,
  ThreadId
} from "@careline/core"
import { Effect, Option } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { world } from "../testing/TestServer.js"
import {
  api,
  channelOf,
  clientOf,
  everyone,
  hasMedia,
  ownsList,
  policyReachesClient,
  policySeesChannel,
  policyViewsColleague,
  queueLine,
  type SecurityWorld,
  staffById,
  startSecurityWorld,
  type Who
} from "./SecurityWorld.js"
import {
  baseOf,
  browserOfPerson,
  draftOf,
  inRoom,
  messagesOfThread,
  ownsDraft,
  type Person,
  personName,
  type PortalWorld,
  portalClients,
  refOfPerson,
  rulePersonOf,
  ruleThreadOf,
  startPortalWorld,
  takesPart,
  threadOf
} from "./PortalWorld.js"

/**
 * The access matrix (issue 7): every route that names a record, every staff member of the security
 * world against every record of both organisations (and one that does not exist). What is expected
 * comes from the core's policy functions, read at the moment of the request:
 *   seen and role allows → the route's own success; seen, role refuses → 403;
 *   not seen → 404, or — for a role rule checked before the record is looked up — the very answer a
 *   record that does not exist gets (so the answer never tells whether it exists).
 */

let w: SecurityWorld
let p: PortalWorld
beforeAll(async () => {
  w = await startSecurityWorld()
  // Issue 6: portal clients (with emails), threads, drafts and chat rooms in the same world.
  p = await startPortalWorld(w)
}, 120_000)
afterAll(() => w.server.close())

interface Case {
  readonly name: string
  readonly method?: "GET" | "POST" | "DELETE"
  /** The ids to try, with the nonexistent one last. */
  readonly ids: () => ReadonlyArray<string>
  readonly path: (id: string, who: Staff) => string
  readonly sees: (who: Staff, id: string) => Promise<boolean>
  /** A role rule of the route (pages that exist for everyone): 403 when it refuses. */
  readonly role?: (who: Staff) => boolean
  readonly form?: (id: string, who: Staff) => Record<string, string>
  /** The answers the route gives when the policy allows. */
  readonly allowed: (id: string, who: Staff) => Promise<ReadonlyArray<number>> | ReadonlyArray<number>
  /** Text of the record (read just before the request) that an answer to someone who may not see it never contains. */
  readonly secret?: (id: string) => Promise<string | undefined>
}

type Outcome = { readonly who: Who; readonly id: string; readonly status: number; readonly expected: string }

const request = (who: Who, method: string, path: string, form?: Record<string, string>) =>
  method === "GET"
    ? w.browsers[who].request(path)
    : w.browsers[who].request(path, { method, form: { _csrf: w.browsers[who].csrfToken, ...form } })

const check = async (c: Case, method = c.method ?? "GET"): Promise<ReadonlyArray<Outcome>> => {
  const wrong: Array<Outcome> = []
  for (const who of everyone) {
    const staff = w.staff[who]
    const ids = c.ids()
    const missingId = ids[ids.length - 1]!
    const missing = await request(who, method, c.path(missingId, staff), c.form?.(missingId, staff))
    for (const id of ids) {
      const sees = await c.sees(staff, id)
      const roleOk = c.role === undefined || c.role(staff)
      const allowed = sees && roleOk ? await c.allowed(id, staff) : []
      const secret = sees ? undefined : await c.secret?.(id)
      const response = await request(who, method, c.path(id, staff), c.form?.(id, staff))
      const status = response.status
      const body = await response.text()
      let ok: boolean
      let expected: string
      if (sees && roleOk) {
        ok = allowed.includes(status)
        expected = allowed.join("|")
      } else if (sees) {
        ok = status === 403
        expected = "403 (role)"
      } else if (roleOk) {
        ok = status === 404
        expected = "404"
      } else {
        ok = (status === 403 || status === 404) && status === missing.status
        expected = `403|404, as for a record that does not exist (${missing.status})`
      }
      // A hidden record never shows its data.
      if (!sees && status < 400) ok = false
      if (!sees && id !== missingId && /Hello from/.test(body)) ok = false
      if (secret !== undefined && body.includes(secret)) ok = false
      if (!ok) wrong.push({ who, id, status, expected })
    }
  }
  return wrong
}

const channelIds = () => [...Object.values(w.channels), w.missingChannel]
const clientIds = () => [...Object.values(w.clients), w.missingClient]
const seesChannel = (staff: Staff, id: string) => policySeesChannel(w, staff, id as never)
const reachesClient = (staff: Staff, id: string) => policyReachesClient(w, staff, id as never)
const isStranger = async (id: string) => (await channelOf(w, id as never))?.clientId === undefined

/** Texts to a client's channel go out (consent is on); to an unknown number they are refused for consent. */
const sendAnswer = (ok: number) => async (id: string) => ((await isStranger(id)) ? [422] : [ok])

const channelCases: ReadonlyArray<Case> = [
  { name: "GET /messages/:id", ids: channelIds, path: (id) => `/messages/${id}`, sees: seesChannel, allowed: () => [200] },
  { name: "GET /messages/:id/messages", ids: channelIds, path: (id) => `/messages/${id}/messages`, sees: seesChannel, allowed: () => [200] },
  { name: "GET /messages/:id/older", ids: channelIds, path: (id) => `/messages/${id}/older?before=9999999999999.zz`, sees: seesChannel, allowed: () => [200] },
  { name: "GET /messages/:id/actions", ids: channelIds, path: (id) => `/messages/${id}/actions`, sees: seesChannel, allowed: () => [200] },
  { name: "GET /messages/:id/transcript.txt", ids: channelIds, path: (id) => `/messages/${id}/transcript.txt`, sees: seesChannel, allowed: () => [200] },
  { name: "GET /dock/channels/:id", ids: channelIds, path: (id) => `/dock/channels/${id}`, sees: seesChannel, allowed: () => [200] },
  { name: "GET /dock/channels/:id/messages", ids: channelIds, path: (id) => `/dock/channels/${id}/messages`, sees: seesChannel, allowed: () => [200] },
  { name: "POST /messages/:id/send", method: "POST", ids: channelIds, path: (id) => `/messages/${id}/send`, form: () => ({ body: "Matrix check" }), sees: seesChannel, allowed: sendAnswer(303) },
  { name: "POST /dock/channels/:id/messages", method: "POST", ids: channelIds, path: (id) => `/dock/channels/${id}/messages`, form: () => ({ body: "Matrix check" }), sees: seesChannel, allowed: sendAnswer(200) },
  { name: "POST /messages/:id/status", method: "POST", ids: channelIds, path: (id) => `/messages/${id}/status`, form: () => ({ status: "open" }), sees: seesChannel, allowed: () => [303] },
  { name: "POST /messages/:id/archive", method: "POST", ids: channelIds, path: (id) => `/messages/${id}/archive`, form: () => ({ archived: "false" }), sees: seesChannel, allowed: () => [303] },
  { name: "POST /messages/:id/mute", method: "POST", ids: channelIds, path: (id) => `/messages/${id}/mute`, form: () => ({ muted: "false" }), sees: seesChannel, allowed: () => [303] },
  { name: "POST /messages/:id/replies", method: "POST", ids: channelIds, path: (id) => `/messages/${id}/replies`, form: () => ({ allowed: "true" }), sees: seesChannel, allowed: () => [303] },
  { name: "POST /messages/:id/reply-link", method: "POST", ids: channelIds, path: (id) => `/messages/${id}/reply-link`, form: () => ({ do: "renew" }), sees: seesChannel, allowed: () => [303] },
  {
    name: "POST /messages/:id/block (unblock)", method: "POST", ids: channelIds, path: (id) => `/messages/${id}/block`, form: () => ({ blocked: "false" }),
    sees: seesChannel, role: mayBlock, allowed: async (id) => ((await isStranger(id)) ? [400] : [303])
  },
  { name: "GET /contacts/:channelId", ids: channelIds, path: (id) => `/contacts/${id}`, sees: seesChannel, allowed: async (id) => ((await isStranger(id)) ? [200] : [303]) },
  // The conversions themselves are tested beside the route; here an incomplete form probes who gets past the policy.
  { name: "POST /contacts/:channelId/new (probe)", method: "POST", ids: channelIds, path: (id) => `/contacts/${id}/new`, form: () => ({}), sees: seesChannel, role: mayAddClients, allowed: () => [400] },
  { name: "POST /contacts/:channelId/attach (probe)", method: "POST", ids: channelIds, path: (id) => `/contacts/${id}/attach`, form: () => ({}), sees: seesChannel, allowed: () => [400] },
  // Clinical record (S3): the whole conversation as a note; a conversation without a client cannot go to a chart.
  { name: "POST /messages/:id/chart (transcript)", method: "POST", ids: channelIds, path: (id) => `/messages/${id}/chart`, form: () => ({}), sees: seesChannel, allowed: sendAnswer(303) },
  // By email (S3): only to a client with an email address who is not blocked.
  {
    name: "POST /messages/:id/send (by email)", method: "POST", ids: channelIds, path: (id) => `/messages/${id}/send`, form: () => ({ body: "Matrix check by email", medium: "email" }),
    sees: seesChannel, allowed: async (id) => {
      const clientId = (await channelOf(w, id as never))?.clientId
      const client = clientId === undefined ? undefined : await clientOf(w, clientId)
      return client?.email !== undefined && !client.blocked ? [303] : [422]
    }
  },
  // Last: "delete for me" takes the channel out of one's own inbox (it stays reachable).
  { name: "POST /messages/:id/hide", method: "POST", ids: channelIds, path: (id) => `/messages/${id}/hide`, sees: seesChannel, allowed: () => [303] }
]

/** A line the staff member may send from (any line for someone who has none: the send is refused anyway). */
const lineFor = (staff: Staff) =>
  staff.organisationId !== world.lines.org.organisationId
    ? world.lines.orgB.id
    : staff.id === world.staff.spec1.id
      ? world.lines.spec1.id
      : staff.id === world.staff.spec2.id
        ? world.lines.spec2.id
        : world.lines.org.id

const clientCases: ReadonlyArray<Case> = [
  { name: "GET /clients/:id", ids: clientIds, path: (id) => `/clients/${id}`, sees: reachesClient, allowed: () => [200] },
  { name: "GET /clients/:id?tab=messages", ids: clientIds, path: (id) => `/clients/${id}?tab=messages`, sees: reachesClient, allowed: () => [200] },
  { name: "GET /clients/:id/sms/watch", ids: clientIds, path: (id, who) => `/clients/${id}/sms/watch?line=${lineFor(who)}`, sees: reachesClient, allowed: () => [200] },
  { name: "GET /dock/clients/:id", ids: clientIds, path: (id) => `/dock/clients/${id}`, sees: reachesClient, allowed: () => [200] },
  { name: "POST /clients/:id/attest", method: "POST", ids: clientIds, path: (id) => `/clients/${id}/attest`, sees: reachesClient, allowed: () => [303] },
  {
    name: "POST /clients/:id/sms", method: "POST", ids: clientIds, path: (id) => `/clients/${id}/sms`, form: (_, who) => ({ lineId: lineFor(who), body: "Matrix check" }),
    sees: reachesClient, allowed: () => [303]
  },
  { name: "POST /dock/clients/:id/messages", method: "POST", ids: clientIds, path: (id) => `/dock/clients/${id}/messages`, form: (_, who) => ({ body: "Matrix check", line: lineFor(who) }), sees: reachesClient, allowed: () => [200] },
  {
    name: "POST /clients/:id/phones", method: "POST", ids: clientIds, path: (id) => `/clients/${id}/phones`,
    form: (id) => ({ rows: "1", number1: Object.values(world.clients).find((c) => c.id === id)?.phones[0]?.number ?? "+15550000099", label1: "mobile", primary: "1" }),
    sees: reachesClient, allowed: () => [303]
  },
  { name: "POST /clients/:id/block", method: "POST", ids: clientIds, path: (id) => `/clients/${id}/block`, sees: reachesClient, role: mayBlock, allowed: () => [303] },
  { name: "POST /clients/:id/unblock", method: "POST", ids: clientIds, path: (id) => `/clients/${id}/unblock`, sees: reachesClient, role: mayBlock, allowed: () => [303] },
  {
    name: "POST /clients/:id/assignments", method: "POST", ids: clientIds, path: (id) => `/clients/${id}/assignments`, form: (_, who) => ({ staffId: who.id }),
    sees: reachesClient, role: mayManageAssignments, allowed: () => [303]
  },
  // The portal invitation (S1): for whoever may reach the client; it needs the client's email and no block.
  {
    name: "POST /clients/:id/portal/invite", method: "POST", ids: clientIds, path: (id) => `/clients/${id}/portal/invite`, sees: reachesClient,
    allowed: async (id) => {
      const client = await clientOf(w, id as never)
      return client?.email !== undefined && !client.blocked ? [303] : [422]
    }
  },
  {
    name: "POST /clients/:id/assignments/:staffId/end", method: "POST", ids: clientIds, path: (id, who) => `/clients/${id}/assignments/${who.id}/end`,
    sees: reachesClient, role: mayManageAssignments, allowed: () => [303]
  }
]

const staffIds = () => [...Object.values(w.staff).map((s) => s.id as string), world.staff.gone.id, w.missingStaff]
const sameOrganisation = async (staff: Staff, id: string) => (await staffById(w, StaffId.make(id)))?.organisationId === staff.organisationId
const isAdmin = (staff: Staff) => staff.role === "admin"

const colleagueChannelIds = () => {
  const colleagues = [world.staff.spec1.id, world.staff.spec2.id, world.staff.coordinator.id, world.staff.adminB.id, "nobody"]
  return [...colleagues.flatMap((s) => [...Object.values(w.channels), w.missingChannel].map((ch) => `${s}/${ch}`)), `${w.missingStaff}/${w.missingChannel}`]
}
const seesThroughColleague = async (viewer: Staff, pair: string) => {
  const [colleagueId, channelId] = pair.split("/") as [string, string]
  const colleague = await staffById(w, StaffId.make(colleagueId))
  return colleague !== undefined && (await policyViewsColleague(w, viewer, colleague.id)) && (await policySeesChannel(w, colleague, channelId as never))
}

const colleagueCases: ReadonlyArray<Case> = [
  {
    name: "GET /messages/colleague/:staffId", ids: staffIds, path: (id) => `/messages/colleague/${id}`,
    sees: (viewer, id) => policyViewsColleague(w, viewer, StaffId.make(id)), role: (s) => isManagerRole(s.role), allowed: () => [200]
  },
  {
    name: "GET /messages/colleague/:staffId/:channelId", ids: colleagueChannelIds, path: (pair) => `/messages/colleague/${pair}`,
    sees: seesThroughColleague, role: (s) => isManagerRole(s.role), allowed: () => [200]
  },
  {
    name: "GET /messages/colleague/:staffId/:channelId/messages", ids: colleagueChannelIds, path: (pair) => `/messages/colleague/${pair}/messages`,
    sees: seesThroughColleague, role: (s) => isManagerRole(s.role), allowed: () => [200]
  }
]

const everyoneSees = async () => true
const pageCases: ReadonlyArray<Case> = [
  ...["/admin", "/admin/clients", "/admin/assignments", "/admin/lines", "/admin/audit", "/admin/audit.csv"].map((path): Case => ({
    name: `GET ${path}`, ids: () => ["-"], path: () => path, sees: everyoneSees, role: isAdmin, allowed: () => [200]
  })),
  { name: "GET /settings", ids: () => ["-"], path: () => "/settings", sees: everyoneSees, role: (s) => isManagerRole(s.role), allowed: () => [200] },
  // The portal settings (S1, S3): what the portal shows and whether emails carry content.
  { name: "POST /settings/portal", method: "POST", ids: () => ["-"], path: () => "/settings/portal", form: () => ({ portalShowsSms: "on" }), sees: everyoneSees, role: (s) => isManagerRole(s.role), allowed: () => [303] }
]

const queueIds = () => ["q_1", "q_b", "q_missing"]
const queueInOrganisation = async (staff: Staff, id: string) =>
  (id === "q_1" && staff.organisationId === world.lines.org.organisationId) || (id === "q_b" && staff.organisationId === world.lines.orgB.organisationId)

const adminCases: ReadonlyArray<Case> = [
  {
    name: "POST /admin/staff/:id/role (unchanged)", method: "POST", ids: staffIds, path: (id) => `/admin/staff/${id}/role`,
    form: (id) => ({ role: Object.values(w.staff).find((s) => s.id === id)?.role ?? world.staff.gone.role }),
    sees: sameOrganisation, role: isAdmin, allowed: (id, who) => (id === who.id ? [422] : [303])
  },
  {
    name: "POST /admin/staff/:id/active (stays active)", method: "POST", ids: () => staffIds().filter((id) => id !== world.staff.gone.id), path: (id) => `/admin/staff/${id}/active`,
    // Admins never change their own active flag (an organisation keeps its admin), even to "active".
    form: () => ({ active: "true" }), sees: sameOrganisation, role: isAdmin, allowed: (id, who) => (id === who.id ? [422] : [303])
  },
  { name: "POST /admin/staff/:id/tokens", method: "POST", ids: () => staffIds().filter((id) => id !== world.staff.gone.id), path: (id) => `/admin/staff/${id}/tokens`, sees: sameOrganisation, role: isAdmin, allowed: () => [200] },
  {
    name: "POST /admin/clients/:id/active", method: "POST", ids: clientIds, path: (id) => `/admin/clients/${id}/active`, form: () => ({ active: "true" }),
    sees: async (staff, id) => (await clientOf(w, id as never))?.organisationId === staff.organisationId,
    role: isAdmin, allowed: () => [303]
  },
  {
    name: "POST /admin/queues/:id/members", method: "POST", ids: queueIds, path: (id) => `/admin/queues/${id}/members`,
    // Members of the actor's own organisation (as the form offers), and q_1 keeps spec_1.
    form: (_, who) => ({ members: who.organisationId === world.lines.orgB.organisationId ? world.staff.adminB.id : world.staff.spec1.id }),
    sees: queueInOrganisation, role: isAdmin, allowed: () => [303]
  },
  {
    name: "POST /settings/queues/:id/after-hours", method: "POST", ids: queueIds, path: (id) => `/settings/queues/${id}/after-hours`, form: () => ({ text: "" }),
    sees: queueInOrganisation, role: (s) => isManagerRole(s.role), allowed: () => [303]
  }
]

// Attachments of an inbound MMS: `channel/message/n`, opened for whoever sees the channel (a redirect with the
// fake provider), 404 otherwise — and 404 for a message under another channel's path or media past the last.
const mediaOf = (triple: string) => {
  const [channelId, messageId, n] = triple.split("/") as [string, string, string]
  return { channelId: ChannelId.make(channelId), messageId: MessageId.make(messageId), n: Number(n) }
}
const ownAttachments = () => Object.values(w.attachments).flatMap(({ channelId, messageId }) => [`${channelId}/${messageId}/0`, `${channelId}/${messageId}/1`])
const attachmentIds = () => {
  const a = w.attachments
  const crossed = [`${a["org"]!.channelId}/${a["s1"]!.messageId}/0`, `${a["s1"]!.channelId}/${a["b"]!.messageId}/0`, `${a["b"]!.channelId}/${a["org"]!.messageId}/0`, `${a["org"]!.channelId}/${a["org"]!.messageId}/2`]
  return [...ownAttachments(), ...crossed, `${w.missingChannel}/msg_missing/0`]
}
const seesAttachment = async (staff: Staff, triple: string) => {
  const { channelId, messageId, n } = mediaOf(triple)
  return (await hasMedia(w, channelId, messageId, n)) && (await policySeesChannel(w, staff, channelId))
}
const colleagueAttachmentIds = () => {
  const colleagues = [world.staff.spec1.id, world.staff.spec2.id, world.staff.coordinator.id, world.staff.adminB.id, "nobody"]
  return [...colleagues.flatMap((s) => ownAttachments().map((triple) => `${s}/${triple}`)), `${w.missingStaff}/${w.missingChannel}/msg_missing/0`]
}
const seesColleagueAttachment = async (viewer: Staff, path: string) => {
  const [colleagueId, ...rest] = path.split("/")
  const { channelId, messageId, n } = mediaOf(rest.join("/"))
  return (await hasMedia(w, channelId, messageId, n)) && (await seesThroughColleague(viewer, `${colleagueId}/${channelId}`))
}

// One message to the clinical record (S3): `channel/message`, for whoever sees the channel when the message is
// in it (a conversation without a client has no record: 422); 404 otherwise, also for another channel's message.
const chartPairs = () => {
  const a = w.attachments
  return [...Object.values(a).map(({ channelId, messageId }) => `${channelId}/${messageId}`), `${a["org"]!.channelId}/${a["s1"]!.messageId}`, `${a["b"]!.channelId}/${a["org"]!.messageId}`, `${w.missingChannel}/msg_missing`]
}
const chartMessageCase: Case = {
  name: "POST /messages/:id/chart (one message)", method: "POST", ids: chartPairs, path: (pair) => `/messages/${pair.split("/")[0]}/chart`,
  form: (pair) => ({ messageId: pair.split("/")[1]! }),
  sees: async (staff, pair) => {
    const [channelId, messageId] = pair.split("/") as [string, string]
    return (await hasMedia(w, ChannelId.make(channelId), MessageId.make(messageId), 0)) && (await policySeesChannel(w, staff, ChannelId.make(channelId)))
  },
  allowed: async (pair) => ((await isStranger(pair.split("/")[0]!)) ? [422] : [303])
}

const attachmentCases: ReadonlyArray<Case> = [
  { name: "GET /messages/:channelId/attachments/:messageId/:n", ids: attachmentIds, path: (triple) => `/messages/${triple.replace("/", "/attachments/")}`, sees: seesAttachment, allowed: () => [302] },
  {
    name: "GET /messages/colleague/:staffId/:channelId/attachments/:messageId/:n", ids: colleagueAttachmentIds,
    path: (path) => {
      const [colleagueId, channelId, ...rest] = path.split("/")
      return `/messages/colleague/${colleagueId}/${channelId}/attachments/${rest.join("/")}`
    },
    // No page-level role rule here: the core's colleague policy decides (one's own inbox included).
    sees: seesColleagueAttachment, allowed: () => [302]
  }
]

// Saved client lists: the owner's alone; anyone else — same organisation or not, whatever their role — gets 404.
const listIds = () => [...Object.values(w.lists), w.missingList] as ReadonlyArray<string>
const ownsListId = (staff: Staff, id: string) => ownsList(w, staff, ClientListId.make(id))
const listName = async (id: string) =>
  Option.getOrUndefined(Option.map(await w.server.runtime.runPromise(ClientLists.use((l) => l.get(ClientListId.make(id)))), (list) => list.name))

const listCases: ReadonlyArray<Case> = [
  { name: "GET /bulk?list=:id", ids: listIds, path: (id) => `/bulk?list=${encodeURIComponent(id)}`, sees: ownsListId, secret: listName, allowed: () => [200] },
  {
    name: "POST /bulk/lists/:id/rename", method: "POST", ids: listIds, path: (id) => `/bulk/lists/${encodeURIComponent(id)}/rename`,
    form: (_, who) => ({ name: `Renamed by ${who.id}` }), sees: ownsListId, secret: listName, allowed: () => [303]
  },
  // Last: deleting takes the list away (then it is no one's).
  { name: "POST /bulk/lists/:id/delete", method: "POST", ids: listIds, path: (id) => `/bulk/lists/${encodeURIComponent(id)}/delete`, sees: ownsListId, secret: listName, allowed: () => [303] }
]

const expectNone = (wrong: ReadonlyArray<Outcome>) => expect(wrong.map((o) => `${o.who} ${o.id}: ${o.status}, expected ${o.expected}`)).toEqual([])

describe("access matrix: HTML pages and actions", () => {
  for (const c of [...channelCases, chartMessageCase, ...attachmentCases, ...clientCases, ...colleagueCases, ...listCases, ...pageCases, ...adminCases]) {
    it(c.name, async () => expectNone(await check(c)), 60_000)
  }
})

// The JSON API: the same policy, the same 404 for what one may not see; `gone` (deactivated) is 401 everywhere.

interface ApiCase {
  readonly name: string
  readonly method: "GET" | "POST" | "DELETE"
  readonly ids: () => ReadonlyArray<string>
  readonly path: (id: string, who: Staff) => string
  readonly body?: (id: string, who: Staff) => unknown
  readonly sees: (who: Staff, id: string) => Promise<boolean>
  readonly role?: (who: Staff) => boolean
  /** How the route answers a role rule on a record one sees: 403, or 404 where the core's policy decides the role. */
  readonly roleAnswer?: 403 | 404
  readonly allowed: ReadonlyArray<number>
}

const apiCases: ReadonlyArray<ApiCase> = [
  { name: "GET /api/v1/channels/:id/messages", method: "GET", ids: channelIds, path: (id) => `/channels/${id}/messages`, sees: seesChannel, allowed: [200] },
  { name: "POST /api/v1/channels/:id/status", method: "POST", ids: channelIds, path: (id) => `/channels/${id}/status`, body: () => ({ status: "open" }), sees: seesChannel, allowed: [200] },
  { name: "POST /api/v1/channels/:id/archive", method: "POST", ids: channelIds, path: (id) => `/channels/${id}/archive`, body: () => ({}), sees: seesChannel, allowed: [200] },
  {
    name: "POST /api/v1/messages {clientId}", method: "POST", ids: clientIds, path: () => "/messages",
    body: (id, who) => ({ clientId: id, lineId: lineFor(who), body: "Matrix check" }), sees: reachesClient, allowed: [202]
  },
  {
    name: "POST /api/v1/clients/:id/assignments", method: "POST", ids: clientIds, path: (id) => `/clients/${id}/assignments`,
    body: (_, who) => ({ staffId: who.id }), sees: reachesClient, role: mayManageAssignments, roleAnswer: 404, allowed: [201]
  },
  {
    name: "DELETE /api/v1/clients/:id/assignments/:staffId", method: "DELETE", ids: clientIds, path: (id, who) => `/clients/${id}/assignments/${who.id}`,
    sees: reachesClient, role: mayManageAssignments, roleAnswer: 404, allowed: [200]
  }
]

const checkApi = async (c: ApiCase): Promise<ReadonlyArray<Outcome>> => {
  const wrong: Array<Outcome> = []
  const ask = (who: Who, id: string) => {
    const body = c.body?.(id, w.staff[who])
    return api(w, who, c.path(id, w.staff[who]), { method: c.method, ...(body === undefined ? {} : { body }) })
  }
  for (const who of everyone) {
    const staff = w.staff[who]
    const ids = c.ids()
    const missing = await ask(who, ids[ids.length - 1]!)
    for (const id of ids) {
      const sees = await c.sees(staff, id)
      const roleOk = c.role === undefined || c.role(staff)
      const response = await ask(who, id)
      const status = response.status
      const roleAnswer = c.roleAnswer ?? 403
      const expected = sees && roleOk ? c.allowed.join("|") : sees ? `${roleAnswer}` : roleOk ? "404" : `403|404 as for a missing record (${missing.status})`
      const ok = sees && roleOk
        ? c.allowed.includes(status)
        : sees
          ? status === roleAnswer
          : roleOk
            ? status === 404
            : (status === 403 || status === 404) && status === missing.status
      if (!ok) wrong.push({ who, id, status, expected })
    }
  }
  return wrong
}

describe("access matrix: JSON API", () => {
  for (const c of apiCases) it(c.name, async () => expectNone(await checkApi(c)), 60_000)

  it("a deactivated staff member's token is 401 on every route with an id, whatever the record", async () => {
    const wrong: Array<string> = []
    for (const c of apiCases) {
      for (const id of c.ids()) {
        const body = c.body?.(id, world.staff.gone)
        const response = await w.server.app.request(`/api/v1${c.path(id, world.staff.gone)}`, {
          method: c.method,
          headers: { authorization: `Bearer ${w.server.tokens.gone}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) })
        })
        if (response.status !== 401) wrong.push(`${c.name} ${id}: ${response.status}`)
      }
    }
    expect(wrong).toEqual([])
  })
})

// Search: the inbox narrowed by words, in the JSON API and the web inbox (all of a staff member's lines, or a queue's).

/** The channels a search for "hello" (every channel of the world says it) should show: seen by the policy, under the filter, not hidden. */
const expectedSearch = async (who: Who, archived: boolean, lineId?: string) => {
  const expected: Array<string> = []
  for (const id of Object.values(w.channels)) {
    const channel = await channelOf(w, id)
    if (channel === undefined || !(await seesChannel(w.staff[who], id)) || channel.archived !== archived) continue
    if (lineId !== undefined && channel.lineId !== lineId) continue
    const preference = await w.server.runtime.runPromise(Conversations.use((c) => c.getPreference(id, w.staff[who].id)))
    if (!preference.hidden) expected.push(id)
  }
  return expected.sort()
}

describe("access matrix: search", () => {
  it("GET /api/v1/channels?q= finds exactly the channels the policy lets each staff member see (archived or not), none hidden", async () => {
    const wrong: Array<string> = []
    for (const who of everyone) {
      for (const archived of [false, true]) {
        const response = await api(w, who, `/channels?q=hello${archived ? "&archived=true" : ""}`)
        const found = ((await response.json()) as { channels: ReadonlyArray<{ channel: { id: string } }> }).channels.map((r) => r.channel.id).sort()
        const expected = await expectedSearch(who, archived)
        if (JSON.stringify(found) !== JSON.stringify(expected)) wrong.push(`${who} archived=${archived}: ${found.join(",")} expected ${expected.join(",")}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it("GET /messages?q= (the web inbox, all lines or a queue's) finds exactly the channels the policy lets each staff member see", async () => {
    const wrong: Array<string> = []
    for (const who of everyone) {
      const intake = await w.server.runtime.runPromise(Directory.use((d) => d.getQueue(QueueId.make("q_1"))))
      const inQueue = Option.isSome(intake) && intake.value.members.includes(w.staff[who].id)
      for (const queue of [undefined, "q_1"]) {
        const html = await (await w.browsers[who].request(`/messages?q=hello${queue === undefined ? "" : `&queue=${queue}`}`)).text()
        const found = [...new Set([...html.matchAll(/href="\/messages\/([^"?/]+)\?[^"]*q=hello/g)].map((m) => m[1]!))].sort()
        const expected = await expectedSearch(who, false, queue !== undefined && inQueue ? queueLine.id : undefined)
        if (JSON.stringify(found) !== JSON.stringify(expected)) wrong.push(`${who} queue=${queue}: ${found.join(",")} expected ${expected.join(",")}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it("the batched check (authorizeChannels) agrees with authorizeChannel for every staff member and channel", async () => {
    const channels = (await Promise.all(Object.values(w.channels).map((id) => channelOf(w, id)))).filter((c) => c !== undefined)
    const wrong: Array<string> = []
    for (const who of everyone) {
      const staff = (await staffById(w, w.staff[who].id))!
      const batched = (await w.server.runtime.runPromise(authorizeChannels(staff, channels))).map(({ channel }) => channel.id)
      const oneByOne = []
      for (const channel of channels) if (await seesChannel(staff, channel.id)) oneByOne.push(channel.id)
      if (JSON.stringify(batched) !== JSON.stringify(oneByOne)) wrong.push(`${who}: ${batched.join(",")} expected ${oneByOne.join(",")}`)
    }
    expect(wrong).toEqual([])
  })
})

describe("access matrix: reply links", () => {
  it("a channel's reply link reads and answers that channel only; a link of another channel or a made-up one reaches nothing", async () => {
    const admin = w.browsers.admin
    const linkOf = async (id: string) => {
      await admin.request(`/messages/${id}/replies`, { form: { _csrf: admin.csrfToken, allowed: "true" } })
      await admin.request(`/messages/${id}/reply-link`, { form: { _csrf: admin.csrfToken, do: "renew" } })
      const channel = await channelOf(w, id as never)
      const token = channel?.replyToken
      if (token === undefined) throw new Error(`no reply link on ${id}`)
      return token
    }
    const org = await linkOf(w.channels["org"]!)
    const other = await linkOf(w.channels["b"]!)
    const page = await (await w.server.app.request(`/r/${org}`)).text()
    expect(page).toContain("Hello from org")
    expect(page).not.toContain("Hello from b")
    const otherPage = await (await w.server.app.request(`/r/${other}`)).text()
    expect(otherPage).toContain("Hello from b")
    expect(otherPage).not.toContain("Hello from org")
    for (const made of [`${org.slice(0, -1)}${org.endsWith("A") ? "B" : "A"}`, "A".repeat(43), `${w.channels["org"]}`]) {
      const response = await w.server.app.request(`/r/${made}`)
      expect(response.status, made).toBeGreaterThanOrEqual(400)
      expect(await response.text()).not.toContain("Hello from")
    }
  })
})

// Issue 6: secure-message threads, their attachments and drafts, staff chat rooms and portal sessions.
// Every staff member of both organisations and every client signed in to the portal (both organisations)
// tries every thread, draft and room; the expected answer comes from the core's rules (`Thread.ts`
// and the participant rule of `participantThread`, `isChatMember`), read just before each request.

interface PortalCase {
  readonly name: string
  readonly method?: "GET" | "POST"
  /** The ids to try, with one that names nothing last. */
  readonly ids: () => ReadonlyArray<string>
  /** Who the route is for (staff-only routes are tried by staff; clients never reach staff pages at all). */
  readonly for?: (person: Person) => boolean
  readonly path: (id: string, person: Person) => string
  readonly form?: (id: string, person: Person) => Record<string, string>
  readonly sees: (person: Person, id: string) => Promise<boolean>
  /** What the rules say the route answers someone who may see the record. */
  readonly allowed: (id: string, person: Person) => Promise<ReadonlyArray<number>>
  /** Text of the record that an answer to someone who may not see it never contains. */
  readonly secret?: (id: string) => Promise<ReadonlyArray<string>>
}

const checkPortal = async (c: PortalCase): Promise<ReadonlyArray<string>> => {
  const wrong: Array<string> = []
  const method = c.method ?? "GET"
  const answered = { allowed: 0, hidden: 0 }
  for (const person of p.people.filter((x) => c.for?.(x) ?? true)) {
    const browser = browserOfPerson(p, person)
    for (const id of c.ids()) {
      const sees = await c.sees(person, id)
      const expected = sees ? await c.allowed(id, person) : [404]
      const secrets = sees ? [] : (await c.secret?.(id)) ?? []
      const path = c.path(id, person)
      const response = method === "GET" ? await browser.request(path) : await browser.request(path, { form: { _csrf: browser.csrfToken, ...c.form?.(id, person) } })
      const body = await response.text()
      answered[sees ? "allowed" : "hidden"]++
      if (!expected.includes(response.status)) wrong.push(`${personName(person)} ${id}: ${response.status}, expected ${expected.join("|")}`)
      for (const secret of secrets) if (body.includes(secret)) wrong.push(`${personName(person)} ${id}: shows "${secret}" it may not see`)
    }
  }
  // The matrix is only worth something if it tried both sides.
  if (answered.allowed === 0 || answered.hidden === 0) wrong.push(`only one side tried: ${JSON.stringify(answered)}`)
  return wrong
}

const threadIds = () => [...Object.values(p.threads), p.missingThread] as ReadonlyArray<string>
const participates = (person: Person, id: string) => takesPart(p, person, id)
/** A hidden thread's subject and every message's text never show. */
const threadSecrets = async (id: string) => {
  const thread = await threadOf(p, id)
  if (thread === undefined) return []
  return [thread.subject, ...(await messagesOfThread(p, id)).map((m) => m.body)]
}
const isStaff = (person: Person) => person._tag === "Staff"
/** `thread/message` or `thread/blob`: every thread with each of its own items, and items of other threads under a thread's path. */
const pairsOf = async (pick: (m: Awaited<ReturnType<typeof messagesOfThread>>[number]) => ReadonlyArray<string>) => {
  const own: Array<string> = []
  for (const id of Object.values(p.threads)) for (const m of await messagesOfThread(p, id)) for (const item of pick(m)) own.push(`${id}/${item}`)
  const t = p.threads
  const firstOf = async (id: string) => pick((await messagesOfThread(p, id))[0]!)[0]!
  const crossed = [`${t["staffOnly"]}/${await firstOf(t["oneClient"]!)}`, `${t["oneClient"]}/${await firstOf(t["otherOrganisation"]!)}`, `${t["otherOrganisation"]}/${await firstOf(t["byClient"]!)}`]
  return [...own, ...crossed, `${p.missingThread}/missing_item_0`]
}
let messagePairs: ReadonlyArray<string> = []
let filePairs: ReadonlyArray<string> = []
const split = (pair: string) => pair.split("/") as [string, string]
const hasMessage = async (threadId: string, messageId: string) => (await messagesOfThread(p, threadId)).some((m) => m.id === messageId)
const hasFile = async (threadId: string, blobId: string) => (await messagesOfThread(p, threadId)).some((m) => m.attachments.some((a) => a.blobId === blobId))
const ruled = async (person: Person, id: string) => {
  const thread = (await threadOf(p, id))!
  return { rules: await ruleThreadOf(p, thread), me: await rulePersonOf(p, person) }
}

const threadCases: ReadonlyArray<PortalCase> = [
  { name: "GET …/threads/:id", ids: threadIds, path: (id, who) => `${baseOf(who)}/threads/${id}`, sees: participates, allowed: async () => [200], secret: threadSecrets },
  // The messages alone (what the live `secure-<thread>` event reloads).
  { name: "GET …/threads/:id/messages", ids: threadIds, path: (id, who) => `${baseOf(who)}/threads/${id}/messages`, sees: participates, allowed: async () => [200], secret: threadSecrets },
  {
    name: "GET …/threads/:id/quick-note", ids: threadIds, path: (id, who) => `${baseOf(who)}/threads/${id}/quick-note`, sees: participates, secret: threadSecrets,
    allowed: async (id, who) => (isStaff(who) && quickNoteRefusal((await ruled(who, id)).rules) === undefined ? [200] : [422])
  },
  {
    name: "GET …/threads/:id/files/:blobId", ids: () => filePairs, path: (pair, who) => `${baseOf(who)}/threads/${split(pair)[0]}/files/${split(pair)[1]}`,
    sees: async (who, pair) => (await participates(who, split(pair)[0])) && (await hasFile(...split(pair))), allowed: async () => [200]
  },
  {
    name: "POST …/threads/:id/reply", method: "POST", ids: threadIds, path: (id, who) => `${baseOf(who)}/threads/${id}/reply`, form: () => ({ do: "send", body: "Matrix reply, long enough" }),
    sees: participates, secret: threadSecrets,
    allowed: async (id, who) => {
      const { rules, me } = await ruled(who, id)
      return replyRefusal(rules, me) === undefined ? [303] : [422]
    }
  },
  {
    name: "POST …/threads/:id/reply (save a reply draft)", method: "POST", ids: threadIds, path: (id, who) => `${baseOf(who)}/threads/${id}/reply`,
    form: () => ({ do: "save", body: "Matrix draft" }), sees: participates, secret: threadSecrets, allowed: async () => [303]
  },
  {
    name: "POST …/threads/:id/quick-note", method: "POST", ids: threadIds, path: (id, who) => `${baseOf(who)}/threads/${id}/quick-note`, form: () => ({ text: "Matrix note" }),
    sees: participates, secret: threadSecrets,
    allowed: async (id, who) => (isStaff(who) && quickNoteRefusal((await ruled(who, id)).rules) === undefined ? [303] : [422])
  }
]

const draftIds = () => [...Object.values(p.drafts), p.missingDraft] as ReadonlyArray<string>
const draftSecrets = async (id: string) => {
  const draft = await draftOf(p, id)
  return draft === undefined ? [] : [draft.body]
}
const draftCases: ReadonlyArray<PortalCase> = [
  {
    // A reply's draft opens on its thread (a redirect); a new message's in the compose form.
    name: "GET …/new?draft=:id", ids: draftIds, path: (id, who) => `${baseOf(who)}/new?draft=${id}`, sees: (who, id) => ownsDraft(p, who, id), secret: draftSecrets,
    allowed: async (id) => ((await draftOf(p, id))?.replyTo === undefined ? [200] : [303])
  }
]

const roomIds = () => [...Object.values(p.rooms), p.missingRoom] as ReadonlyArray<string>
const roomCases: ReadonlyArray<PortalCase> = [
  { name: "GET /dock/chats/:id", ids: roomIds, for: isStaff, path: (id) => `/dock/chats/${id}`, sees: (who, id) => inRoom(p, who, id), allowed: async () => [200] },
  { name: "GET /dock/chats/:id/messages", ids: roomIds, for: isStaff, path: (id) => `/dock/chats/${id}/messages`, sees: (who, id) => inRoom(p, who, id), allowed: async () => [200] },
  // Older messages ("Load older messages"): members only as well.
  { name: "GET /dock/chats/:id/messages?before=", ids: roomIds, for: isStaff, path: (id) => `/dock/chats/${id}/messages?before=5`, sees: (who, id) => inRoom(p, who, id), allowed: async () => [200] },
  {
    name: "POST /dock/chats/:id/messages", method: "POST", ids: roomIds, for: isStaff, path: (id) => `/dock/chats/${id}/messages`, form: (_, who) => ({ body: `Chat from ${personName(who)}` }),
    sees: (who, id) => inRoom(p, who, id), allowed: async () => [200]
  }
]

// Deletes last (what they delete is then no one's): messages (their staff author only), drafts (their author only), threads (their staff starter only).
const deleteCases: ReadonlyArray<PortalCase> = [
  {
    name: "POST …/threads/:id/messages/:messageId/delete", method: "POST", ids: () => messagePairs,
    path: (pair, who) => `${baseOf(who)}/threads/${split(pair)[0]}/messages/${split(pair)[1]}/delete`,
    sees: async (who, pair) => (await participates(who, split(pair)[0])) && (await hasMessage(...split(pair))),
    allowed: async (pair, who) => {
      const [threadId, messageId] = split(pair)
      const author = (await messagesOfThread(p, threadId)).find((m) => m.id === messageId)!.author
      const authorRule = author._tag === "Staff"
        ? { _tag: "Staff" as const, staffId: author.staffId, role: (await staffById(w, author.staffId))?.role ?? "specialist" }
        : { _tag: "Client" as const, clientId: author.clientId, active: true }
      return deleteMessageRefusal(await rulePersonOf(p, who), authorRule) === undefined ? [303] : [422]
    }
  },
  { name: "POST …/drafts/:id/delete", method: "POST", ids: draftIds, path: (id, who) => `${baseOf(who)}/drafts/${id}/delete`, sees: (who, id) => ownsDraft(p, who, id), allowed: async () => [303] },
  {
    name: "POST …/threads/:id/delete", method: "POST", ids: threadIds, path: (id, who) => `${baseOf(who)}/threads/${id}/delete`, sees: participates, secret: threadSecrets,
    allowed: async (id, who) => {
      const { rules, me } = await ruled(who, id)
      return deleteThreadRefusal(me, rules) === undefined ? [303] : [422]
    }
  }
]

describe("access matrix: secure messages, drafts, attachments and chat rooms (staff and portal clients of both organisations)", () => {
  beforeAll(async () => {
    messagePairs = await pairsOf((m) => [m.id])
    filePairs = await pairsOf((m) => m.attachments.map((a) => a.blobId))
  })

  for (const c of [...threadCases, ...draftCases, ...roomCases]) {
    it(c.name, async () => expect(await checkPortal(c)).toEqual([]), 120_000)
  }

  it("POST …/bulk (mark read, archive) changes only one's own threads: another's thread, even named, keeps everyone's state", async () => {
    const wrong: Array<string> = []
    const statesOf = (id: string) =>
      w.server.runtime.runPromise(Effect.gen(function* () {
        const thread = Option.getOrUndefined(yield* PortalThreads.use((t) => t.getThread(ThreadId.make(id))))
        if (thread === undefined) return "[]"
        const states = yield* Effect.forEach(thread.participants, (ref) => PortalThreads.use((t) => t.stateOf(thread.id, ref)))
        return JSON.stringify(states)
      }))
    for (const person of p.people) {
      const browser = browserOfPerson(p, person)
      for (const id of threadIds()) {
        if (await participates(person, id)) continue
        for (const action of ["archive", "read"]) {
          const before = await statesOf(id)
          const response = await browser.request(`${baseOf(person)}/bulk`, { form: { _csrf: browser.csrfToken, do: action, thread: id } })
          if (response.status >= 400 && response.status !== 404) wrong.push(`${personName(person)} ${action} ${id}: ${response.status}`)
          if ((await statesOf(id)) !== before) wrong.push(`${personName(person)} ${action} ${id}: changed the state of a thread they are not in`)
        }
      }
    }
    expect(wrong).toEqual([])
  }, 120_000)

  for (const c of deleteCases) {
    it(c.name, async () => expect(await checkPortal(c)).toEqual([]), 120_000)
  }
})

describe("access matrix: portal sessions", () => {
  it("a client's session opens no staff page, and a staff session no portal page: off to the other sign-in, showing nothing", async () => {
    const wrong: Array<string> = []
    const staffPaths = [
      "/messages", `/messages/${w.channels["s1"]}`, `/clients/${w.clients["c1"]}`, "/secure", "/secure/new", `/secure/threads/${p.threads["oneClient"]}`,
      `/dock/chats/${p.rooms["pair"]}`, "/dock", "/settings", "/admin", "/bulk", "/events"
    ]
    for (const who of portalClients) {
      const client = p.clientBrowsers[who]
      for (const path of staffPaths) {
        const response = await client.request(path)
        if (response.status !== 303 || !(response.headers.get("location") ?? "").startsWith("/sign-in")) wrong.push(`client ${who} GET ${path}: ${response.status} ${response.headers.get("location")}`)
        if (/Secret|Hello from/.test(await response.text())) wrong.push(`client ${who} GET ${path}: shows data`)
      }
      const posted = await client.request(`/secure/threads/${p.threads["oneClient"]}/reply`, { form: { _csrf: client.csrfToken, do: "send", body: "A client on a staff route" } })
      if (posted.status !== 303 || !(posted.headers.get("location") ?? "").startsWith("/sign-in")) wrong.push(`client ${who} POST /secure/…/reply: ${posted.status}`)
    }
    for (const who of ["admin", "spec1", "adminB"] as const) {
      for (const path of ["/portal", "/portal/messages", `/portal/messages/threads/${p.threads["oneClient"]}`, "/portal/sms", "/portal/events"]) {
        const response = await w.browsers[who].request(path)
        if (response.status !== 303 || !(response.headers.get("location") ?? "").startsWith("/portal/sign-in")) wrong.push(`${who} GET ${path}: ${response.status} ${response.headers.get("location")}`)
        if (/Secret|Hello from/.test(await response.text())) wrong.push(`${who} GET ${path}: shows data`)
      }
    }
    expect(wrong).toEqual([])
  }, 60_000)

  it("/portal/sms shows a client their own conversations only (never another client's or organisation's)", async () => {
    for (const admin of ["admin", "adminB"] as const) {
      const browser = w.browsers[admin]
      expect((await browser.request("/settings/portal", { form: { _csrf: browser.csrfToken, portalShowsSms: "on" } })).status).toBe(303)
    }
    const wrong: Array<string> = []
    for (const who of portalClients) {
      const client = p.clientBrowsers[who]
      const response = await client.request("/portal/sms")
      const page = await response.text()
      if (response.status !== 200) wrong.push(`${who}: ${response.status}`)
      const clientId = refOfPerson(p, { _tag: "Client", who })
      for (const [name, channelId] of Object.entries(w.channels)) {
        const mine = clientId._tag === "Client" && (await channelOf(w, channelId))?.clientId === clientId.clientId
        const shown = page.includes(`>Hello from ${name}<`)
        if (mine !== shown) wrong.push(`${who}: conversation ${name} ${shown ? "shown" : "not shown"}`)
      }
    }
    expect(wrong).toEqual([])
  }, 60_000)

  // Last of all: it ends the portal sessions of every client someone may reach.
  it("POST /clients/:id/portal/remove: whoever may reach the client, 404 for everyone else", async () => {
    expectNone(await check({ name: "remove", method: "POST", ids: clientIds, path: (id) => `/clients/${id}/portal/remove`, sees: reachesClient, allowed: () => [303] }))
  }, 60_000)
})
