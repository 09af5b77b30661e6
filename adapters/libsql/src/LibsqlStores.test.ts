import { auditLogSuite, consentLedgerSuite, conversationsSuite, directorySuite, outboxStoreSuite } from "@careline/testkit"
import { tempStoresLayer } from "./testing/TempDatabase.js"

/**
 * The conformance suites on the production configuration — every foreign key enforced, one line per
 * number, the triggers and unique indexes as migrated — over a fresh temp file per build. The suites
 * store the parents of the rows they write first, so nothing here is relaxed; a database that does
 * not open fails the test with `DatabaseOpenFailed`'s message.
 */
const layer = tempStoresLayer()

directorySuite("libsql", layer)
conversationsSuite("libsql", layer)
outboxStoreSuite("libsql", layer)
consentLedgerSuite("libsql", layer)
auditLogSuite("libsql", layer)
