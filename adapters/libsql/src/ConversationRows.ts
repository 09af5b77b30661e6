/** Conversation records ↔ rows: tagged unions (a message's author) become a kind column and nullable ids. */
import type { Channel, Message } from "@careline/core"
import { parseJson, withoutNulls } from "./Decode.js"
import * as t from "./schema.js"
import type { Sql } from "./WriteBatcher.js"

type Row<T extends { $inferSelect: unknown }> = T["$inferSelect"]

export const channelRow = (channel: Channel) => ({
  id: channel.id,
  organisationId: channel.organisationId,
  lineId: channel.lineId,
  phone: channel.phone,
  clientId: channel.clientId ?? null,
  status: channel.status,
  archived: channel.archived,
  repliesAllowed: channel.repliesAllowed,
  replyToken: channel.replyToken ?? null,
  unreadCount: channel.unreadCount,
  createdAt: channel.createdAt,
  lastActivityAt: channel.lastActivityAt,
  afterHoursRepliedFor: channel.afterHoursRepliedFor ?? null,
  urgentSince: channel.urgentSince ?? null
})

export const channelFromRow = (row: Row<typeof t.channels>) => withoutNulls({ ...row })

export const writeChannel = async (db: Sql, channel: Channel) => {
  const { id, ...row } = channelRow(channel)
  await db.insert(t.channels).values({ id, ...row }).onConflictDoUpdate({ target: t.channels.id, set: row })
}

export const messageRow = (message: Message) => ({
  id: message.id,
  organisationId: message.organisationId,
  channelId: message.channelId,
  direction: message.direction,
  authorKind: message.author._tag,
  authorStaffId: message.author._tag === "Staff" ? message.author.staffId : null,
  authorPurpose: message.author._tag === "System" ? message.author.purpose : null,
  body: message.body,
  at: message.at,
  status: message.status,
  errorCode: message.errorCode ?? null,
  providerMessageId: message.providerMessageId ?? null,
  receivedWhileRepliesOff: message.receivedWhileRepliesOff ?? null,
  processedAt: message.processedAt ?? null,
  claimedUntil: message.claimedUntil ?? null,
  media: message.media === undefined ? null : JSON.stringify(message.media),
  medium: message.medium ?? null,
  chartedAt: message.chartedAt ?? null
})

export const messageFromRow = (row: Row<typeof t.messages>) =>
  withoutNulls({
    id: row.id,
    organisationId: row.organisationId,
    channelId: row.channelId,
    direction: row.direction,
    author:
      row.authorKind === "Staff"
        ? { _tag: "Staff", staffId: row.authorStaffId }
        : row.authorKind === "System"
          ? { _tag: "System", purpose: row.authorPurpose }
          : { _tag: row.authorKind },
    body: row.body,
    at: row.at,
    status: row.status,
    errorCode: row.errorCode,
    providerMessageId: row.providerMessageId,
    receivedWhileRepliesOff: row.receivedWhileRepliesOff,
    processedAt: row.processedAt,
    claimedUntil: row.claimedUntil,
    media: row.media === null ? null : parseJson(row.media),
    medium: row.medium,
    chartedAt: row.chartedAt
  })
