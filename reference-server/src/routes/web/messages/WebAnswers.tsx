import type { Context } from "hono"
import type { Effect } from "effect"
import { type ErrorAnswer, errorAnswer } from "../../../http/ApiError.js"
import { runEffect } from "../../../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../../../Runtime.js"
import { staffPage } from "../../../web/Page.js"
import type { WebEnv } from "../../../web/WebEnv.js"

export const isHtmx = (c: Context) => c.req.header("hx-request") !== undefined

const notFoundText = "This conversation does not exist, or you do not have access to it."

/** What a person reads for a failure: the core's reason for refusals, never internals. */
export const answerText = (answer: ErrorAnswer) => (answer.status === 404 ? notFoundText : answer.message)

/** The answer to a failure as HTML: the message alone for htmx (swapped where the request aimed), else a whole page. */
export const errorHtml = async (c: Context<WebEnv>, answer: ErrorAnswer): Promise<Response> => {
  const text = answerText(answer)
  if (isHtmx(c)) return c.html(<p class="error" role="alert">{text}</p>, answer.status)
  const title = answer.status === 404 ? "Not found" : answer.status === 500 ? "Something went wrong" : "Not possible"
  const page = await staffPage(c, { title, section: "messages" }, (
    <section class="card stack narrow">
      <h1>{title}</h1>
      <p>{text}</p>
      <p><a href="/messages">Back to messages</a></p>
    </section>
  ))
  return new Response(page.body, { status: answer.status, headers: page.headers })
}

/**
 * Runs a page's Effect on the server runtime: its response, or an HTML answer for its failure (404
 * for anything the access policy hides; unexpected failures are logged and answered 500).
 */
export const runPage = async <E,>(c: Context<WebEnv>, runtime: ServerRuntime, effect: Effect.Effect<Response, E, ServerServices>): Promise<Response> => {
  const outcome = await runEffect(runtime, effect)
  if (outcome.ok) return outcome.value
  const body = (await outcome.response.json()) as { readonly error: { readonly code: string; readonly message: string } }
  return errorHtml(c, { status: outcome.response.status as ErrorAnswer["status"], code: body.error.code, message: body.error.message })
}

export { errorAnswer }
