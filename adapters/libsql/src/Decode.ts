import { StorageError } from "@careline/core"
import { Effect, Schema } from "effect"

/** A stored row does not decode as its record. The cause names the record only: rows are health data. */
export class CorruptRow extends Error {
  constructor(readonly record: string) {
    super(`A stored ${record} does not match the ${record} schema.`)
  }
}

/**
 * Decodes what a row was read back as with the domain record's Schema, so that branded ids and
 * literal types are checked rather than cast; a row that does not fit fails as `StorageError`.
 */
export const decoder = <A>(record: string, schema: Schema.ConstraintDecoder<A>) => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (operation: string) =>
    (input: unknown): Effect.Effect<A, StorageError> =>
      decode(input).pipe(Effect.mapError(() => new StorageError({ operation, cause: new CorruptRow(record) })))
}

/** JSON text of a column; `undefined` when it does not parse, which the record's decoder then refuses. */
export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Drops null (and undefined) fields: a NULL column is an absent optional field of the record. */
export const withoutNulls = <A extends Record<string, unknown>>(record: A): Record<string, unknown> => {
  // A loop, not entries/filter/fromEntries: it runs for every row of every page.
  const present: Record<string, unknown> = {}
  for (const key of Object.keys(record)) if (record[key] !== null && record[key] !== undefined) present[key] = record[key]
  return present
}

type Decode<A> = (input: unknown) => Effect.Effect<A, StorageError>

export const decodeAll = <A>(decode: Decode<A>) => (inputs: ReadonlyArray<unknown>) => Effect.forEach(inputs, decode)

export const decodeFirst = <A>(decode: Decode<A>) => (inputs: ReadonlyArray<unknown>) =>
  inputs[0] === undefined ? Effect.succeedNone : Effect.asSome(decode(inputs[0]))

/**
 * The synchronous form of {@link decoder}, for a read inside a write operation (e.g. an atomic update):
 * it throws {@link CorruptRow}, which the write turns into a `StorageError`.
 */
export const decoderSync = <A>(record: string, schema: Schema.ConstraintDecoder<A>) => {
  const decode = Schema.decodeUnknownSync(schema)
  return (input: unknown): A => {
    try {
      return decode(input)
    } catch {
      throw new CorruptRow(record)
    }
  }
}
