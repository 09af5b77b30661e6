import type { Effect } from "effect"
import type { Context } from "hono"
import type { ErrorAnswer } from "../../../http/ApiError.js"
import { runEffect } from "../../../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../../../Runtime.js"
import type { Section } from "../../../web/Layout.js"
import { staffPage } from "../../../web/Page.js"
import type { WebEnv } from "../../../web/WebEnv.js"

export const isHtmx = (c: Context) => c.req.header("hx-request") !== undefined

/** What the page is about, to say what was not found and where to go back to. */
export interface PageSubject {
  readonly section: Section
  readonly notFound: string
  readonly back: { readonly href: string; readonly label: string }
}

export const clientSubject: PageSubject = {
  section: "clients",
  notFound: "This client does not exist, or you do not have access to them.",
  back: { href: "/clients", label: "Back to clients" }
}

const titles: Record<number, string> = { 404: "Not found", 500: "Something went wrong" }

/** A failure as HTML: the message alone for htmx (swapped where the request aimed), else a whole page with the same status. */
export const errorPage = async (c: Context<WebEnv>, answer: Pick<ErrorAnswer, "status" | "message">, subject: PageSubject): Promise<Response> => {
  const text = answer.status === 404 ? subject.notFound : answer.message
  if (isHtmx(c)) return c.html(<p class="error" role="alert">{text}</p>, answer.status)
  const title = titles[answer.status] ?? "Not possible"
  const page = await staffPage(c, { title, section: subject.section }, (
    <section class="card stack narrow">
      <h1>{title}</h1>
      <p>{text}</p>
      <p><a href={subject.back.href}>{subject.back.label}</a></p>
    </section>
  ))
  return new Response(page.body, { status: answer.status, headers: page.headers })
}

/**
 * Runs a page's Effect: its response, or the HTML answer for its failure — 404 for whatever the
 * access policy hides, the core's own words for a refusal, and a logged generic 500 for the rest.
 */
export const runPage = async <E,>(c: Context<WebEnv>, runtime: ServerRuntime, effect: Effect.Effect<Response, E, ServerServices>, subject: PageSubject = clientSubject): Promise<Response> => {
  const outcome = await runEffect(runtime, effect)
  if (outcome.ok) return outcome.value
  const body = (await outcome.response.json()) as { readonly error: { readonly message: string } }
  return errorPage(c, { status: outcome.response.status as ErrorAnswer["status"], message: body.error.message }, subject)
}
