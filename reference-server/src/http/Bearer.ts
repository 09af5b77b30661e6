import type { Staff } from "@careline/core"
import { Effect, Option, Schema } from "effect"
import { createMiddleware } from "hono/factory"
import { staffOfToken } from "../ApiTokens.js"
import type { ServerRuntime } from "../Runtime.js"
import { Unauthorized } from "./ApiError.js"
import { runEffect } from "./Respond.js"

/** What the API routes know about the request: the staff member its token belongs to. */
export interface ApiEnv {
  readonly Variables: { readonly staff: Staff }
}

const BearerToken = Schema.String.check(Schema.isPattern(/^Bearer [A-Za-z0-9_-]{16,256}$/))
const decodeHeader = Schema.decodeUnknownEffect(BearerToken)

/**
 * `Authorization: Bearer <token>` → the token's hash → `Credentials` → an active staff member, or 401.
 * Unknown, revoked and malformed tokens and deactivated staff all get the same answer.
 */
export const bearerAuth = (runtime: ServerRuntime) =>
  createMiddleware<ApiEnv>(async (c, next) => {
    const outcome = await runEffect(
      runtime,
      Effect.gen(function* () {
        const header = yield* decodeHeader(c.req.header("authorization")).pipe(Effect.mapError(() => new Unauthorized()))
        const staff = yield* staffOfToken(header.slice("Bearer ".length))
        return yield* Option.match(staff, { onNone: () => Effect.fail(new Unauthorized()), onSome: Effect.succeed })
      })
    )
    if (!outcome.ok) return outcome.response
    c.set("staff", outcome.value)
    await next()
  })

/** API answers are per person and often health data: never stored by a browser or proxy. */
export const noStore = createMiddleware(async (c, next) => {
  await next()
  c.res.headers.set("cache-control", "no-store")
})
