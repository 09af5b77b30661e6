import { AuditLog, Credentials, Directory, type Organisation, type Staff, StaffId, type StaffRole } from "@careline/core"
import { T0 } from "@careline/testkit"
import { Effect, Option } from "effect"
import { type Browser, browserOf, type TestServer, testPassword, world } from "../../../testing/TestServer.js"
import { hashPassword } from "../../../web/Passwords.js"

/** Signs in by email and password through `POST /sign-in`; the browser that got the cookie, or the refusal. */
export const signInWith = async (server: TestServer, email: string, password: string): Promise<Browser | Response> => {
  const response = await server.app.request("/sign-in", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" },
    body: new URLSearchParams({ email, password }).toString()
  })
  const cookie = response.headers.get("set-cookie")?.split(";")[0]
  if (response.status !== 303 || cookie === undefined) return response
  return browserOf(server.app, cookie)
}

export const isBrowser = (answer: Browser | Response): answer is Browser => !(answer instanceof Response)

/** Adds a staff member of `org_a` with the test password (the shared world has no supervisor) and signs them in. */
export const staffMember = async (server: TestServer, id: string, role: StaffRole, name = id): Promise<{ readonly staff: Staff; readonly browser: Browser }> => {
  const staff: Staff = { id: StaffId.make(id), organisationId: world.staff.admin.organisationId, name, email: `${id}@example.org`, role, active: true }
  await server.runtime.runPromise(Effect.gen(function* () {
    yield* Directory.use((d) => d.putStaff(staff))
    const hash = yield* hashPassword(testPassword)
    yield* Credentials.use((c) => c.setPassword(staff.id, hash, T0))
  }))
  const browser = await signInWith(server, staff.email!, testPassword)
  if (!isBrowser(browser)) throw new Error(`sign-in failed: ${browser.status}`)
  return { staff, browser }
}

/** `org_a` as stored now. */
export const organisationA = (server: TestServer): Promise<Organisation> =>
  server.runtime.runPromise(Effect.map(Directory.use((d) => d.getOrganisation(world.staff.admin.organisationId)), Option.getOrThrow))

/** `org_a`'s audit events with this action, oldest first. */
export const auditOf = async (server: TestServer, action: string) =>
  (await server.runtime.runPromise(AuditLog.use((log) => log.list(world.staff.admin.organisationId, {})))).filter((e) => e.action === action)

/** Posts a plain form with the session's CSRF token. */
export const post = (browser: Browser, path: string, form: Record<string, string> = {}) =>
  browser.request(path, { form: { _csrf: browser.csrfToken, ...form } })

/** Posts a form whose fields may repeat (checkboxes), with the session's cookie and CSRF token. */
export const postPairs = (server: TestServer, browser: Browser, path: string, pairs: ReadonlyArray<readonly [string, string]>) =>
  Promise.resolve(server.app.request(path, {
    method: "POST",
    headers: { cookie: browser.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams([["_csrf", browser.csrfToken], ...pairs.map(([k, v]): [string, string] => [k, v])]).toString()
  }))
