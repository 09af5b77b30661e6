import { auditLogSuite, consentLedgerSuite, conversationsSuite, directorySuite, outboxStoreSuite } from "@careline/testkit"
import { Layer } from "effect"
import { tempStoresLayer } from "./testing/TempDatabase.js"

/**
 * The conformance suites write rows whose parents were never stored (a channel of `line_1` with no
 * line, an outbox entry of a message that does not exist, …) and, in the Directory property, two lines
 * with one number — which this schema refuses by design (foreign keys everywhere; a number routes to one
 * line, as the Directory port says). So here they run on a fresh temp file per build with exactly two
 * things relaxed: `PRAGMA foreign_keys=OFF`, and the unique index on `lines.number` dropped. Everything
 * else — the adapter code, triggers, the other unique indexes — is what production runs. The relaxed
 * constraints are tested on their own in `Integrity.test.ts`. (The suites take layers that cannot
 * fail, so a database that does not open is a defect here.)
 */
const layer = Layer.orDie(tempStoresLayer(
  {},
  {
    enforceForeignKeys: false,
    afterMigrate: async (client) => {
      await client.execute("DROP INDEX lines_number_unique")
    }
  }
))

directorySuite("libsql", layer)
conversationsSuite("libsql", layer)
outboxStoreSuite("libsql", layer)
consentLedgerSuite("libsql", layer)
auditLogSuite("libsql", layer)
