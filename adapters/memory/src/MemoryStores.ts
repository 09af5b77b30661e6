import { AuditLog, ClientLists, ConsentLedger, Conversations, Directory, OutboxStore, PortalThreads, StaffChats } from "@careline/core"
import { Context, Effect, Layer, Ref } from "effect"
import { makeAuditLog } from "./MemoryAuditLog.js"
import { makeClientLists } from "./MemoryClientLists.js"
import { makeConsentLedger } from "./MemoryConsentLedger.js"
import { makeConversations } from "./MemoryConversations.js"
import { makeDirectory } from "./MemoryDirectory.js"
import { makeOutboxStore } from "./MemoryOutboxStore.js"
import { makePortalThreads } from "./MemoryPortalThreads.js"
import { makeStaffChats } from "./MemoryStaffChats.js"
import { emptyState } from "./MemoryState.js"

/** All the stores in memory. */
export type MemoryStores = Directory | Conversations | OutboxStore | ConsentLedger | AuditLog | ClientLists | StaffChats | PortalThreads

/**
 * The five stores over one in-memory state, so `Conversations.recordOutbound` writes the message and
 * its outbox entry in one step and `OutboxStore.claimDue` sees it. Each build starts empty.
 *
 * @example
 * ```ts
 * import { Conversations } from "@careline/core"
 * import { MemoryStores } from "@careline/adapter-memory"
 *
 * const program = Conversations.use((c) => c.getChannel(channelId))
 * Effect.runPromise(Effect.provide(program, MemoryStores.layer))
 * ```
 */
export const layer: Layer.Layer<MemoryStores> = Layer.effectContext(
  Effect.gen(function* () {
    const ref = yield* Ref.make(emptyState)
    return Context.make(Directory, makeDirectory(ref)).pipe(
      Context.add(Conversations, makeConversations(ref)),
      Context.add(OutboxStore, makeOutboxStore(ref)),
      Context.add(ConsentLedger, makeConsentLedger(ref)),
      Context.add(AuditLog, makeAuditLog(ref)),
      // Saved client lists keep their own state: nothing else is written with them.
      Context.add(ClientLists, yield* makeClientLists),
      // Staff chats keep their own state too.
      Context.add(StaffChats, yield* makeStaffChats),
      // Portal threads too.
      Context.add(PortalThreads, yield* makePortalThreads)
    )
  })
)
