import {
  canAccessClient,
  consentOf,
  createClient,
  Directory,
  isAllowed,
  mayAddClients,
  PhoneLabel,
  PhoneNumber,
  type Staff,
  TimeZone
} from "@careline/core"
import { Effect, Option, Schema } from "effect"
import { Hono } from "hono"
import { Forbidden } from "../http/ApiError.js"
import type { ApiEnv } from "../http/Bearer.js"
import { decodeBody } from "../http/Input.js"
import { json, runRoute } from "../http/Respond.js"
import { clientView } from "../http/Views.js"
import { Roster } from "../Roster.js"
import type { ServerRuntime } from "../Runtime.js"

const NewPhone = Schema.Struct({
  number: PhoneNumber,
  label: PhoneLabel,
  primary: Schema.optional(Schema.Boolean),
  /** Staff attest the client agreed to texts; only for the primary number (S0). */
  okayToText: Schema.optional(Schema.Boolean)
})

const NewClient = Schema.Struct({
  name: Schema.String.check(
    Schema.makeFilter((s: string) => s.trim().length > 0 && s.length <= 200, { message: "a name of 1 to 200 characters" })
  ),
  email: Schema.optional(Schema.String.check(Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: "an email address" }))),
  phones: Schema.Array(NewPhone),
  /** Where the client lives, when not in the organisation's time zone: quiet hours follow it. */
  timeZone: Schema.optional(TimeZone)
}).check(
  Schema.makeFilter((client) => {
    if (client.phones.filter((p) => p.primary === true).length !== 1) {
      return "phones: exactly one phone must have \"primary\": true (it is the number texts go to)"
    }
    if (new Set(client.phones.map((p) => p.number)).size !== client.phones.length) return "phones: a number is listed twice"
    if (client.phones.some((p) => p.okayToText === true && p.primary !== true)) {
      return "phones: \"okayToText\" can only be recorded for the primary number (it attests consent for the number texts go to)"
    }
    return true
  })
)
const decodeNewClient = decodeBody(NewClient)

/** The clients of the staff member's organisation they may access, in id order. */
const accessibleClients = (staff: Staff) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const ids = yield* Roster.use((roster) => roster.clientIdsOf(staff.organisationId))
    const visible: Array<ReturnType<typeof clientView>> = []
    for (const id of ids) {
      const client = yield* directory.getClient(id)
      if (Option.isNone(client)) continue
      const assignments = yield* directory.assignmentsOfClient(id)
      if (isAllowed(canAccessClient(staff, client.value, assignments))) visible.push(clientView(client.value, assignments))
    }
    return visible
  })

/**
 * Adds a client through the core (audited as `client.create`). "Okay to text" on the primary number
 * is recorded as the creator's attestation, which never overrides an opt-out: the answer's `consent`
 * says what the number's consent is.
 */
const addClient = (staff: Staff, input: typeof NewClient.Type) =>
  Effect.gen(function* () {
    if (!mayAddClients(staff)) {
      return yield* new Forbidden({ reason: "Only coordinators, supervisors and admins add clients." })
    }
    const primary = input.phones.find((p) => p.primary === true)!
    const client = yield* createClient({
      staffId: staff.id,
      name: input.name,
      phones: input.phones.map((p) => ({ number: p.number, label: p.label, primary: p.primary === true })),
      okayToText: primary.okayToText === true,
      ...(input.email === undefined ? {} : { email: input.email }),
      ...(input.timeZone === undefined ? {} : { timeZone: input.timeZone })
    })
    const consent = yield* consentOf(client.organisationId, primary.number)
    return { client: clientView(client, []), consent: { phone: primary.number, state: consent.state } }
  })

/** `GET /api/v1/clients` (the clients one may access) and `POST /api/v1/clients` (coordinators and up). */
export const clientRoutes = (runtime: ServerRuntime) =>
  new Hono<ApiEnv>()
    .get("/clients", (c) => runRoute(runtime, Effect.map(accessibleClients(c.get("staff")), (clients) => json({ clients }))))
    .post("/clients", (c) =>
      runRoute(
        runtime,
        Effect.gen(function* () {
          const input = yield* decodeNewClient(c.req)
          return json(yield* addClient(c.get("staff"), input), 201)
        })
      ))
