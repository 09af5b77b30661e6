import type { AuditLog } from "./AuditLog.js"
import type { ClientLists } from "./ClientLists.js"
import type { ConsentLedger } from "./ConsentLedger.js"
import type { Conversations } from "./Conversations.js"
import type { Directory } from "./Directory.js"
import type { OutboxStore } from "./OutboxStore.js"
import type { PortalThreads } from "./PortalThreads.js"
import type { StaffChats } from "./StaffChats.js"

/** Every store port: what a storage adapter's layer provides (memory, libSQL, …). */
export type Stores = Directory | Conversations | OutboxStore | ConsentLedger | AuditLog | ClientLists | StaffChats | PortalThreads
