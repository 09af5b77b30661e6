import { Schema } from "effect"

/** A request the API cannot read: bad JSON, or a body, query or path that does not fit its schema. */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  problems: Schema.Array(Schema.String)
}) {
  override get message() {
    return `The request is not valid: ${this.problems.join("; ")}.`
  }
}

/** No usable API token came with the request. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", {}) {
  override get message() {
    return "Send a valid API token as 'Authorization: Bearer <token>'. Ask an admin for one (careline api-token --email …)."
  }
}

/** The staff member may not do this at all (a role rule, not a hidden record: those answer 404). */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}

export interface ErrorAnswer {
  readonly status: 400 | 401 | 403 | 404 | 422 | 500
  readonly code: string
  readonly message: string
}

/** Not found and not allowed look the same, so an id never reveals whether its record exists. */
const notFound: ErrorAnswer = { status: 404, code: "not_found", message: "Not found." }

/** Refusals the staff member can act on, with the core's own explanation. */
const refusals: Record<string, string> = {
  ConsentRequired: "consent_required",
  ConsentOptedOut: "consent_opted_out",
  ClientBlocked: "client_blocked",
  ChatRefused: "chat_refused",
  NoPrimaryPhone: "no_primary_phone",
  NoLineToSendFrom: "no_line_to_send_from",
  InvalidMessage: "invalid_message",
  PortalRefused: "portal_refused"
}

const internal: ErrorAnswer = {
  status: 500,
  code: "internal",
  message: "Something went wrong on our side. It has been logged; please try again."
}

const tagOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string" ? error._tag : undefined

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : "")

/**
 * The HTTP answer for a failure. Anything not listed here — `StorageError` above all — is a 500 with
 * a generic message: its cause is logged, never returned.
 */
export const errorAnswer = (error: unknown): ErrorAnswer => {
  const tag = tagOf(error)
  if (tag === undefined) return internal
  if (tag === "NotFound" || tag === "AccessDenied") return notFound
  if (tag === "InvalidRequest" || tag === "InvalidClient") return { status: 400, code: "invalid_request", message: messageOf(error) }
  if (tag === "Unauthorized") return { status: 401, code: "unauthorized", message: messageOf(error) }
  if (tag === "Forbidden") return { status: 403, code: "forbidden", message: messageOf(error) }
  const code = refusals[tag]
  return code === undefined ? internal : { status: 422, code, message: messageOf(error) }
}

/** Whether a failure is an answer (4xx) rather than something to log and investigate. */
export const isExpected = (error: unknown): boolean => errorAnswer(error).status !== 500

export const errorBody = (answer: ErrorAnswer) => ({ error: { code: answer.code, message: answer.message } })
