import {
  AuditAction,
  type AuditEvent,
  type AuditQuery,
  type Client,
  ClientId,
  Directory,
  exportAuditLog,
  listAuditLog,
  requireOrganisation,
  type Staff,
  StaffId
} from "@careline/core"
import { Clock, Effect, Result, Schema } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { IdText } from "../../../http/Input.js"
import { Roster } from "../../../Roster.js"
import type { ServerRuntime } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { decodeForm, load, page, Problems } from "./AdminKit.js"
import { csv } from "./AuditCsv.js"
import { AdminFrame } from "./AdminTabs.js"

/** Rows per page of the audit log. */
export const auditPageSize = 50
/** The most rows one export holds (the newest); narrow the filters for older ones. */
const exportLimit = 100_000

const Empty = Schema.Literal("")
const AuditFilters = Schema.Struct({
  staff: Schema.optional(Schema.Union([Empty, IdText])),
  client: Schema.optional(Schema.Union([Empty, IdText])),
  action: Schema.optional(Schema.Union([Empty, AuditAction])),
  page: Schema.optional(Schema.String.check(Schema.isPattern(/^[1-9]\d{0,5}$/, { message: "a page number" })))
})
type AuditFilters = typeof AuditFilters.Type
const decodeFilters = decodeForm(AuditFilters)

const queryOf = (filters: AuditFilters): AuditQuery => ({
  ...(filters.staff ? { actorStaffId: StaffId.make(filters.staff) } : {}),
  ...(filters.client ? { clientId: ClientId.make(filters.client) } : {}),
  ...(filters.action ? { action: filters.action } : {})
})

/** The filters as a query string (for paging links and the export), without the page. */
const filterParams = (filters: AuditFilters) =>
  new URLSearchParams(Object.entries({ staff: filters.staff, client: filters.client, action: filters.action }).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""))

interface Names {
  readonly staff: ReadonlyMap<string, Staff>
  readonly clients: ReadonlyMap<string, Client>
}

const namesFor = (organisationId: Staff["organisationId"]) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const staff = yield* directory.listStaff(organisationId)
    const clients = yield* directory.getClients(yield* Roster.use((roster) => roster.clientIdsOf(organisationId)))
    return { staff: new Map(staff.map((s) => [s.id, s])), clients: new Map(clients.map((c) => [c.id, c])) } satisfies Names
  })

const actorName = (event: AuditEvent, names: Names) =>
  event.actor._tag === "Staff" ? (names.staff.get(event.actor.staffId)?.name ?? event.actor.staffId) : event.actor._tag === "Client" ? "Client" : "System"

/** Local time in the organisation's zone, to the second. */
const localTime = (at: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
    .format(at).replace(",", "")

const AuditPage = (props: {
  readonly events: ReadonlyArray<AuditEvent>
  readonly names: Names
  readonly filters: AuditFilters
  readonly page: number
  readonly older: boolean
  readonly timeZone: string
}) => {
  const { filters, names } = props
  const params = filterParams(filters)
  const pageLink = (n: number) => `/admin/audit?${new URLSearchParams([...params, ["page", String(n)]])}`
  const exportLink = `/admin/audit.csv${params.size > 0 ? `?${params}` : ""}`
  return (
    <section class="card stack" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p class="muted small">Who did what, when, to which client — never the content of a message. Newest first; times in {props.timeZone}.</p>
      <form method="get" action="/admin/audit" class="row filters-form" aria-label="Filter the audit log">
        <label>Staff
          <select name="staff">
            <option value="">Anyone</option>
            {[...names.staff.values()].sort((a, b) => a.name.localeCompare(b.name)).map((s) => <option value={s.id} selected={filters.staff === s.id}>{s.name}</option>)}
          </select>
        </label>
        <label>Client
          <select name="client">
            <option value="">Any client</option>
            {[...names.clients.values()].sort((a, b) => a.name.localeCompare(b.name)).map((c) => <option value={c.id} selected={filters.client === c.id}>{c.name}</option>)}
          </select>
        </label>
        <label>Action
          <select name="action">
            <option value="">Any action</option>
            {AuditAction.literals.map((action) => <option value={action} selected={filters.action === action}>{action}</option>)}
          </select>
        </label>
        <button type="submit">Filter</button>
        <a class="button" href={exportLink} download>Export CSV</a>
      </form>
      {props.events.length === 0 ? <p class="muted">No events match.</p> : (
        <div class="table-scroll">
          <table class="audit">
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Client</th><th scope="col">Detail</th></tr></thead>
            <tbody>
              {props.events.map((event) => (
                <tr>
                  <td><time datetime={new Date(event.at).toISOString()}>{localTime(event.at, props.timeZone)}</time></td>
                  <td>{actorName(event, names)}</td>
                  <td><code>{event.action}</code></td>
                  <td>{event.clientId === undefined ? "" : <a href={`/clients/${encodeURIComponent(event.clientId)}`}>{names.clients.get(event.clientId)?.name ?? event.clientId}</a>}</td>
                  <td class="small">{[event.channelId === undefined ? "" : `channel=${event.channelId}`, event.detail ?? ""].filter((s) => s !== "").join(" ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="row pager" aria-label="Audit log pages">
        {props.page > 1 ? <a href={pageLink(props.page - 1)} rel="prev">Newer</a> : null}
        <span class="muted">Page {props.page}</span>
        {props.older ? <a href={pageLink(props.page + 1)} rel="next">Older</a> : null}
      </nav>
    </section>
  )
}

const badFilters = (c: Context<WebEnv>, problems: ReadonlyArray<string>) =>
  page(c, "Admin · Audit log", "admin", <AdminFrame tab="audit"><Problems problems={problems} /><p><a href="/admin/audit">Show the whole audit log</a></p></AdminFrame>, 400)

/**
 * `GET /admin/audit` (newest first, filtered by staff, client and action, paged) and
 * `GET /admin/audit.csv` (the filtered rows as CSV, quoted, with formulas defused; the export is
 * itself audited). Admins only (see `adminRoutes`); the core checks again.
 */
export const auditRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .get("/admin/audit", async (c) => {
      const decoded = decodeFilters(c.req.query())
      if (Result.isFailure(decoded)) return badFilters(c, decoded.failure)
      const filters = decoded.success
      const pageNumber = Number(filters.page ?? "1")
      const me = c.get("signedIn").staff
      const loaded = await load(c, runtime, "admin", Effect.gen(function* () {
        const found = yield* listAuditLog({ actorId: me.id, query: { ...queryOf(filters), limit: auditPageSize + 1, offset: (pageNumber - 1) * auditPageSize } })
        const organisation = yield* requireOrganisation(me.organisationId)
        return { found, names: yield* namesFor(me.organisationId), timeZone: organisation.businessHours.timeZone }
      }))
      if (Result.isFailure(loaded)) return loaded.failure
      const { found, names, timeZone } = loaded.success
      // `found` is oldest first and may hold one more (older) event than a page: it says there is an older page.
      const older = found.length > auditPageSize
      const events = [...found].reverse().slice(0, auditPageSize)
      return page(c, "Admin · Audit log", "admin", (
        <AdminFrame tab="audit">
          <AuditPage events={events} names={names} filters={filters} page={pageNumber} older={older} timeZone={timeZone} />
        </AdminFrame>
      ))
    })
    .get("/admin/audit.csv", async (c) => {
      const decoded = decodeFilters(c.req.query())
      if (Result.isFailure(decoded)) return badFilters(c, decoded.failure)
      const me = c.get("signedIn").staff
      const loaded = await load(c, runtime, "admin", Effect.gen(function* () {
        const found = yield* exportAuditLog({ actorId: me.id, query: { ...queryOf(decoded.success), limit: exportLimit } })
        return { found, names: yield* namesFor(me.organisationId), now: yield* Clock.currentTimeMillis }
      }))
      if (Result.isFailure(loaded)) return loaded.failure
      const { found, names, now } = loaded.success
      const rows = [...found].reverse().map((e) => [
        new Date(e.at).toISOString(),
        actorName(e, names),
        e.actor._tag === "Staff" ? e.actor.staffId : e.actor._tag.toLowerCase(),
        e.action,
        e.clientId === undefined ? "" : (names.clients.get(e.clientId)?.name ?? ""),
        e.clientId ?? "",
        e.channelId ?? "",
        e.detail ?? ""
      ])
      const body = csv([["time_utc", "actor", "actor_id", "action", "client", "client_id", "channel_id", "detail"], ...rows])
      return c.body(body, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="careline-audit-${new Date(now).toISOString().slice(0, 10)}.csv"`
      })
    })
