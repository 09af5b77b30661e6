import { ConsentEntry, ConsentLedger } from "@careline/core"
import { and, asc, count, eq } from "drizzle-orm"
import { Effect } from "effect"
import type { Database } from "./Database.js"
import { decodeAll, decoder } from "./Decode.js"
import * as t from "./schema.js"

const decodeEntry = decoder("consent entry", ConsentEntry)

/**
 * `ConsentLedger` over libSQL: rows are only ever inserted (triggers refuse the rest) and read back in
 * `seq` order. `appendIfCurrent` counts and inserts in one savepoint of the serial write lane, so of
 * two decisions made on the same history only the first is appended.
 */
export const makeConsentLedger = (database: Database) =>
  ConsentLedger.of({
    append: (entry) =>
      database.write("ConsentLedger.append", async (tx) => {
        await tx.insert(t.consentLedger).values({ ...entry })
      }),
    appendIfCurrent: (entry, seen) =>
      database.write("ConsentLedger.appendIfCurrent", async (tx) => {
        const [current] = await tx
          .select({ length: count() })
          .from(t.consentLedger)
          .where(and(eq(t.consentLedger.organisationId, entry.organisationId), eq(t.consentLedger.phone, entry.phone)))
        if (current?.length !== seen) return false
        await tx.insert(t.consentLedger).values({ ...entry })
        return true
      }),
    history: (organisationId, phone) =>
      database
        .read("ConsentLedger.history", (db) =>
          db
            .select({
              organisationId: t.consentLedger.organisationId,
              phone: t.consentLedger.phone,
              at: t.consentLedger.at,
              state: t.consentLedger.state,
              source: t.consentLedger.source,
              evidence: t.consentLedger.evidence
            })
            .from(t.consentLedger)
            .where(and(eq(t.consentLedger.organisationId, organisationId), eq(t.consentLedger.phone, phone)))
            .orderBy(asc(t.consentLedger.seq))
        )
        .pipe(Effect.flatMap(decodeAll(decodeEntry("ConsentLedger.history"))))
  })
