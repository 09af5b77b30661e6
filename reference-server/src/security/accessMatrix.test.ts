import { ChannelId, ClientListId, ClientLists, isManagerRole, mayAddClients, mayBlock, mayManageAssignments, MessageId, type Staff, StaffId } from "@careline/core"
import { Option } from "effect"
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
  type SecurityWorld,
  staffById,
  startSecurityWorld,
  type Who
} from "./SecurityWorld.js"

/**
 * The access matrix (issue 7): every route that names a record, every staff member of the security
 * world against every record of both organisations (and one that does not exist). What is expected
 * comes from the core's policy functions, read at the moment of the request:
 *   seen and role allows → the route's own success; seen, role refuses → 403;
 *   not seen → 404, or — for a role rule checked before the record is looked up — the very answer a
 *   record that does not exist gets (so the answer never tells whether it exists).
 */

let w: SecurityWorld
beforeAll(async () => {
  w = await startSecurityWorld()
}, 60_000)
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
  { name: "GET /settings", ids: () => ["-"], path: () => "/settings", sees: everyoneSees, role: (s) => isManagerRole(s.role), allowed: () => [200] }
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
  for (const c of [...channelCases, ...attachmentCases, ...clientCases, ...colleagueCases, ...listCases, ...pageCases, ...adminCases]) {
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
