import { AuditLog, ClientCredentials, ClientLists, ConsentLedger, Conversations, Credentials, Directory, OutboxStore, PortalThreads, StaffChats } from "@careline/core"
import { Context, Effect, Layer } from "effect"
import { type Database, type DatabaseOpenFailed, type DatabaseOptions, LibsqlDatabase, openDatabase } from "./Database.js"
import { makeAuditLog } from "./LibsqlAuditLog.js"
import * as LibsqlClientCredentials from "./LibsqlClientCredentials.js"
import * as LibsqlClientLists from "./LibsqlClientLists.js"
import * as LibsqlStaffChats from "./LibsqlStaffChats.js"
import * as LibsqlPortalThreads from "./LibsqlPortalThreads.js"
import { makeConsentLedger } from "./LibsqlConsentLedger.js"
import * as LibsqlCredentials from "./LibsqlCredentials.js"
import { makeConversations } from "./LibsqlConversations.js"
import { makeDirectory } from "./LibsqlDirectory.js"
import { makeOutboxStore } from "./LibsqlOutboxStore.js"
import { LibsqlSearch, makeSearch } from "./LibsqlSearch.js"

/** The stores of the core's ports. */
export type Stores = Directory | Conversations | OutboxStore | ConsentLedger | AuditLog | ClientLists | StaffChats | PortalThreads

/** The stores with staff and client (portal) credentials, search and the database itself (backups, sessions). */
export type StoresWithDatabase = Stores | Credentials | ClientCredentials | LibsqlSearch | LibsqlDatabase

/** Every service over one open database (one client, one write lane). */
export const context = (database: Database): Context.Context<StoresWithDatabase> =>
  Context.make(Directory, makeDirectory(database)).pipe(
    Context.add(Conversations, makeConversations(database)),
    Context.add(OutboxStore, makeOutboxStore(database)),
    Context.add(ConsentLedger, makeConsentLedger(database)),
    Context.add(AuditLog, makeAuditLog(database)),
    Context.add(ClientLists, LibsqlClientLists.make(database)),
    Context.add(StaffChats, LibsqlStaffChats.make(database)),
    Context.add(PortalThreads, LibsqlPortalThreads.make(database)),
    Context.add(Credentials, LibsqlCredentials.make(database)),
    Context.add(ClientCredentials, LibsqlClientCredentials.make(database)),
    Context.add(LibsqlSearch, makeSearch(database)),
    Context.add(LibsqlDatabase, database)
  )

/**
 * The stores, credentials, search and database handle over one libSQL database, migrated when the layer is built;
 * the client is closed when the layer is released.
 *
 * @example
 * ```ts
 * const live = LibsqlStores.layerWithDatabase({ url: "file:/var/lib/careline/careline.db", encryptionKey })
 * const ids = yield* LibsqlSearch.use((s) => s.searchChannels({ lineIds, query: "refill", limit: 20 }))
 * ```
 */
export const layerWithDatabase = (options: DatabaseOptions): Layer.Layer<StoresWithDatabase, DatabaseOpenFailed> =>
  Layer.effectContext(Effect.map(openDatabase(options), context))

/**
 * The five stores over one libSQL database, like `MemoryStores.layer`: `recordOutbound` writes the
 * message and its outbox entry in one transaction, and concurrent writes share commits. Migrations are
 * applied when the layer is built; it fails with `DatabaseOpenFailed` (saying why) rather than start
 * on a database it cannot use safely.
 *
 * @example
 * ```ts
 * import { LibsqlStores } from "@careline/adapter-libsql"
 *
 * const stores = LibsqlStores.layer({ url: "file:/var/lib/careline/careline.db", encryptionKey: process.env.DATABASE_ENCRYPTION_KEY })
 * Effect.runPromise(Effect.provide(program, stores))
 * ```
 */
export const layer = (options: DatabaseOptions): Layer.Layer<Stores, DatabaseOpenFailed> => layerWithDatabase(options)
