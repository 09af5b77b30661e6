import { type ChartNote, ChartSink } from "@careline/core"
import { Context, Effect, Layer, Ref } from "effect"

/** Read side of the memory sink: the notes recorded so far, oldest first (tests' assertions). */
export class ChartedNotes extends Context.Service<ChartedNotes, {
  readonly all: Effect.Effect<ReadonlyArray<ChartNote>>
}>()("@careline/adapter-memory/ChartedNotes") {}

/**
 * A `ChartSink` that keeps every note for {@link ChartedNotes} to read back; each build starts empty.
 *
 * @example
 * ```ts
 * const notes = yield* ChartedNotes.use((chart) => chart.all)
 * ```
 */
export const layer: Layer.Layer<ChartSink | ChartedNotes> = Layer.effectContext(
  Effect.map(Ref.make<ReadonlyArray<ChartNote>>([]), (notes) =>
    Context.make(ChartSink, ChartSink.of({ record: (note) => Ref.update(notes, (all) => [...all, { ...note }]) })).pipe(
      Context.add(ChartedNotes, ChartedNotes.of({ all: Ref.get(notes) }))
    ))
)

/** A `ChartedNotes` that never holds anything: beside a real sink (FHIR files, a webhook). */
export const notRecording: Layer.Layer<ChartedNotes> = Layer.succeed(ChartedNotes, ChartedNotes.of({ all: Effect.succeed([]) }))
