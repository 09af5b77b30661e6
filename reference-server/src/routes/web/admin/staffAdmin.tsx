import {
  createStaff,
  Directory,
  Ids,
  issueApiTokenFor,
  revokeApiTokensOf,
  setStaffActive,
  setStaffPassword,
  setStaffRole,
  type Staff,
  StaffId,
  type StaffRole
} from "@careline/core"
import { Effect, Result } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { hashToken } from "../../../ApiTokens.js"
import type { ServerRuntime, ServerServices } from "../../../Runtime.js"
import { CsrfField } from "../../../web/Layout.js"
import { hashPassword } from "../../../web/Passwords.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { decodeActiveForm, decodeId, decodeNewStaff, decodePasswordForm, decodeRoleForm, roleNames } from "./AdminForms.js"
import { attempt, formOf, load, page, type PageStatus, Problems, Saved } from "./AdminKit.js"
import { AdminFrame } from "./AdminTabs.js"

/** What the staff page shows besides the list: a refusal, a saved notice, or a token shown once. */
interface StaffNotes {
  readonly problems?: ReadonlyArray<string>
  /** What was typed in the create form when it was refused (never the password). */
  readonly typed?: { readonly name?: string; readonly email?: string; readonly role?: string }
  readonly saved?: string
  readonly token?: { readonly staff: Staff; readonly token: string }
}

const savedText: Record<string, string> = {
  created: "Staff member added. They can sign in with the password you chose.",
  role: "Role changed.",
  deactivated: "Deactivated: their sessions ended and their API tokens were revoked.",
  activated: "Reactivated. They sign in with their password; issue a new API token if they need one.",
  password: "Password reset. Their other sessions ended.",
  revoked: "API tokens revoked."
}

const roles = Object.entries(roleNames) as ReadonlyArray<[StaffRole, string]>

const RoleSelect = (props: { readonly name: string; readonly selected?: string | undefined; readonly label: string }) => (
  <select name={props.name} aria-label={props.label}>
    {roles.map(([role, name]) => <option value={role} selected={role === props.selected}>{name}</option>)}
  </select>
)

const StaffRow = (props: { readonly staff: Staff; readonly me: Staff; readonly csrfToken: string }) => {
  const { staff, csrfToken } = props
  const base = `/admin/staff/${encodeURIComponent(staff.id)}`
  const self = staff.id === props.me.id
  return (
    <tr class={staff.active ? undefined : "inactive"}>
      <td>{staff.name}{self ? <span class="muted small"> (you)</span> : null}</td>
      <td>{staff.email ?? ""}</td>
      <td>{roleNames[staff.role]}</td>
      <td>{staff.active ? <span class="badge done">Active</span> : <span class="badge">Deactivated</span>}</td>
      <td>
        <details class="manage">
          <summary>Manage <span class="visually-hidden">{staff.name}</span></summary>
          <div class="stack">
            {self ? <p class="muted small">Another admin changes your own role and status.</p> : (
              <>
                <form method="post" action={`${base}/role`} class="row">
                  <CsrfField token={csrfToken} />
                  <RoleSelect name="role" selected={staff.role} label={`Role of ${staff.name}`} />
                  <button type="submit">Change role</button>
                </form>
                <form method="post" action={`${base}/active`}>
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="active" value={staff.active ? "false" : "true"} />
                  <button type="submit" class={staff.active ? "danger" : undefined}>{staff.active ? "Deactivate" : "Reactivate"}</button>
                </form>
              </>
            )}
            <form method="post" action={`${base}/password`} class="row">
              <CsrfField token={csrfToken} />
              <label>New password <input type="password" name="password" minlength={12} autocomplete="new-password" required /></label>
              <button type="submit">Reset password</button>
            </form>
            <div class="row">
              {staff.active ? (
                <form method="post" action={`${base}/tokens`}>
                  <CsrfField token={csrfToken} />
                  <button type="submit">Issue API token</button>
                </form>
              ) : null}
              <form method="post" action={`${base}/tokens/revoke`}>
                <CsrfField token={csrfToken} />
                <button type="submit" class="danger">Revoke all API tokens</button>
              </form>
            </div>
          </div>
        </details>
      </td>
    </tr>
  )
}

const StaffPage = (props: { readonly staff: ReadonlyArray<Staff>; readonly me: Staff; readonly csrfToken: string; readonly notes: StaffNotes }) => {
  const { notes } = props
  return (
    <AdminFrame tab="staff">
      <Saved text={notes.saved === undefined ? undefined : savedText[notes.saved]} />
      <Problems problems={notes.problems} />
      {notes.token === undefined ? null : (
        <section class="card stack token-once" aria-labelledby="token-title">
          <h2 id="token-title">API token for {notes.token.staff.name}</h2>
          <p>Copy it now: it is shown only this once (only its hash is kept).</p>
          <div class="row">
            <input id="new-token" class="token" readonly value={notes.token.token} aria-label="The new API token" />
            <button type="button" data-copy="#new-token">Copy</button>
          </div>
        </section>
      )}
      <section class="card stack" aria-labelledby="staff-title">
        <h2 id="staff-title">Staff and roles</h2>
        <div class="table-scroll">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
            <tbody>{props.staff.map((s) => <StaffRow staff={s} me={props.me} csrfToken={props.csrfToken} />)}</tbody>
          </table>
        </div>
      </section>
      <section class="card stack" aria-labelledby="new-staff-title">
        <h2 id="new-staff-title">Add a staff member</h2>
        <form method="post" action="/admin/staff" class="form-grid">
          <CsrfField token={props.csrfToken} />
          <label>Name <input name="name" required maxlength={200} value={notes.typed?.name ?? ""} autocomplete="off" /></label>
          <label>Email <input type="email" name="email" required value={notes.typed?.email ?? ""} autocomplete="off" /></label>
          <label>Role <RoleSelect name="role" selected={notes.typed?.role ?? "specialist"} label="Role" /></label>
          <label>Initial password <input type="password" name="password" minlength={12} required autocomplete="new-password" />
            <span class="muted small hint">At least 12 characters. Tell them in person; they can sign in at once.</span>
          </label>
          <div><button type="submit" class="primary">Add staff member</button></div>
        </form>
      </section>
    </AdminFrame>
  )
}

const loadStaff = (organisationId: Staff["organisationId"]) =>
  Effect.map(Directory.use((d) => d.listStaff(organisationId)), (staff) =>
    [...staff].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name)))

export const renderStaff = async (c: Context<WebEnv>, runtime: ServerRuntime, notes: StaffNotes = {}, status: PageStatus = 200) => {
  const { staff: me, csrfToken } = c.get("signedIn")
  const loaded = await load(c, runtime, "admin", loadStaff(me.organisationId))
  if (Result.isFailure(loaded)) return loaded.failure
  return page(c, "Admin · Staff", "admin", <StaffPage staff={loaded.success} me={me} csrfToken={csrfToken} notes={notes} />, status)
}

const backTo = (c: Context<WebEnv>, saved: string) => c.redirect(`/admin?saved=${saved}`, 303)

/** The staff member named in the path (as an id; one that cannot be an id is "not found"). */
const pathStaff = (c: Context<WebEnv>) => {
  const id = decodeId(c.req.param("id"))
  return Result.isSuccess(id) ? StaffId.make(id.success) : undefined
}

/** Runs a change to one staff member and answers: back to the list with a notice, or the list with the refusal. */
const change = async <A, E>(
  c: Context<WebEnv>,
  runtime: ServerRuntime,
  effect: (actorId: StaffId, staffId: StaffId) => Effect.Effect<A, E, ServerServices>,
  saved: (value: A) => string
) => {
  const staffId = pathStaff(c)
  if (staffId === undefined) return renderStaff(c, runtime, { problems: ["That staff member does not exist."] }, 404)
  const done = await attempt(c, runtime, "admin", effect(c.get("signedIn").staff.id, staffId))
  if (done._tag === "Failed") return done.response
  if (done._tag === "Refused") return renderStaff(c, runtime, { problems: [done.reason] }, done.status)
  return backTo(c, saved(done.value))
}

/**
 * `GET /admin` (staff and roles) and its forms: add a staff member with an initial password, change
 * a role, deactivate (which ends their sessions and revokes their API tokens at once) or reactivate,
 * reset a password, issue an API token (shown once) and revoke them all. Admins only (see
 * `adminRoutes`); the core checks again and audits each change.
 */
export const staffAdminRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .get("/admin", (c) => {
      const saved = c.req.query("saved")
      return renderStaff(c, runtime, saved !== undefined && saved in savedText ? { saved } : {})
    })
    .post("/admin/staff", async (c) => {
      const values = await formOf(c)
      const typed = { name: String(values["name"] ?? ""), email: String(values["email"] ?? ""), role: String(values["role"] ?? "") }
      const form = decodeNewStaff(values)
      if (Result.isFailure(form)) return renderStaff(c, runtime, { problems: form.failure, typed }, 422)
      const input = form.success
      const done = await attempt(c, runtime, "admin", Effect.gen(function* () {
        const password = yield* hashPassword(input.password)
        return yield* createStaff({ actorId: c.get("signedIn").staff.id, name: input.name, email: input.email, role: input.role as StaffRole, password })
      }))
      if (done._tag === "Failed") return done.response
      if (done._tag === "Refused") return renderStaff(c, runtime, { problems: [done.reason], typed }, done.status)
      return backTo(c, "created")
    })
    .post("/admin/staff/:id/role", async (c) => {
      const form = decodeRoleForm(await formOf(c))
      if (Result.isFailure(form)) return renderStaff(c, runtime, { problems: form.failure }, 422)
      if (pathStaff(c) === c.get("signedIn").staff.id) {
        return renderStaff(c, runtime, { problems: ["You cannot change your own role; ask another admin, so the organisation always keeps one."] }, 422)
      }
      return change(c, runtime, (actorId, staffId) => setStaffRole({ actorId, staffId, role: form.success.role as StaffRole }), () => "role")
    })
    .post("/admin/staff/:id/active", async (c) => {
      const form = decodeActiveForm(await formOf(c))
      if (Result.isFailure(form)) return renderStaff(c, runtime, { problems: form.failure }, 422)
      const active = form.success.active === "true"
      return change(c, runtime, (actorId, staffId) => setStaffActive({ actorId, staffId, active }), () => (active ? "activated" : "deactivated"))
    })
    .post("/admin/staff/:id/password", async (c) => {
      const form = decodePasswordForm(await formOf(c))
      if (Result.isFailure(form)) return renderStaff(c, runtime, { problems: form.failure.map((p) => p.replace(/^password: /, "The password: ")) }, 422)
      return change(c, runtime, (actorId, staffId) =>
        Effect.flatMap(hashPassword(form.success.password), (password) => setStaffPassword({ actorId, staffId, password })), () => "password")
    })
    .post("/admin/staff/:id/tokens", async (c) => {
      const staffId = pathStaff(c)
      if (staffId === undefined) return renderStaff(c, runtime, { problems: ["That staff member does not exist."] }, 404)
      const done = await attempt(c, runtime, "admin", Effect.gen(function* () {
        const token = yield* Ids.use((ids) => ids.secret)
        yield* issueApiTokenFor({ actorId: c.get("signedIn").staff.id, staffId, tokenHash: hashToken(token) })
        const staff = yield* Directory.use((d) => d.getStaff(staffId))
        return { token, staff }
      }))
      if (done._tag === "Failed") return done.response
      if (done._tag === "Refused") return renderStaff(c, runtime, { problems: [done.reason] }, done.status)
      if (done.value.staff._tag === "None") return renderStaff(c, runtime, { problems: ["That staff member does not exist."] }, 404)
      // Shown once, in this answer only (never in a URL, and the page is `no-store`).
      return renderStaff(c, runtime, { token: { staff: done.value.staff.value, token: done.value.token } })
    })
    .post("/admin/staff/:id/tokens/revoke", (c) =>
      change(c, runtime, (actorId, staffId) => revokeApiTokensOf({ actorId, staffId }), () => "revoked"))
