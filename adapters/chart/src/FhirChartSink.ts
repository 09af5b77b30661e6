import { randomUUID } from "node:crypto"
import { mkdir, open, rename, unlink } from "node:fs/promises"
import { join, resolve } from "node:path"
import { ChartSink, ChartSinkFailed } from "@careline/core"
import { Effect, Layer, Schema } from "effect"
import { toCommunication } from "./FhirCommunication.js"

/** The FHIR directory could not be created at start. */
export class ChartDirectoryUnusable extends Schema.TaggedError<ChartDirectoryUnusable>()("ChartDirectoryUnusable", {
  directory: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `The clinical record directory ${this.directory} (CHART_FHIR_DIR) cannot be used: ${this.reason}`
  }
}

const durableWrite = async (directory: string, name: string, text: string) => {
  const temporary = join(directory, `.partial-${name}`)
  try {
    const handle = await open(temporary, "wx", 0o600)
    try {
      await handle.writeFile(text, "utf8")
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, join(directory, name))
    const dir = await open(directory, "r")
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  } catch (cause) {
    await unlink(temporary).catch(() => undefined)
    throw cause
  }
}

/**
 * A `ChartSink` that writes each note as a FHIR R4 `Communication` resource, one JSON file a note
 * (`Communication-<id>.json`, written whole or not at all), for an EHR's import to pick up.
 *
 * @example
 * ```ts
 * const chart = FhirChartSink.layer({ directory: "./data/chart" })
 * ```
 */
export const make = (options: { readonly directory: string }) =>
  Effect.gen(function* () {
    const directory = resolve(options.directory)
    yield* Effect.tryPromise({
      try: () => mkdir(directory, { recursive: true, mode: 0o700 }),
      catch: (cause) => new ChartDirectoryUnusable({ directory, reason: cause instanceof Error ? cause.message : String(cause) })
    })
    return ChartSink.of({
      record: (note) =>
        Effect.tryPromise({
          try: async () => {
            const id = randomUUID()
            await durableWrite(directory, `Communication-${id}.json`, `${JSON.stringify(toCommunication(note, id), null, 2)}\n`)
          },
          catch: () => new ChartSinkFailed({ reason: "The note could not be written to the clinical record directory." })
        })
    })
  })

export const layer = (options: { readonly directory: string }): Layer.Layer<ChartSink, ChartDirectoryUnusable> =>
  Layer.effect(ChartSink, make(options))
