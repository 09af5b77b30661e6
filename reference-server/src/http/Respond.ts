import { Cause, Effect, Exit, Option } from "effect"
import type { ServerRuntime, ServerServices } from "../Runtime.js"
import { errorAnswer, errorBody, isExpected } from "./ApiError.js"

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } })

const failureOf = <E>(cause: Cause.Cause<E>): unknown => Option.getOrUndefined(Cause.findErrorOption(cause))

/** The JSON error response for a failure; a 401 also says which scheme to use. */
export const errorResponse = (error: unknown): Response => {
  const answer = errorAnswer(error)
  return json(errorBody(answer), answer.status, answer.status === 401 ? { "www-authenticate": "Bearer" } : {})
}

export type Outcome<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly response: Response }

/**
 * Runs an Effect on the server runtime: its value, or the response for its failure (see
 * `errorAnswer`). Unexpected failures and defects are logged with their cause and answered with a
 * generic 500; the cause never reaches the response.
 */
export const runEffect = <A, E>(runtime: ServerRuntime, effect: Effect.Effect<A, E, ServerServices>): Promise<Outcome<A>> =>
  runtime
    .runPromiseExit(
      effect.pipe(
        Effect.tapCause((cause) =>
          Cause.hasInterruptsOnly(cause) || isExpected(failureOf(cause))
            ? Effect.void
            : Effect.logError("A request failed; answered 500.", cause))
      )
    )
    .then((exit): Outcome<A> =>
      Exit.isSuccess(exit) ? { ok: true, value: exit.value } : { ok: false, response: errorResponse(failureOf(exit.cause)) })

/** Runs a route's Effect: the response it built, or the response for its failure. */
export const runRoute = <E>(runtime: ServerRuntime, route: Effect.Effect<Response, E, ServerServices>): Promise<Response> =>
  runEffect(runtime, route).then((outcome) => (outcome.ok ? outcome.value : outcome.response))
