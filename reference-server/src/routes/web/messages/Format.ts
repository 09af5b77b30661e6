import type { ChannelStatus, ConsentState, DeliveryStatus, Message } from "@careline/core"

/** "Tuesday 1 December 2026 at 18:32:08 GMT": the exact time, shown on hover (S0). */
export const exactTime = (at: number, timeZone: string): string =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "long", timeZone }).format(at)

/** "18:32" today, "1 Dec, 18:32" otherwise: what a message or an inbox row shows. */
export const shortTime = (at: number, timeZone: string, now: number): string => {
  const day = (t: number) => new Intl.DateTimeFormat("en-GB", { dateStyle: "short", timeZone }).format(t)
  const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone }).format(at)
  if (day(at) === day(now)) return time
  return `${new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone }).format(at)}, ${time}`
}

export const statusLabel: Record<ChannelStatus, string> = { unread: "Unread", open: "Open", done: "Done" }

const deliveryLabel: Record<DeliveryStatus, string> = {
  queued: "Queued",
  sending: "Sending",
  unknown: "Delivery unknown",
  sent: "Sent",
  failed: "Failed",
  undelivered: "Not delivered",
  delivered: "Delivered",
  received: "Received"
}

/** Error codes a person can act on, in words; anything else is shown as its code. */
const reasons: Record<string, string> = {
  blocked: "the client is blocked",
  consent_opted_out: "the number opted out (STOP)",
  consent_unknown: "the number has not opted in",
  consent_pending: "the number has not opted in yet",
  lease_expired: "the server stopped while sending; it may or may not have gone out",
  Indeterminate: "the provider did not answer; it may or may not have gone out",
  Transient: "the provider was unavailable",
  RecipientUnsubscribed: "the recipient unsubscribed",
  InvalidNumber: "the number cannot receive texts",
  Rejected: "the provider refused it",
  "21610": "the recipient unsubscribed (STOP)",
  "21211": "the number is not valid",
  "21614": "the number is not a mobile number",
  "30003": "the handset is unreachable",
  "30005": "the number is unknown or no longer in service",
  "30006": "the number is a landline or cannot receive texts",
  "30007": "the carrier filtered it as spam"
}

export const failureReason = (code: string): string => reasons[code] ?? `error code ${code}`

/** "Delivered", or "Failed: the number is not valid (code 21211)". */
export const deliveryText = (message: Pick<Message, "status" | "errorCode">): string => {
  const label = deliveryLabel[message.status]
  if (message.errorCode === undefined) return label
  const reason = failureReason(message.errorCode)
  return reasons[message.errorCode] === undefined ? `${label}: ${reason}` : `${label}: ${reason} (${message.errorCode})`
}

export const isProblem = (status: DeliveryStatus) => status === "failed" || status === "undelivered" || status === "unknown"

export const consentLabel: Record<ConsentState, string> = {
  opted_in: "Opted in to texts",
  pending: "Asked to opt in; no answer yet",
  unknown: "Has not opted in to texts",
  opted_out: "Opted out of texts (replied STOP)"
}

/** Who wrote a message, as the transcript and the conversation name them. */
export const authorName = (message: Message, clientName: string, staffNames: ReadonlyMap<string, string>): string => {
  switch (message.author._tag) {
    case "Client":
      return clientName
    case "Staff":
      return staffNames.get(message.author.staffId) ?? "Staff"
    case "System":
      return "Careline (automatic)"
  }
}

/** The channel as plain text, oldest first, for a comm log or chart (S2, S3). */
export const transcriptText = (input: {
  readonly title: string
  readonly messages: ReadonlyArray<Message>
  readonly clientName: string
  readonly staffNames: ReadonlyMap<string, string>
  readonly timeZone: string
}): string => {
  const lines = [input.title, ""]
  for (const message of input.messages) {
    const status = message.direction === "outbound" ? ` [${deliveryText(message)}]` : ""
    const medium = message.medium === "email" ? " (by email)" : ""
    lines.push(`${exactTime(message.at, input.timeZone)} — ${authorName(message, input.clientName, input.staffNames)}${medium}${status}`)
    lines.push(message.body, "")
  }
  return lines.join("\n")
}
