import { LibsqlDatabase } from "@careline/adapter-libsql"
import { ClientId, OrganisationId, StorageError } from "@careline/core"
import { Context, Effect, Layer, Schema } from "effect"

const decodeIds = <A>(schema: Schema.Codec<A, string>, operation: string) => (values: ReadonlyArray<unknown>) =>
  Schema.decodeUnknownEffect(Schema.Array(schema))(values).pipe(
    Effect.mapError(() => new StorageError({ operation, cause: new Error(`A stored id does not decode (${operation}).`) }))
  )

/**
 * What the `Directory` port cannot answer yet: which organisations exist and which clients one has
 * (the port looks records up by id only), and whether the database answers at all. Over libSQL,
 * which is what the server runs on; reads go to the database's reading connection.
 */
export class Roster extends Context.Service<Roster, {
  readonly organisationIds: Effect.Effect<ReadonlyArray<OrganisationId>, StorageError>
  /** In id order. */
  readonly clientIdsOf: (organisationId: OrganisationId) => Effect.Effect<ReadonlyArray<ClientId>, StorageError>
  readonly ping: Effect.Effect<void, StorageError>
}>()("@careline/reference-server/Roster") {}

export const layer: Layer.Layer<Roster, never, LibsqlDatabase> = Layer.effect(
  Roster,
  Effect.gen(function* () {
    const database = yield* LibsqlDatabase
    const column = (operation: string, sql: string, args: ReadonlyArray<string> = []) =>
      database.read(operation, () => database.reader.execute({ sql, args: [...args] })).pipe(
        Effect.map((result) => result.rows.map((row) => row[0]))
      )
    return Roster.of({
      organisationIds: Effect.flatMap(
        column("Roster.organisationIds", "SELECT id FROM organisations ORDER BY id"),
        decodeIds(OrganisationId, "Roster.organisationIds")
      ),
      clientIdsOf: (organisationId) =>
        Effect.flatMap(
          column("Roster.clientIdsOf", "SELECT id FROM clients WHERE organisation_id = ? ORDER BY id", [organisationId]),
          decodeIds(ClientId, "Roster.clientIdsOf")
        ),
      ping: Effect.asVoid(column("Roster.ping", "SELECT 1"))
    })
  })
)
