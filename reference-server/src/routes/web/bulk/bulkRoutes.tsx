import { type Client, ClientId, ClientListId, consentOf, defaultQuietHours, LineId, nextSendableAt, primaryPhone, listClientLists, requireOrganisation, sendBulk, type Staff, useClientList } from "@careline/core"
import { Clock, Effect, Option } from "effect"
import type { Context } from "hono"
import type { Child } from "hono/jsx"
import { Hono } from "hono"
import type { ServerRuntime } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { runPage } from "../clients/ClientAnswers.js"
import { accessibleClients } from "../clients/ClientDirectory.js"
import { formOf, pageResponse } from "../clients/clientRoutes.js"
import { sendingLines } from "../messages/Messenger.js"
import { ListNotice, ListTools } from "./ClientListViews.js"
import { BulkComposer, type BulkForm, type BulkOutcome, BulkResult, type Pickable, skipReason } from "./BulkPage.js"

export const bulkSubject = { section: "bulk", notFound: "This list does not exist, or it is not yours.", back: { href: "/bulk", label: "Back to bulk send" } } as const

/** Above the composer: what using or saving a list did; in it, what was typed as a new list's name. */
export interface ListContext {
  readonly notice?: Child
  readonly listName?: string
}

/** The staff member's clients with the consent of each primary number, to pick from. */
const pickable = (staff: Staff) =>
  Effect.gen(function* () {
    const rows = yield* accessibleClients(staff)
    const clients: Array<Pickable> = []
    for (const { client } of rows) {
      const primary = primaryPhone(client)
      clients.push({ client, consent: Option.isNone(primary) ? undefined : (yield* consentOf(client.organisationId, primary.value.number)).state })
    }
    return clients
  })

export const bulkPage = (c: Context<WebEnv>, form?: BulkForm, problems?: ReadonlyArray<string>, outcome?: BulkOutcome, status = 200, lists: ListContext = {}) =>
  Effect.gen(function* () {
    const { staff, csrfToken } = c.get("signedIn")
    const clients = yield* pickable(staff)
    // Their own line first: it is the default, as for a single text.
    const mineFirst = (owner: { readonly _tag: string; readonly staffId?: string }) => (owner._tag === "Staff" && owner.staffId === staff.id ? 0 : 1)
    const lines = [...(yield* sendingLines(staff))]
      .sort((a, b) => mineFirst(a.line.owner) - mineFirst(b.line.owner))
      .map(({ line, label }) => ({ id: line.id, label }))
    const extra = { ...(form === undefined ? {} : { form }), ...(problems === undefined ? {} : { problems }) }
    const saved = yield* listClientLists({ staffId: staff.id })
    const tools = <ListTools lists={saved} {...(lists.listName === undefined ? {} : { listName: lists.listName })} />
    return yield* pageResponse(c, "Bulk send", "bulk", (
      <div class="bulk-page stack">
        {outcome === undefined ? null : <BulkResult outcome={outcome} />}
        {lists.notice ?? null}
        <BulkComposer clients={clients} lines={lines} csrfToken={csrfToken} listTools={tools} {...extra} />
      </div>
    ), status)
  })

export const texts = (value: unknown): ReadonlyArray<string> =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string")

/**
 * `GET /bulk` and `POST /bulk` (S3 "select multiple clients"): one message to several of the staff
 * member's clients, each in their own channel (core `sendBulk`, held until quiet hours end); then who
 * got it and who was skipped, and why. Only clients the staff member may access can be picked.
 */
export const bulkRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .get("/bulk", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const listId = c.req.query("list")
        if (listId === undefined || listId === "") return yield* bulkPage(c)
        // A saved list ticks the clients on it the staff member may still access; the rest are only counted.
        const used = yield* useClientList({ staffId: c.get("signedIn").staff.id, listId: ClientListId.make(listId) })
        const notice = <ListNotice list={used.list} used={used.clientIds.length} leftOut={used.leftOut} saved={c.req.query("saved") === "1"} />
        return yield* bulkPage(c, { clientIds: used.clientIds, body: "" }, undefined, undefined, 200, { notice })
      }), bulkSubject))
    .post("/bulk", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        const raw = yield* formOf(c)
        const lineText = texts(raw["lineId"])[0]
        const form: BulkForm = { clientIds: texts(raw["clientId"]), body: texts(raw["body"])[0] ?? "", ...(lineText === undefined || lineText === "" ? {} : { lineId: lineText }) }
        const problems: Array<string> = []
        if (form.clientIds.length === 0) problems.push("Pick at least one client.")
        if (form.body.trim() === "") problems.push("Write the message.")
        if (form.body.length > 1600) problems.push("Use at most 1,600 characters.")
        const lines = yield* sendingLines(staff)
        if (form.lineId !== undefined && !lines.some(({ line }) => line.id === form.lineId)) problems.push("Pick one of your own lines to send from.")
        if (problems.length > 0) return yield* bulkPage(c, form, problems, undefined, 422)
        // Only the staff member's own clients go to the core; any other id is reported, never looked up for them.
        const mine = new Map((yield* accessibleClients(staff)).map(({ client }) => [client.id as string, client]))
        const wanted = [...new Set(form.clientIds)]
        const notYours = wanted.filter((id) => !mine.has(id))
        const result = yield* sendBulk({
          staffId: staff.id,
          clientIds: wanted.filter((id) => mine.has(id)).map((id) => ClientId.make(id)),
          body: form.body,
          ...(form.lineId === undefined ? {} : { lineId: LineId.make(form.lineId) })
        })
        const now = yield* Clock.currentTimeMillis
        const timeZone = (yield* requireOrganisation(staff.organisationId)).businessHours.timeZone
        const sendsAt = nextSendableAt(defaultQuietHours, timeZone, now)
        const outcome: BulkOutcome = {
          sent: result.queued.map(({ clientId }) => ({ client: mine.get(clientId)! as Client })),
          skipped: [
            ...result.skipped.map((s) => ({ name: mine.get(s.clientId)?.name ?? s.clientId, reason: skipReason(s.reason), message: s.message })),
            ...notYours.map(() => ({ name: "(unknown)", reason: skipReason("NotYours"), message: "Only clients you can access can be texted." }))
          ],
          heldUntil: result.queued.length > 0 && sendsAt > now ? sendsAt : undefined,
          timeZone
        }
        return yield* bulkPage(c, undefined, undefined, outcome)
      }), bulkSubject))
