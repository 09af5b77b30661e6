/** Shared fakes and conformance suites: every adapter of a port runs that port's suite. */
export * from "./AuditLogSuite.js"
export * from "./ConsentLedgerSuite.js"
export * from "./ConversationsSuite.js"
export * from "./DirectorySuite.js"
export * from "./fixtures.js"
export * from "./OutboxStoreSuite.js"
export * from "./runEffect.js"
export * from "./SmsProviderSuite.js"
