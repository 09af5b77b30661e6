import {
  assign,
  attestConsent,
  blockClient,
  ClientId,
  createClient,
  InvalidClient,
  LineId,
  mayAddClients,
  mayBlock,
  mayManageAssignments,
  portalStatus,
  sendSms,
  StaffId,
  unassign,
  unblockClient,
  updatePhones
} from "@careline/core"
import { Effect } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import type { Child } from "hono/jsx"
import { errorAnswer, Forbidden, InvalidRequest } from "../../../http/ApiError.js"
import { pathId } from "../../../http/Input.js"
import type { ServerRuntime, ServerServices } from "../../../Runtime.js"
import type { Section } from "../../../web/Layout.js"
import { staffPage } from "../../../web/Page.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { runPage } from "./ClientAnswers.js"
import { accessibleClients, loadProfile, reachableClient, visibleChannelsOf } from "./ClientDirectory.js"
import { ClientList } from "./ClientListPage.js"
import { type Banner, ClientProfile, doneNotices, type Tab } from "./ClientProfilePage.js"
import { PortalAccessCard } from "./PortalAccessCard.js"
import { ConversationWatch, type FirstText, loadSmsTab, SmsTab } from "./ClientSms.js"
import { decodeAssignForm, decodeListQuery, decodeProfileQuery, decodeSmsForm, type FormBody, parseNewClient, parsePhones } from "./Forms.js"

export const formOf = (c: Context<WebEnv>) => Effect.promise(async () => (await c.req.parseBody({ all: true })) as FormBody)

/** A whole staff page with any status (the shell's own helper knows 200, 404 and 422 only). */
export const pageResponse = (c: Context<WebEnv>, title: string, section: Section, content: Child, status = 200) =>
  Effect.promise(async () => {
    const page = await staffPage(c, { title, section }, content)
    return new Response(page.body, { status, headers: page.headers })
  })

/** A refusal the person can act on (status and the core's words), or `undefined` for failures that are not theirs to fix. */
export const refusalOf = (error: unknown): { readonly status: number; readonly message: string } | undefined => {
  if (error instanceof InvalidClient) return { status: 422, message: error.message }
  if (error instanceof InvalidRequest) return { status: 400, message: `Please check the form: ${error.problems.join("; ")}.` }
  const answer = errorAnswer(error)
  return answer.status === 400 || answer.status === 403 || answer.status === 422 ? answer : undefined
}

/** Runs a change; a refusal becomes a value so the page can show it where the person acted. */
export const attempt = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.map((value) => ({ ok: true, value }) as const),
    Effect.catch((error) => {
      const refused = refusalOf(error)
      return refused === undefined ? Effect.fail(error) : Effect.succeed({ ok: false, refused } as const)
    })
  )

const clientIdOf = (c: Context<WebEnv>) => pathId(c.req.param("id"), "client", ClientId.make)

/** The profile (or its SMS tab) with a notice or the reason something was refused. */
export const profilePage = (c: Context<WebEnv>, clientId: ClientId, tab: Tab, banner: Banner, status = 200, sms: { readonly line?: string; readonly firstText?: FirstText } = {}) =>
  Effect.gen(function* () {
    const { staff, csrfToken } = c.get("signedIn")
    const view = yield* loadProfile(staff.id, clientId)
    const messages = tab === "messages" ? <SmsTab tab={yield* loadSmsTab(staff, view.client, csrfToken, sms.line, sms.firstText)} csrfToken={csrfToken} /> : undefined
    const portal = tab === "profile" ? <PortalAccessCard client={view.client} status={yield* portalStatus(staff.id, clientId)} csrfToken={csrfToken} /> : undefined
    return yield* pageResponse(c, view.client.name, "clients", <ClientProfile view={view} csrfToken={csrfToken} tab={tab} banner={banner} messages={messages} portal={portal} />, status)
  })

const listPage = (c: Context<WebEnv>, query: string, form?: FormBody, problems?: ReadonlyArray<string>, status = 200) =>
  Effect.gen(function* () {
    const { staff, csrfToken } = c.get("signedIn")
    const rows = yield* accessibleClients(staff, query)
    const extra = { ...(form === undefined ? {} : { form }), ...(problems === undefined ? {} : { problems }) }
    return yield* pageResponse(c, "Clients", "clients", <ClientList rows={rows} query={query} csrfToken={csrfToken} mayAdd={mayAddClients(staff)} {...extra} />, status)
  })

/**
 * A profile action through the core (which checks access and audits): done → back to the profile
 * with a notice (post/redirect/get); refused → the profile with the reason, 4xx.
 */
const profileAction = <E,>(runtime: ServerRuntime, done: string, change: (c: Context<WebEnv>, clientId: ClientId) => Effect.Effect<unknown, E, ServerServices>) =>
  (c: Context<WebEnv>) =>
    runPage(c, runtime, Effect.gen(function* () {
      const clientId = yield* clientIdOf(c)
      const outcome = yield* attempt(change(c, clientId))
      if (outcome.ok) return c.redirect(`/clients/${clientId}?done=${done}`, 303)
      return yield* profilePage(c, clientId, "profile", { error: outcome.refused.message }, outcome.refused.status)
    }))

const requireRole = (allowed: boolean, reason: string) => (allowed ? Effect.void : Effect.fail(new Forbidden({ reason })))

/**
 * The clients screens: the list with search and "New client" (`/clients`), the profile with its
 * phones, consent history, assignments and Messages (SMS) tab (`/clients/:id`), and the profile's
 * actions. Everything goes through the core's services, so the access policy (a specialist sees only
 * clients currently assigned to them; others are 404) and the audit log apply.
 */
export const clientRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .get("/clients", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const query = yield* decodeListQuery(c.req.query())
        return yield* listPage(c, query.q ?? "")
      })))
    .post("/clients", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        yield* requireRole(mayAddClients(staff), "Only coordinators, supervisors and admins add clients.")
        const form = yield* formOf(c)
        const parsed = parseNewClient(form)
        if (!parsed.ok) return yield* listPage(c, "", form, parsed.problems, 422)
        const created = yield* attempt(createClient({ staffId: staff.id, ...parsed.value }))
        if (!created.ok) return yield* listPage(c, "", form, [created.refused.message], created.refused.status)
        return c.redirect(`/clients/${created.value.id}?done=created`, 303)
      })))
    .get("/clients/:id", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const clientId = yield* clientIdOf(c)
        const query = yield* decodeProfileQuery(c.req.query())
        const notice = query.done === undefined ? undefined : doneNotices[query.done]
        return yield* profilePage(c, clientId, query.tab ?? "profile", notice === undefined ? {} : { notice }, 200, query.line === undefined ? {} : { line: query.line })
      })))
    .post("/clients/:id/attest", profileAction(runtime, "attested", (c, clientId) => attestConsent({ staffId: c.get("signedIn").staff.id, clientId })))
    .post("/clients/:id/block", profileAction(runtime, "blocked", (c, clientId) =>
      Effect.andThen(requireRole(mayBlock(c.get("signedIn").staff), "Only supervisors and admins block clients."), blockClient({ staffId: c.get("signedIn").staff.id, clientId }))))
    .post("/clients/:id/unblock", profileAction(runtime, "unblocked", (c, clientId) =>
      Effect.andThen(requireRole(mayBlock(c.get("signedIn").staff), "Only supervisors and admins unblock clients."), unblockClient({ staffId: c.get("signedIn").staff.id, clientId }))))
    .post("/clients/:id/assignments", profileAction(runtime, "assigned", (c, clientId) =>
      Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        yield* requireRole(mayManageAssignments(staff), "Only coordinators, supervisors and admins change assignments.")
        const form = yield* decodeAssignForm(yield* formOf(c))
        return yield* assign({ actorId: staff.id, staffId: StaffId.make(form.staffId), clientId })
      })))
    .post("/clients/:id/assignments/:staffId/end", profileAction(runtime, "unassigned", (c, clientId) =>
      Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        yield* requireRole(mayManageAssignments(staff), "Only coordinators, supervisors and admins change assignments.")
        const staffId = yield* pathId(c.req.param("staffId"), "staff", StaffId.make)
        const ended = yield* unassign({ actorId: staff.id, staffId, clientId })
        if (!ended) return yield* new InvalidRequest({ problems: ["that staff member is not currently assigned to this client"] })
      })))
    .post("/clients/:id/phones", profileAction(runtime, "phones", (c, clientId) =>
      Effect.gen(function* () {
        const form = yield* formOf(c)
        const rows = Math.min(Math.max(Number(typeof form["rows"] === "string" ? form["rows"] : 0) || 0, 0), 20)
        const parsed = parsePhones(form, rows)
        if (!parsed.ok) return yield* new InvalidClient({ reason: parsed.problems.join(" ") })
        return yield* updatePhones({ staffId: c.get("signedIn").staff.id, clientId, phones: parsed.value })
      })))
    .get("/clients/:id/sms/watch", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        const { client } = yield* reachableClient(staff.id, yield* clientIdOf(c))
        const query = yield* decodeProfileQuery(c.req.query())
        if (query.line === undefined) return yield* new InvalidRequest({ problems: ["line: which line to watch"] })
        const lineId = LineId.make(query.line)
        const started = (yield* visibleChannelsOf(staff, client.id)).some((channel) => channel.lineId === lineId)
        return yield* Effect.promise(async () => c.html(<ConversationWatch clientId={client.id} lineId={lineId} started={started} />))
      })))
    .post("/clients/:id/sms", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        const clientId = yield* clientIdOf(c)
        const form = yield* formOf(c)
        const body = typeof form["body"] === "string" ? form["body"] : ""
        const lineText = typeof form["lineId"] === "string" ? form["lineId"] : undefined
        const sent = yield* attempt(Effect.flatMap(decodeSmsForm(form), (input) =>
          sendSms({ staffId: staff.id, clientId, lineId: LineId.make(input.lineId), body: input.body })))
        if (sent.ok) return c.redirect(`/clients/${clientId}?tab=messages&line=${encodeURIComponent(lineText ?? "")}&done=sent`, 303)
        return yield* profilePage(c, clientId, "messages", {}, sent.refused.status, {
          firstText: { body, error: sent.refused.message },
          ...(lineText === undefined ? {} : { line: lineText })
        })
      })))
