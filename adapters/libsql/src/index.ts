export { backup, BackupFailed } from "./Backup.js"
export {
  type Database,
  type DatabaseKind,
  DatabaseOpenFailed,
  type DatabaseOptions,
  LibsqlDatabase,
  openDatabase,
  readPragmas
} from "./Database.js"
export * as LibsqlClientCredentials from "./LibsqlClientCredentials.js"
export * as LibsqlCredentials from "./LibsqlCredentials.js"
export { type ChannelSearch, type ChannelSearchScope, LibsqlSearch, searchChannels, searchInbox, toFtsQuery } from "./LibsqlSearch.js"
export * as LibsqlStores from "./LibsqlStores.js"
export { type WriteBatcherStats } from "./WriteBatcher.js"
export { type ChainReport, verifyAuditChain } from "./AuditChain.js"
