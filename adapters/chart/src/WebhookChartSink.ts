import { randomUUID } from "node:crypto"
import { ChartSink, ChartSinkFailed } from "@careline/core"
import { Effect, Layer, Redacted } from "effect"
import { toCommunication } from "./FhirCommunication.js"

export interface WebhookChartSinkOptions {
  /** The EHR's endpoint (`CHART_WEBHOOK_URL`). */
  readonly url: string
  /** Sent as `Authorization: Bearer …` when set (`CHART_WEBHOOK_SECRET`). */
  readonly secret?: Redacted.Redacted<string> | undefined
  /** How long the EHR has to answer (10 seconds unless set). */
  readonly timeoutMillis?: number
}

/**
 * A `ChartSink` that POSTs each note to an EHR as a FHIR R4 `Communication` (JSON,
 * `application/fhir+json`). Any 2xx answer is success; another answer, a refused connection or a
 * timeout is `ChartSinkFailed` naming only the status or "unreachable" (never the note).
 *
 * @example
 * ```ts
 * const chart = WebhookChartSink.layer({ url: "https://ehr.example.org/careline" })
 * ```
 */
export const make = (options: WebhookChartSinkOptions) =>
  ChartSink.of({
    record: (note) =>
      Effect.tryPromise({
        try: (signal) =>
          fetch(options.url, {
            method: "POST",
            headers: {
              "content-type": "application/fhir+json",
              accept: "application/fhir+json, application/json",
              ...(options.secret === undefined ? {} : { authorization: `Bearer ${Redacted.value(options.secret)}` })
            },
            body: JSON.stringify(toCommunication(note, randomUUID())),
            redirect: "error",
            signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMillis ?? 10_000)])
          }),
        catch: () => new ChartSinkFailed({ reason: "The clinical record system could not be reached." })
      }).pipe(
        Effect.flatMap((answer) =>
          Effect.andThen(
            Effect.promise(() => answer.body?.cancel() ?? Promise.resolve()),
            answer.ok ? Effect.void : Effect.fail(new ChartSinkFailed({ reason: `The clinical record system answered ${answer.status}.` }))
          ))
      )
  })

export const layer = (options: WebhookChartSinkOptions): Layer.Layer<ChartSink> => Layer.succeed(ChartSink, make(options))
