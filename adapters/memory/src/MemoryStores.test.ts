import { auditLogSuite, consentLedgerSuite, conversationsSuite, directorySuite, outboxStoreSuite } from "@careline/testkit"
import { layer } from "./MemoryStores.js"

directorySuite("memory", layer)
conversationsSuite("memory", layer)
outboxStoreSuite("memory", layer)
consentLedgerSuite("memory", layer)
auditLogSuite("memory", layer)
