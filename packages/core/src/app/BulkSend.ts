import { Effect } from "effect"
import type { ClientId, LineId, MessageId, StaffId } from "../Ids.js"
import type { StorageError } from "../ports/StorageError.js"
import { sendSms } from "./Outbound.js"

export interface SendBulk {
  readonly staffId: StaffId
  readonly clientIds: ReadonlyArray<ClientId>
  readonly lineId?: LineId
  readonly body: string
}

export interface BulkResult {
  readonly queued: ReadonlyArray<{ readonly clientId: ClientId; readonly messageId: MessageId }>
  /** Clients the rules refused, with the reason to show (no consent, blocked, no primary phone, …). */
  readonly skipped: ReadonlyArray<{ readonly clientId: ClientId; readonly reason: string; readonly message: string }>
}

/**
 * One message to several clients (S3), each in their own channel and held until the end of quiet
 * hours. Clients the rules refuse are skipped and listed, not fatal; a storage failure still is.
 */
export const sendBulk = (input: SendBulk) =>
  Effect.gen(function* () {
    const queued: Array<BulkResult["queued"][number]> = []
    const skipped: Array<BulkResult["skipped"][number]> = []
    for (const clientId of new Set(input.clientIds)) {
      const sent = yield* sendSms({
        staffId: input.staffId,
        clientId,
        body: input.body,
        holdForQuietHours: true,
        ...(input.lineId === undefined ? {} : { lineId: input.lineId })
      }).pipe(
        Effect.map((message) => ({ _tag: "Queued" as const, message })),
        Effect.catchIf(
          (error): error is Exclude<typeof error, StorageError> => error._tag !== "StorageError",
          (error) => Effect.succeed({ _tag: "Skipped" as const, error })
        )
      )
      if (sent._tag === "Queued") queued.push({ clientId, messageId: sent.message.id })
      else skipped.push({ clientId, reason: sent.error._tag, message: sent.error.message })
    }
    return { queued, skipped } satisfies BulkResult
  })
