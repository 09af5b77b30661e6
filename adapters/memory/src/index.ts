/** In-memory adapters: the five stores over one shared state, credentials, a recording and a live notifier, and id sources. */
export * as MemoryCredentials from "./MemoryCredentials.js"
export * as MemoryNotifier from "./MemoryNotifier.js"
export * as MemoryStores from "./MemoryStores.js"
export * as RandomIds from "./RandomIds.js"
export * as SequentialIds from "./SequentialIds.js"
export { NotificationLog } from "./MemoryNotifier.js"
export * as LiveNotifier from "./LiveNotifier.js"
export { LiveEvents } from "./LiveNotifier.js"
