import type { PortalActor } from "@careline/core"
import { Effect } from "effect"
import type { Context, Env } from "hono"
import type { Child } from "hono/jsx"
import { type ErrorAnswer, errorAnswer } from "../../../http/ApiError.js"
import { runEffect } from "../../../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../../../Runtime.js"

/** 2xx and the 4xx a secure-message page answers with. */
export type PageStatus = 200 | 400 | 403 | 404 | 413 | 415 | 422 | 500

/**
 * One side of the secure messages: staff under `/secure` or a client under `/portal/messages`. The
 * same routes and views serve both; only who acts and the page around them differ.
 */
export interface SecureSide<E extends Env> {
  readonly base: string
  readonly actor: (c: Context<E>) => PortalActor
  readonly csrfToken: (c: Context<E>) => string
  /** A whole page in the side's layout (the staff shell, or the portal's). */
  readonly page: (c: Context<E>, title: string, content: Child, status: PageStatus) => Response | Promise<Response>
}

export const isHtmx = (c: Context) => c.req.header("hx-request") !== undefined

const notFoundText = "This message does not exist, or you do not have access to it."

/** A refusal's words: the core's own sentence for the rules, the problems for bad input, never internals. */
export const failureText = (error: unknown, answer: ErrorAnswer): string => {
  if (answer.status === 404) return notFoundText
  if (typeof error === "object" && error !== null && "_tag" in error) {
    if (error._tag === "InvalidRequest" && "problems" in error && Array.isArray(error.problems)) return error.problems.join("; ")
  }
  return answer.message
}

/** A failure as HTML: alone for htmx (swapped where the request aimed), else a page with a way back. */
export const failurePage = async <E extends Env>(c: Context<E>, side: SecureSide<E>, status: PageStatus, text: string): Promise<Response> => {
  if (isHtmx(c)) return c.html(<p class="error" role="alert">{text}</p>, status)
  const title = status === 404 ? "Not found" : status === 500 ? "Something went wrong" : "Not possible"
  return side.page(c, title, (
    <section class="card stack narrow">
      <h1>{title}</h1>
      <p>{text}</p>
      <p><a href={side.base}>Back to secure messages</a></p>
    </section>
  ), status)
}

/** Known refusals of the secure-message services and the upload reader, with their status. */
const statusOf = (error: unknown, answer: ErrorAnswer): PageStatus => {
  const tag = typeof error === "object" && error !== null && "_tag" in error ? error._tag : undefined
  if (tag === "ThreadRefused") return 422
  if (tag === "UploadRefused") {
    const reason = "reason" in (error as object) ? (error as { reason: unknown }).reason : undefined
    return reason === "TooLarge" ? 413 : reason === "TypeMismatch" || reason === "TypeNotAllowed" ? 415 : 400
  }
  return answer.status === 401 ? 403 : answer.status
}

const messageOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string" ? error.message : undefined

/** The status and words for a failure of a secure-message action. */
export const describeFailure = (error: unknown): { readonly status: PageStatus; readonly text: string } => {
  const answer = errorAnswer(error)
  const status = statusOf(error, answer)
  if (status === 422 || status === 413 || status === 415 || (status === 400 && answer.status === 500)) {
    return { status, text: messageOf(error) ?? answer.message }
  }
  return { status, text: failureText(error, answer) }
}

/**
 * Runs a page's Effect: its response, or an HTML answer for its failure (404 for what the actor may
 * not see; the core's sentence for a refusal; unexpected failures logged and answered 500).
 */
export const runSecure = async <E extends Env, Err>(
  c: Context<E>,
  side: SecureSide<E>,
  runtime: ServerRuntime,
  effect: Effect.Effect<Response, Err, ServerServices>
): Promise<Response> => {
  const caught = effect.pipe(
    Effect.map((response) => ({ ok: true as const, response })),
    Effect.catch((error: Err) => {
      const failure = describeFailure(error)
      return failure.status === 500 ? Effect.fail(error) : Effect.succeed({ ok: false as const, failure })
    })
  )
  const outcome = await runEffect(runtime, caught)
  if (!outcome.ok) return failurePage(c, side, 500, "Something went wrong on our side. It has been logged; please try again.")
  if (outcome.value.ok) return outcome.value.response
  return failurePage(c, side, outcome.value.failure.status, outcome.value.failure.text)
}
