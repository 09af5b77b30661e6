import { NotFound } from "@careline/core"
import { Effect, Schema } from "effect"
import { problemsOf } from "../SchemaProblems.js"
import { InvalidRequest } from "./ApiError.js"

/**
 * Decodes untrusted input (a JSON body, a query) with `schema`, reporting every problem at once and
 * refusing fields the schema does not know, so a misspelt field is an error rather than ignored.
 */
export const decodeInput = <A>(schema: Schema.ConstraintDecoder<A>, subject: string) => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (input: unknown): Effect.Effect<A, InvalidRequest> =>
    decode(input, { errors: "all", onExcessProperty: "error" }).pipe(
      Effect.mapError((error) => new InvalidRequest({ problems: problemsOf(error, subject) }))
    )
}

/** The request body as JSON; a body that is not JSON is refused with a message saying so. */
export const jsonBody = (request: { readonly text: () => Promise<string> }): Effect.Effect<unknown, InvalidRequest> =>
  Effect.tryPromise({
    try: async () => JSON.parse(await request.text()) as unknown,
    catch: () => new InvalidRequest({ problems: ["the body is not valid JSON (send Content-Type: application/json and a JSON object)"] })
  })

/** A JSON body decoded with `schema`. */
export const decodeBody = <A>(schema: Schema.ConstraintDecoder<A>) => {
  const decode = decodeInput(schema, "the body")
  return (request: { readonly text: () => Promise<string> }) => Effect.flatMap(jsonBody(request), decode)
}

/** An id in a path: anything else cannot name a record, so it is answered like an unknown one. */
export const IdText = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9_.:-]{1,128}$/, { message: "an id, like cli_4f1c… (letters, digits and _ . : -)" })
)

const isId = Schema.is(IdText)

/** A path id as `make` brands it; one that cannot name a record is answered like an unknown one (404). */
export const pathId = <A>(value: string | undefined, entity: NotFound["entity"], make: (id: string) => A): Effect.Effect<A, NotFound> =>
  value !== undefined && isId(value) ? Effect.succeed(make(value)) : Effect.fail(new NotFound({ entity, id: "(not an id)" }))
