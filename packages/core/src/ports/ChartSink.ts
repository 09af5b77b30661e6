import { Context, type Effect, Schema } from "effect"
import type { ClientId, OrganisationId, StaffId } from "../Ids.js"

/** A note for a client's clinical record (quick note, transcript). */
export interface ChartNote {
  readonly organisationId: OrganisationId
  readonly clientId: ClientId
  readonly author: StaffId
  readonly text: string
  readonly at: number
}

export class ChartSinkFailed extends Schema.TaggedError<ChartSinkFailed>()("ChartSinkFailed", {
  reason: Schema.String
}) {}

/** Where notes for the clinical record go: an EHR webhook, a FHIR resource, … */
export class ChartSink extends Context.Service<ChartSink, {
  readonly record: (note: ChartNote) => Effect.Effect<void, ChartSinkFailed>
}>()("@careline/core/ChartSink") {}
