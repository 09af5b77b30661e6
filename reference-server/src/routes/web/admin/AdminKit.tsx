import type { StaffRole } from "@careline/core"
import { Effect, Result, Schema } from "effect"
import type { Context } from "hono"
import { createMiddleware } from "hono/factory"
import type { Child } from "hono/jsx"
import { runEffect } from "../../../http/Respond.js"
import type { ServerRuntime, ServerServices } from "../../../Runtime.js"
import { problemsOf } from "../../../SchemaProblems.js"
import type { Section } from "../../../web/Layout.js"
import { staffPage } from "../../../web/Page.js"
import type { WebEnv } from "../../../web/WebEnv.js"

export type PageStatus = 200 | 400 | 403 | 404 | 422 | 500

/** A signed-in page with any status (the shell's own helper knows only a few). */
export const page = async (c: Context<WebEnv>, title: string, section: Section, content: Child, status: PageStatus = 200): Promise<Response> => {
  const rendered = await staffPage(c, { title, section }, content)
  return new Response(rendered.body, { status, headers: rendered.headers })
}

/** A page that says plainly who may use it; htmx requests get the message alone. */
export const forbidden = (c: Context<WebEnv>, section: Section, who: string) => {
  const text = `Only ${who} can use this page.`
  if (c.req.header("hx-request") !== undefined) return c.html(<p class="error" role="alert">{text}</p>, 403)
  return page(c, "Not allowed", section, (
    <section class="card stack">
      <h1>Not allowed</h1>
      <p>{text} Ask an admin if you need access.</p>
      <p><a href="/messages">Back to messages</a></p>
    </section>
  ), 403)
}

/**
 * Lets only these roles through to `paths` (both the page and everything under it); the rest get a
 * 403 page. Mounted on paths, never on "*", since the routes are merged into the staff app.
 */
export const roleGate = (roles: ReadonlyArray<StaffRole>, section: Section, who: string) =>
  createMiddleware<WebEnv>(async (c, next) => {
    const { staff } = c.get("signedIn")
    if (!staff.active || !roles.includes(staff.role)) return forbidden(c, section, who)
    await next()
  })

/** What an attempt came to: its value, a refusal to show beside the form, or a response for a failure. */
export type Attempt<A> =
  | { readonly _tag: "Done"; readonly value: A }
  | { readonly _tag: "Refused"; readonly reason: string; readonly status: 404 | 422 }
  | { readonly _tag: "Failed"; readonly response: Response }

const tagOf = (error: unknown) => (typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : "")

const failurePage = (c: Context<WebEnv>, section: Section, status: 404 | 500) =>
  page(c, status === 404 ? "Not found" : "Something went wrong", section, (
    <section class="card stack">
      <h1>{status === 404 ? "Not found" : "Something went wrong"}</h1>
      <p>{status === 404 ? "That record does not exist, or you cannot see it." : "Something went wrong on our side. It has been logged; please try again."}</p>
    </section>
  ), status)

/**
 * Runs a change: `AdministrationRefused` comes back as its reason (to show beside the form); a
 * record one may not see is "not found"; anything else is logged and answered with an error page.
 */
export const attempt = async <A, E>(c: Context<WebEnv>, runtime: ServerRuntime, section: Section, effect: Effect.Effect<A, E, ServerServices>): Promise<Attempt<A>> => {
  const outcome = await runEffect(runtime, effect.pipe(
    Effect.map((value): Attempt<A> => ({ _tag: "Done", value })),
    Effect.catch((error: E): Effect.Effect<Attempt<A>, E> => {
      const tag = tagOf(error)
      if (tag === "AdministrationRefused") return Effect.succeed({ _tag: "Refused", reason: (error as { reason: string }).reason, status: 422 })
      if (tag === "NotFound" || tag === "AccessDenied") return Effect.succeed({ _tag: "Refused", reason: "That record does not exist, or you cannot change it.", status: 404 })
      return Effect.fail(error)
    })
  ))
  return outcome.ok ? outcome.value : { _tag: "Failed", response: await failurePage(c, section, 500) }
}

/** Runs a page's loading Effect; a failure is a plain error page (the cause is logged, never shown). */
export const load = async <A, E>(c: Context<WebEnv>, runtime: ServerRuntime, section: Section, effect: Effect.Effect<A, E, ServerServices>): Promise<Result.Result<A, Response>> => {
  const outcome = await runEffect(runtime, effect)
  if (outcome.ok) return Result.succeed(outcome.value)
  return Result.fail(await failurePage(c, section, outcome.response.status === 404 ? 404 : 500))
}

/** The posted form; a field sent several times (checkboxes) becomes an array. */
export const formOf = async (c: Context<WebEnv>): Promise<Record<string, string | ReadonlyArray<string>>> => {
  const body = await c.req.parseBody({ all: true })
  const form: Record<string, string | ReadonlyArray<string>> = {}
  for (const [key, value] of Object.entries(body)) {
    if (key === "_csrf") continue
    if (typeof value === "string") form[key] = value
    else if (Array.isArray(value)) form[key] = value.filter((v): v is string => typeof v === "string")
  }
  return form
}

/** Decodes a form with `schema`, every problem in words (`field: what is wrong`), never echoing values. */
export const decodeForm = <A,>(schema: Schema.ConstraintDecoder<A>) => {
  const decode = Schema.decodeUnknownResult(schema)
  return (input: unknown): Result.Result<A, ReadonlyArray<string>> =>
    Result.mapError(decode(input, { errors: "all" }), (error) => problemsOf(error, "the form"))
}

/** A form's problems, announced to screen readers. */
export const Problems = (props: { readonly problems?: ReadonlyArray<string> | undefined }) =>
  props.problems === undefined || props.problems.length === 0 ? null : (
    <div class="error" role="alert">
      <p>Please fix this and try again:</p>
      <ul>{props.problems.map((problem) => <li>{problem}</li>)}</ul>
    </div>
  )

export const Saved = (props: { readonly text?: string | undefined }) =>
  props.text === undefined ? null : <p class="notice" role="status">{props.text}</p>

/** A non-empty trimmed text of at most `max` characters. */
export const Text = (what: string, max: number) =>
  Schema.String.check(
    Schema.makeFilter((s: string) => s.trim().length > 0 || `${what} cannot be empty`),
    Schema.makeFilter((s: string) => s.length <= max || `${what} can be at most ${max} characters (it has ${s.length})`)
  )

/** A field sent as one value or several: always a list. */
export const listOf = (value: string | ReadonlyArray<string> | undefined): ReadonlyArray<string> =>
  value === undefined ? [] : typeof value === "string" ? [value] : value
