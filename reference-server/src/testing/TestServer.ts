import {
  type Client,
  ClientId,
  Credentials,
  Directory,
  type Line,
  LineId,
  OrganisationId,
  type Staff,
  StaffId
} from "@careline/core"
import { makeClient, makeLine, makeOrganisation, makeStaff, phone, T0 } from "@careline/testkit"
import { Effect, Logger, Result } from "effect"
import { issueApiToken } from "../ApiTokens.js"
import { makeApp } from "../App.js"
import { loadConfig } from "../Config.js"
import { makeRuntime, type ServerRuntime } from "../Runtime.js"
import { hashPassword } from "../web/Passwords.js"
import { csrfTokenOf } from "../web/Sessions.js"

const orgA = OrganisationId.make("org_a")
const orgB = OrganisationId.make("org_b")

const staffOf = (id: string, role: Staff["role"], organisationId = orgA, active = true): Staff =>
  makeStaff({ id: StaffId.make(id), organisationId, name: id, email: `${id}@example.org`, role, active })

/**
 * Two organisations. In `org_a`: an admin, a coordinator, front office, two specialists (each with a
 * personal line), a deactivated specialist, an organisation line; clients `client_1` (assigned to
 * `spec_1`), `client_2` (nobody) and `client_3` (`spec_2`). In `org_b`: an admin, a line, a client.
 */
export const world = {
  staff: {
    admin: staffOf("admin", "admin"),
    coordinator: staffOf("coord", "coordinator"),
    frontOffice: staffOf("front", "front_office"),
    spec1: staffOf("spec_1", "specialist"),
    spec2: staffOf("spec_2", "specialist"),
    gone: staffOf("gone", "specialist", orgA, false),
    adminB: staffOf("admin_b", "admin", orgB)
  },
  lines: {
    spec1: makeLine({ id: LineId.make("line_spec_1"), organisationId: orgA, number: phone(9_000_001), owner: { _tag: "Staff", staffId: StaffId.make("spec_1") }, ratePerSecond: 10 }),
    spec2: makeLine({ id: LineId.make("line_spec_2"), organisationId: orgA, number: phone(9_000_002), owner: { _tag: "Staff", staffId: StaffId.make("spec_2") }, ratePerSecond: 10 }),
    org: makeLine({ id: LineId.make("line_org"), organisationId: orgA, number: phone(9_000_003), owner: { _tag: "Organisation" }, ratePerSecond: 10 }),
    orgB: makeLine({ id: LineId.make("line_b"), organisationId: orgB, number: phone(9_000_004), owner: { _tag: "Organisation" }, ratePerSecond: 10 })
  },
  clients: {
    c1: makeClient({ id: ClientId.make("client_1"), organisationId: orgA, name: "Casey One", phones: [{ number: phone(1), label: "mobile", primary: true, okayToText: false }] }),
    c2: makeClient({ id: ClientId.make("client_2"), organisationId: orgA, name: "Robin Two", phones: [{ number: phone(2), label: "mobile", primary: true, okayToText: false }] }),
    c3: makeClient({ id: ClientId.make("client_3"), organisationId: orgA, name: "Sky Three", phones: [{ number: phone(3), label: "mobile", primary: true, okayToText: false }] }),
    b1: makeClient({ id: ClientId.make("client_b1"), organisationId: orgB, name: "Bea Other", phones: [{ number: phone(4), label: "mobile", primary: true, okayToText: false }] })
  }
} satisfies {
  readonly staff: Record<string, Staff>
  readonly lines: Record<string, Line>
  readonly clients: Record<string, Client>
}

export type StaffKey = keyof typeof world.staff

/** Every staff member of {@link world} signs in with this password. */
export const testPassword = "correct horse battery"

/** A signed-in browser, as far as the server can tell: its session cookie and the CSRF token its pages carry. */
export interface Browser {
  readonly cookie: string
  readonly csrfToken: string
  /** `app.request` with the session cookie; `form` posts it url-encoded (add `_csrf` yourself, or use `csrf: true` for the header). */
  readonly request: (path: string, init?: { readonly method?: string; readonly form?: Record<string, string>; readonly csrf?: boolean; readonly headers?: Record<string, string> }) => Promise<Response>
}

const seedWorld = Effect.gen(function* () {
  const directory = yield* Directory
  yield* directory.putOrganisation(makeOrganisation({ id: orgA, name: "Harbour Care" }))
  yield* directory.putOrganisation(makeOrganisation({ id: orgB, name: "Other Care" }))
  for (const staff of Object.values(world.staff)) yield* directory.putStaff(staff)
  for (const line of Object.values(world.lines)) yield* directory.putLine(line)
  for (const client of Object.values(world.clients)) yield* directory.putClient(client)
  yield* directory.startAssignment({ staffId: world.staff.spec1.id, clientId: world.clients.c1.id, from: T0 })
  yield* directory.startAssignment({ staffId: world.staff.spec2.id, clientId: world.clients.c3.id, from: T0 })
  const passwordHash = yield* hashPassword(testPassword)
  for (const staff of Object.values(world.staff)) yield* Credentials.use((c) => c.setPassword(staff.id, passwordHash, T0))
  const tokens: Partial<Record<StaffKey, string>> = {}
  for (const key of Object.keys(world.staff) as Array<StaffKey>) tokens[key] = yield* issueApiToken(world.staff[key].id)
  return tokens as Record<StaffKey, string>
})

export interface LogLine {
  readonly level: string
  readonly message: string
}

export interface TestServer {
  readonly app: ReturnType<typeof makeApp>
  readonly runtime: ServerRuntime
  /** API tokens of `world.staff`, by key. */
  readonly tokens: Record<StaffKey, string>
  readonly logs: ReadonlyArray<LogLine>
  /** `app.request` as that staff member (JSON body when given). */
  readonly as: (who: StaffKey, path: string, init?: { readonly method?: string; readonly body?: unknown }) => Promise<Response>
  /** Signs the staff member in through `POST /sign-in` (fails the test if that does not work). */
  readonly signIn: (who: StaffKey) => Promise<Browser>
  readonly close: () => Promise<void>
}

const sessionCookieOf = (response: Response): string => {
  const cookie = response.headers.get("set-cookie")?.split(";")[0]
  if (response.status !== 303 || cookie === undefined) throw new Error(`Sign-in failed: ${response.status}`)
  return cookie
}

/** A browser holding this session cookie: requests carry it, and the session's CSRF token when asked. */
export const browserOf = (app: ReturnType<typeof makeApp>, cookie: string): Browser => {
  const csrfToken = csrfTokenOf(cookie.slice(cookie.indexOf("=") + 1))
  return {
    cookie,
    csrfToken,
    request: (path, init = {}) =>
      Promise.resolve(app.request(path, {
        method: init.method ?? (init.form === undefined ? "GET" : "POST"),
        headers: {
          cookie,
          ...(init.form === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
          ...(init.csrf === true ? { "x-csrf-token": csrfToken } : {}),
          ...init.headers
        },
        ...(init.form === undefined ? {} : { body: new URLSearchParams(init.form).toString() })
      }))
  }
}

const describeMessage = (message: unknown): string =>
  (Array.isArray(message) ? message : [message]).map((part) => (typeof part === "string" ? part : String(part))).join(" ")

/**
 * The app over a fresh in-memory libSQL database seeded with {@link world}, with `env` on top of
 * `DATABASE_URL=:memory:` (fake SMS unless `env` says otherwise). Logs are collected, not printed.
 */
export const startTestServer = async (env: Record<string, string> = {}): Promise<TestServer> => {
  const config = Result.getOrThrow(loadConfig({ DATABASE_URL: ":memory:", ...env }))
  const logs: Array<LogLine> = []
  const runtime = makeRuntime(config, {
    logger: Logger.make((options) => {
      logs.push({ level: options.logLevel, message: describeMessage(options.message) })
    })
  })
  const tokens = await runtime.runPromise(seedWorld)
  const app = makeApp(runtime)
  return {
    app,
    runtime,
    tokens,
    logs,
    as: (who, path, init = {}) =>
      Promise.resolve(app.request(path, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
        headers: { authorization: `Bearer ${tokens[who]}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
        ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) })
      })),
    signIn: async (who) => {
      const response = await app.request("/sign-in", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" },
        body: new URLSearchParams({ email: world.staff[who].email ?? "", password: testPassword }).toString()
      })
      return browserOf(app, sessionCookieOf(response))
    },
    close: () => runtime.dispose()
  }
}
