import {
  addLine,
  AdministrationRefused,
  type Assignment,
  type Client,
  ClientId,
  createQueue,
  Directory,
  isCurrent,
  type Line,
  type LineOwner,
  PhoneNumber,
  type Queue,
  QueueId,
  setClientActive,
  setQueueMembers,
  type Staff,
  StaffId
} from "@careline/core"
import { Effect, Result } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import type { Child } from "hono/jsx"
import { Roster } from "../../../Roster.js"
import type { ServerRuntime, ServerServices } from "../../../Runtime.js"
import { CsrfField } from "../../../web/Layout.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { decodeActiveForm, decodeId, decodeMembers, decodeNewLine, decodeNewQueue } from "./AdminForms.js"
import { attempt, formOf, listOf, load, page, type PageStatus, Problems, Saved } from "./AdminKit.js"
import { AdminFrame, type AdminTab } from "./AdminTabs.js"

interface Notes {
  readonly problems?: ReadonlyArray<string>
  readonly saved?: string
  readonly typed?: Record<string, string>
}

const savedText: Record<string, string> = {
  activated: "Client activated.",
  deactivated: "Client deactivated.",
  line: "Line added.",
  queue: "Queue created.",
  members: "Queue members saved."
}

const clientsOf = (organisationId: Staff["organisationId"]) =>
  Effect.gen(function* () {
    const ids = yield* Roster.use((roster) => roster.clientIdsOf(organisationId))
    return yield* Directory.use((d) => d.getClients(ids))
  })

const render = async <A,>(
  c: Context<WebEnv>,
  runtime: ServerRuntime,
  tab: AdminTab,
  title: string,
  data: Effect.Effect<A, unknown, ServerServices>,
  view: (data: A) => Child,
  notes: Notes = {},
  status: PageStatus = 200
) => {
  const loaded = await load(c, runtime, "admin", data)
  if (Result.isFailure(loaded)) return loaded.failure
  return page(c, `Admin · ${title}`, "admin", (
    <AdminFrame tab={tab}>
      <Saved text={notes.saved === undefined ? undefined : savedText[notes.saved]} />
      <Problems problems={notes.problems} />
      {view(loaded.success)}
    </AdminFrame>
  ), status)
}

const savedNote = (c: Context<WebEnv>): Notes => {
  const saved = c.req.query("saved")
  return saved !== undefined && saved in savedText ? { saved } : {}
}

// --- Clients ------------------------------------------------------------------------------------

const ClientsTab = (props: { readonly clients: ReadonlyArray<Client>; readonly csrfToken: string }) => (
  <section class="card stack" aria-labelledby="clients-title">
    <h2 id="clients-title">Clients</h2>
    <p class="muted small">Add and edit clients under <a href="/clients">Clients</a>. An inactive client's texts are still received.</p>
    <div class="table-scroll">
      <table>
        <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
        <tbody>
          {props.clients.map((client) => (
            <tr>
              <td><a href={`/clients/${encodeURIComponent(client.id)}`}>{client.name}</a>{client.blocked ? <span class="badge urgent">Blocked</span> : null}</td>
              <td>{client.active ? <span class="badge done">Active</span> : <span class="badge">Inactive</span>}</td>
              <td>
                <form method="post" action={`/admin/clients/${encodeURIComponent(client.id)}/active`}>
                  <CsrfField token={props.csrfToken} />
                  <input type="hidden" name="active" value={client.active ? "false" : "true"} />
                  <button type="submit">{client.active ? "Deactivate" : "Activate"} <span class="visually-hidden">{client.name}</span></button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </section>
)

const renderClients = (c: Context<WebEnv>, runtime: ServerRuntime, notes: Notes = {}, status: PageStatus = 200) =>
  render(c, runtime, "clients", "Clients", clientsOf(c.get("signedIn").staff.organisationId),
    (clients) => <ClientsTab clients={clients} csrfToken={c.get("signedIn").csrfToken} />, notes, status)

// --- Assignments --------------------------------------------------------------------------------

interface AssignmentRow {
  readonly client: Client
  readonly current: ReadonlyArray<Assignment>
}

const loadAssignments = (organisationId: Staff["organisationId"]) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const clients = yield* clientsOf(organisationId)
    const staff = new Map((yield* directory.listStaff(organisationId)).map((s) => [s.id, s]))
    const rows: Array<AssignmentRow> = []
    for (const client of clients) rows.push({ client, current: (yield* directory.assignmentsOfClient(client.id)).filter(isCurrent) })
    return { rows, staff }
  })

const dateOf = (at: number) => new Date(at).toISOString().slice(0, 10)

const AssignmentsTab = (props: { readonly rows: ReadonlyArray<AssignmentRow>; readonly staff: ReadonlyMap<StaffId, Staff> }) => {
  const counts = new Map<StaffId, number>()
  for (const row of props.rows) for (const a of row.current) counts.set(a.staffId, (counts.get(a.staffId) ?? 0) + 1)
  return (
    <>
      <section class="card stack" aria-labelledby="caseload-title">
        <h2 id="caseload-title">Caseloads</h2>
        {counts.size === 0 ? <p class="muted">Nobody is assigned to any client.</p> : (
          <ul class="plain-list">
            {[...counts].sort((a, b) => b[1] - a[1]).map(([staffId, count]) => (
              <li>{props.staff.get(staffId)?.name ?? staffId}: {count} client{count === 1 ? "" : "s"}</li>
            ))}
          </ul>
        )}
      </section>
      <section class="card stack" aria-labelledby="assignments-title">
        <h2 id="assignments-title">Who is assigned to whom</h2>
        <p class="muted small">Coordinators, supervisors and admins change assignments on each client's page.</p>
        <div class="table-scroll">
          <table>
            <thead><tr><th scope="col">Client</th><th scope="col">Assigned to</th></tr></thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <td><a href={`/clients/${encodeURIComponent(row.client.id)}`}>{row.client.name}</a></td>
                  <td>{row.current.length === 0 ? <span class="muted">Nobody</span> : row.current.map((a, i) => (
                    <>{i > 0 ? ", " : ""}{props.staff.get(a.staffId)?.name ?? a.staffId} <span class="muted small">since {dateOf(a.from)}</span></>
                  ))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  )
}

// --- Lines and queues ---------------------------------------------------------------------------

interface LinesData {
  readonly lines: ReadonlyArray<Line>
  readonly queues: ReadonlyArray<Queue>
  readonly staff: ReadonlyArray<Staff>
}

const loadLines = (organisationId: Staff["organisationId"]) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    return {
      lines: yield* directory.listLines(organisationId),
      queues: yield* directory.listQueues(organisationId),
      staff: [...(yield* directory.listStaff(organisationId))].sort((a, b) => a.name.localeCompare(b.name))
    } satisfies LinesData
  })

const ownerLabel = (owner: LineOwner, data: LinesData) => {
  if (owner._tag === "Organisation") return "Organisation"
  if (owner._tag === "Staff") return `Staff: ${data.staff.find((s) => s.id === owner.staffId)?.name ?? owner.staffId}`
  return `Queue: ${data.queues.find((q) => q.id === owner.queueId)?.name ?? owner.queueId}`
}

const MemberBoxes = (props: { readonly staff: ReadonlyArray<Staff>; readonly checked: ReadonlyArray<StaffId>; readonly legend: string }) => (
  <fieldset class="members">
    <legend>{props.legend}</legend>
    {props.staff.filter((s) => s.active || props.checked.includes(s.id)).map((s) => (
      <label class="check"><input type="checkbox" name="members" value={s.id} checked={props.checked.includes(s.id)} /> {s.name}</label>
    ))}
  </fieldset>
)

const LinesTab = (props: { readonly data: LinesData; readonly csrfToken: string; readonly typed?: Record<string, string> | undefined }) => {
  const { data, csrfToken } = props
  return (
    <>
      <section class="card stack" aria-labelledby="lines-title">
        <h2 id="lines-title">Lines</h2>
        <div class="table-scroll">
          <table>
            <thead><tr><th scope="col">Number</th><th scope="col">Owner</th><th scope="col">Rate (texts/s)</th></tr></thead>
            <tbody>{data.lines.map((line) => <tr><td>{line.number}</td><td>{ownerLabel(line.owner, data)}</td><td>{line.ratePerSecond}</td></tr>)}</tbody>
          </table>
        </div>
        <form method="post" action="/admin/lines" class="form-grid" aria-label="Add a line">
          <CsrfField token={csrfToken} />
          <label>Number (international form) <input name="number" required placeholder="+15551234567" value={props.typed?.["number"] ?? ""} /></label>
          <label>Owner
            <select name="owner">
              <option value="organisation">The organisation</option>
              {data.staff.filter((s) => s.active).map((s) => <option value={`staff:${s.id}`} selected={props.typed?.["owner"] === `staff:${s.id}`}>Staff: {s.name}</option>)}
              {data.queues.map((q) => <option value={`queue:${q.id}`} selected={props.typed?.["owner"] === `queue:${q.id}`}>Queue: {q.name}</option>)}
            </select>
          </label>
          <label>Rate (texts per second) <input name="rate" required inputmode="decimal" value={props.typed?.["rate"] ?? "1"} />
            <span class="muted small hint">1 for a long code, 3 toll-free, 100 a short code.</span>
          </label>
          <div><button type="submit" class="primary">Add line</button></div>
        </form>
      </section>
      <section class="card stack" aria-labelledby="queues-title">
        <h2 id="queues-title">Queues</h2>
        {data.queues.length === 0 ? <p class="muted">No queues yet.</p> : null}
        {data.queues.map((queue) => (
          <form method="post" action={`/admin/queues/${encodeURIComponent(queue.id)}/members`} class="stack">
            <CsrfField token={csrfToken} />
            <MemberBoxes staff={data.staff} checked={queue.members} legend={`Members of ${queue.name}`} />
            <div><button type="submit">Save members of {queue.name}</button></div>
          </form>
        ))}
        <form method="post" action="/admin/queues" class="stack" aria-label="Create a queue">
          <CsrfField token={csrfToken} />
          <h3>Create a queue</h3>
          <label>Name <input name="name" required maxlength={100} value={props.typed?.["name"] ?? ""} /></label>
          <MemberBoxes staff={data.staff} checked={[]} legend="Members" />
          <div><button type="submit" class="primary">Create queue</button></div>
        </form>
      </section>
    </>
  )
}

const renderLines = (c: Context<WebEnv>, runtime: ServerRuntime, notes: Notes = {}, status: PageStatus = 200) =>
  render(c, runtime, "lines", "Lines and queues", loadLines(c.get("signedIn").staff.organisationId),
    (data) => <LinesTab data={data} csrfToken={c.get("signedIn").csrfToken} typed={notes.typed} />, notes, status)

const ownerOf = (owner: string): LineOwner => {
  if (owner.startsWith("staff:")) return { _tag: "Staff", staffId: StaffId.make(owner.slice("staff:".length)) }
  if (owner.startsWith("queue:")) return { _tag: "Queue", queueId: QueueId.make(owner.slice("queue:".length)) }
  return { _tag: "Organisation" }
}

const asText = (values: Record<string, string | ReadonlyArray<string>>) =>
  Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === "string"))

/** Runs a change; on success back to `to`, else the tab again with the refusal. */
const apply = async <A, E>(
  c: Context<WebEnv>,
  runtime: ServerRuntime,
  effect: Effect.Effect<A, E, ServerServices>,
  to: string,
  again: (notes: Notes, status: PageStatus) => Promise<Response>,
  typed?: Record<string, string>
) => {
  const done = await attempt(c, runtime, "admin", effect)
  if (done._tag === "Failed") return done.response
  if (done._tag === "Refused") return again({ problems: [done.reason], ...(typed === undefined ? {} : { typed }) }, done.status)
  return c.redirect(to, 303)
}

/**
 * The admin tabs over the directory: clients (activate / deactivate), assignments (who is assigned
 * to whom), lines and queues (add a line, create a queue, set a queue's members). Admins only (see
 * `adminRoutes`); every change goes through the core, which checks again and audits it.
 */
export const directoryAdminRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .get("/admin/clients", (c) => renderClients(c, runtime, savedNote(c)))
    .post("/admin/clients/:id/active", async (c) => {
      const form = decodeActiveForm(await formOf(c))
      const id = decodeId(c.req.param("id"))
      if (Result.isFailure(id)) return renderClients(c, runtime, { problems: ["That client does not exist."] }, 404)
      if (Result.isFailure(form)) return renderClients(c, runtime, { problems: form.failure }, 422)
      const active = form.success.active === "true"
      return apply(c, runtime, setClientActive({ actorId: c.get("signedIn").staff.id, clientId: ClientId.make(id.success), active }),
        `/admin/clients?saved=${active ? "activated" : "deactivated"}`, (notes, status) => renderClients(c, runtime, notes, status))
    })
    .get("/admin/assignments", (c) =>
      render(c, runtime, "assignments", "Assignments", loadAssignments(c.get("signedIn").staff.organisationId),
        ({ rows, staff }) => <AssignmentsTab rows={rows} staff={staff} />))
    .get("/admin/lines", (c) => renderLines(c, runtime, savedNote(c)))
    .post("/admin/lines", async (c) => {
      const values = await formOf(c)
      const typed = asText(values)
      const form = decodeNewLine(values)
      if (Result.isFailure(form)) return renderLines(c, runtime, { problems: form.failure, typed }, 422)
      const input = { actorId: c.get("signedIn").staff.id, number: PhoneNumber.make(form.success.number.trim()), owner: ownerOf(form.success.owner), ratePerSecond: Number(form.success.rate) }
      return apply(c, runtime, addLine(input), "/admin/lines?saved=line", (notes, status) => renderLines(c, runtime, notes, status), typed)
    })
    .post("/admin/queues", async (c) => {
      const values = await formOf(c)
      const typed = asText(values)
      const form = decodeNewQueue({ ...values, members: listOf(values["members"]) })
      if (Result.isFailure(form)) return renderLines(c, runtime, { problems: form.failure, typed }, 422)
      const input = { actorId: c.get("signedIn").staff.id, name: form.success.name, members: (form.success.members ?? []).map((id) => StaffId.make(id)) }
      return apply(c, runtime, createQueue(input), "/admin/lines?saved=queue", (notes, status) => renderLines(c, runtime, notes, status), typed)
    })
    .post("/admin/queues/:id/members", async (c) => {
      const values = await formOf(c)
      const id = decodeId(c.req.param("id"))
      if (Result.isFailure(id)) return renderLines(c, runtime, { problems: ["That queue does not exist."] }, 404)
      const form = decodeMembers({ members: listOf(values["members"]) })
      if (Result.isFailure(form)) return renderLines(c, runtime, { problems: form.failure }, 422)
      const members = (form.success.members ?? []).map((id) => StaffId.make(id))
      const change = Effect.gen(function* () {
        const me = c.get("signedIn").staff
        // Members are staff of this organisation: the form lists only them, but a post can say anything.
        const colleagues = new Set((yield* Directory.use((d) => d.listStaff(me.organisationId))).map((s) => s.id))
        if (members.some((m) => !colleagues.has(m))) return yield* new AdministrationRefused({ reason: "Queue members must be staff of this organisation." })
        return yield* setQueueMembers({ actorId: me.id, queueId: QueueId.make(id.success), members })
      })
      return apply(c, runtime, change, "/admin/lines?saved=members", (notes, status) => renderLines(c, runtime, notes, status))
    })
