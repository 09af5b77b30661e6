import { ChannelId, chartChannelMessage, chartChannelTranscript, MessageId } from "@careline/core"
import { Effect, Schema } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { InvalidRequest } from "../../../http/ApiError.js"
import { IdText, pathId } from "../../../http/Input.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { problemsOf } from "../../../SchemaProblems.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { ActionsPane } from "./ActionsPane.js"
import { loadActions } from "./Messenger.js"
import { originOf } from "./messengerRoutes.js"
import { isHtmx, runPage } from "./WebAnswers.js"

const ChartForm = Schema.Struct({ messageId: Schema.optional(IdText) })

/** The messages region reloads on `charted`; the inbox and the actions pane on `inbox-changed`. */
const charted = { "hx-trigger": JSON.stringify({ charted: { target: "body" }, "inbox-changed": { target: "body" } }) }

/**
 * `POST /messages/:id/chart` (S3): sends one message (`messageId`) or, without it, the whole
 * conversation to the client's clinical record through the core (access policy, audit). htmx gets the
 * actions pane back saying what happened; a refusal (no client) is 422 and a clinical record that
 * does not answer is 502, each with the reason, and nothing is marked.
 */
const chart = (runtime: ServerRuntime) => (c: Context<WebEnv>) =>
  runPage(c, runtime, Effect.gen(function* () {
    const { staff, csrfToken } = c.get("signedIn")
    const channelId = yield* pathId(c.req.param("id"), "channel", ChannelId.make)
    const form = yield* Effect.promise(() => c.req.parseBody())
    const { messageId } = yield* Schema.decodeUnknownEffect(ChartForm)(form, { errors: "all" }).pipe(
      Effect.mapError((error) => new InvalidRequest({ problems: problemsOf(error, "the form") }))
    )
    const outcome = yield* (messageId === undefined
      ? chartChannelTranscript({ staffId: staff.id, channelId })
      : chartChannelMessage({ staffId: staff.id, channelId, messageId: MessageId.make(messageId) })
    ).pipe(
      Effect.map((count) => ({ status: 200 as const, notice: count === 1 ? "Sent to clinical record." : `Sent to clinical record (${count} messages).` })),
      Effect.catchTags({
        ChartRefused: (refused) => Effect.succeed({ status: 422 as const, error: refused.message }),
        ChartSinkFailed: (failed) =>
          Effect.as(
            Effect.logWarning("A note could not be sent to the clinical record.", failed.reason),
            { status: 502 as const, error: `The clinical record did not take the note: ${failed.reason} Nothing was marked; try again later.` }
          )
      })
    )
    if (!isHtmx(c)) {
      if (outcome.status === 200) return c.redirect(`/messages/${channelId}`, 303)
      return yield* Effect.promise(async () => c.html(<p class="error" role="alert">{"error" in outcome ? outcome.error : ""}</p>, outcome.status))
    }
    const view = yield* loadActions(staff.id, channelId)
    const pane = "error" in outcome
      ? <ActionsPane view={view} csrfToken={csrfToken} origin={originOf(c)} error={outcome.error} />
      : <ActionsPane view={view} csrfToken={csrfToken} origin={originOf(c)} notice={outcome.notice} />
    return yield* Effect.promise(async () => c.html(pane, outcome.status, outcome.status === 200 ? charted : {}))
  }))

export const chartRoutes = (runtime: ServerRuntime) => new Hono<WebEnv>().post("/messages/:id/chart", chart(runtime))
