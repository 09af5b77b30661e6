/**
 * The relational schema of Careline's libSQL store. `drizzle-kit generate` turns it into the SQL
 * migrations in `../drizzle`; the FTS5 index and the append-only triggers live in a custom migration
 * there, because drizzle cannot describe them.
 *
 * Every reference is a foreign key. Values that are queried are columns; values only ever read
 * whole (an organisation's templates and business hours) are JSON text. Booleans are 0/1 integers,
 * times are epoch milliseconds.
 *
 * @module
 */
import { sql } from "drizzle-orm"
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core"

const oneOf = (column: string, values: ReadonlyArray<string>) =>
  sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(", ")})`)

const bool = (name: string) => integer(name, { mode: "boolean" })

export const organisations = sqliteTable("organisations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** JSON of `BusinessHours`. */
  businessHours: text("business_hours").notNull(),
  /** JSON of `Templates`. */
  templates: text("templates").notNull(),
  /** JSON array of crisis words; null when none are configured. */
  crisisWords: text("crisis_words"),
  portalShowsSms: bool("portal_shows_sms"),
  emailCarriesContent: bool("email_carries_content")
})

export const staff = sqliteTable(
  "staff",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    name: text("name").notNull(),
    email: text("email"),
    role: text("role").notNull(),
    active: bool("active").notNull()
  },
  (t) => [
    index("staff_organisation_idx").on(t.organisationId, t.id),
    check("staff_role_check", oneOf("role", ["specialist", "coordinator", "supervisor", "admin", "front_office"]))
  ]
)

/** `seq` is the rowid the FTS index points at: an explicit INTEGER PRIMARY KEY survives VACUUM. */
export const clients = sqliteTable(
  "clients",
  {
    seq: integer("seq").primaryKey(),
    id: text("id").notNull().unique(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    name: text("name").notNull(),
    active: bool("active").notNull(),
    blocked: bool("blocked").notNull(),
    email: text("email"),
    timeZone: text("time_zone")
  },
  (t) => [index("clients_organisation_idx").on(t.organisationId, t.id)]
)

/** A client's numbers, in the order the client record lists them. */
export const clientPhones = sqliteTable(
  "client_phones",
  {
    clientId: text("client_id").notNull().references(() => clients.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    phone: text("phone").notNull(),
    label: text("label").notNull(),
    primary: bool("is_primary").notNull(),
    okayToText: bool("okay_to_text").notNull()
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.position] }),
    index("client_phones_phone_idx").on(t.phone),
    check("client_phones_label_check", oneOf("label", ["mobile", "home", "work"]))
  ]
)

/** Assignment history, in append order (`seq`); `ended_at` is null while current. */
export const assignments = sqliteTable(
  "assignments",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    staffId: text("staff_id").notNull().references(() => staff.id),
    clientId: text("client_id").notNull().references(() => clients.id),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at")
  },
  (t) => [
    index("assignments_client_idx").on(t.clientId, t.seq),
    index("assignments_staff_idx").on(t.staffId),
    index("assignments_current_idx").on(t.clientId, t.staffId).where(sql`ended_at IS NULL`)
  ]
)

export const queues = sqliteTable(
  "queues",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    name: text("name").notNull(),
    /** JSON of `BusinessHours`; null when the organisation's hours apply. */
    businessHours: text("business_hours"),
    afterHoursReply: text("after_hours_reply")
  },
  (t) => [index("queues_organisation_idx").on(t.organisationId, t.id)]
)

/** A queue's members, in the order the queue record lists them. */
export const queueMembers = sqliteTable(
  "queue_members",
  {
    queueId: text("queue_id").notNull().references(() => queues.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    staffId: text("staff_id").notNull().references(() => staff.id)
  },
  (t) => [primaryKey({ columns: [t.queueId, t.position] }), index("queue_members_staff_idx").on(t.staffId)]
)

export const lines = sqliteTable(
  "lines",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    /** How inbound texts are routed, so one line per number across all organisations. */
    number: text("number").notNull().unique(),
    ownerKind: text("owner_kind").notNull(),
    ownerStaffId: text("owner_staff_id").references(() => staff.id),
    ownerQueueId: text("owner_queue_id").references(() => queues.id),
    ratePerSecond: real("rate_per_second").notNull()
  },
  (t) => [
    index("lines_organisation_idx").on(t.organisationId, t.id),
    check(
      "lines_owner_check",
      sql`(owner_kind = 'Staff' AND owner_staff_id IS NOT NULL AND owner_queue_id IS NULL)
        OR (owner_kind = 'Queue' AND owner_queue_id IS NOT NULL AND owner_staff_id IS NULL)
        OR (owner_kind = 'Organisation' AND owner_staff_id IS NULL AND owner_queue_id IS NULL)`
    ),
    check("lines_rate_check", sql`rate_per_second > 0`)
  ]
)

export const channels = sqliteTable(
  "channels",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    lineId: text("line_id").notNull().references(() => lines.id),
    phone: text("phone").notNull(),
    clientId: text("client_id").references(() => clients.id),
    status: text("status").notNull(),
    archived: bool("archived").notNull(),
    repliesAllowed: bool("replies_allowed").notNull(),
    replyToken: text("reply_token"),
    unreadCount: integer("unread_count").notNull(),
    createdAt: integer("created_at").notNull(),
    lastActivityAt: integer("last_activity_at").notNull(),
    afterHoursRepliedFor: integer("after_hours_replied_for"),
    urgentSince: integer("urgent_since")
  },
  (t) => [
    uniqueIndex("channels_line_phone_unique").on(t.lineId, t.phone),
    // An inbox page reads a line's channels newest first and filters them (status, archived, a specialist's
    // clients) from the index alone: only the rows it keeps are read from the table (a queue's specialist
    // passes over ~800 of its channels to find their 50).
    index("channels_inbox_idx").on(t.lineId, sql`last_activity_at DESC`, t.id, t.archived, t.status, t.clientId),
    index("channels_client_idx").on(t.clientId),
    index("channels_reply_token_idx").on(t.replyToken).where(sql`reply_token IS NOT NULL`),
    check("channels_status_check", oneOf("status", ["unread", "open", "done"]))
  ]
)

export const channelPreferences = sqliteTable(
  "channel_preferences",
  {
    channelId: text("channel_id").notNull().references(() => channels.id),
    staffId: text("staff_id").notNull().references(() => staff.id),
    muted: bool("muted").notNull(),
    hidden: bool("hidden").notNull()
  },
  (t) => [primaryKey({ columns: [t.channelId, t.staffId] }), index("channel_preferences_staff_idx").on(t.staffId)]
)

/** `seq` is the rowid the FTS index points at. A provider message id is stored once; NULLs repeat freely. */
export const messages = sqliteTable(
  "messages",
  {
    seq: integer("seq").primaryKey(),
    id: text("id").notNull().unique(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    channelId: text("channel_id").notNull().references(() => channels.id),
    direction: text("direction").notNull(),
    authorKind: text("author_kind").notNull(),
    authorStaffId: text("author_staff_id").references(() => staff.id),
    authorPurpose: text("author_purpose"),
    body: text("body").notNull(),
    at: integer("at").notNull(),
    status: text("status").notNull(),
    errorCode: text("error_code"),
    providerMessageId: text("provider_message_id").unique(),
    /** Null when absent from the record, so that absent and `false` stay apart. */
    receivedWhileRepliesOff: bool("received_while_replies_off"),
    /** Inbound: when its reactions were done; null until then. */
    processedAt: integer("processed_at"),
    /** Inbound: a processor's claim until this time. */
    claimedUntil: integer("claimed_until"),
    /** Inbound MMS: JSON array of `MessageMedia` (URL and content type); null for a plain text. */
    media: text("media"),
    /** "email" for a channel message sent by email; null for SMS (the default). */
    medium: text("medium"),
    /** When it was sent to the client's clinical record (S3); null until then. */
    chartedAt: integer("charted_at")
  },
  (t) => [
    index("messages_channel_idx").on(t.channelId, sql`at DESC`, sql`id DESC`),
    index("messages_unprocessed_idx").on(t.at).where(sql`direction = 'inbound' AND processed_at IS NULL`),
    check("messages_direction_check", oneOf("direction", ["inbound", "outbound"])),
    check(
      "messages_author_check",
      sql`(author_kind = 'Staff' AND author_staff_id IS NOT NULL AND author_purpose IS NULL)
        OR (author_kind = 'Client' AND author_staff_id IS NULL AND author_purpose IS NULL)
        OR (author_kind = 'System' AND author_staff_id IS NULL AND author_purpose IS NOT NULL)`
    ),
    check(
      "messages_status_check",
      oneOf("status", ["queued", "sending", "unknown", "sent", "failed", "undelivered", "delivered", "received"])
    )
  ]
)

/**
 * Received texts not yet in `messages`: a webhook's whole write is one row appended here, and
 * `routeLogged` moves them into `messages` later, in large batches. Append-only in `seq` order with no
 * other index, so a group commit of many texts touches only the table's last pages; duplicates are
 * found when routing, by `messages`' unique provider id.
 */
export const inboundLog = sqliteTable("inbound_log", {
  seq: integer("seq").primaryKey(),
  /** The id its message will get. */
  id: text("id").notNull(),
  toNumber: text("to_number").notNull(),
  fromNumber: text("from_number").notNull(),
  body: text("body").notNull(),
  at: integer("at").notNull(),
  providerMessageId: text("provider_message_id").notNull(),
  /** As `messages.media`: JSON array of `MessageMedia`, null for a plain text. */
  media: text("media")
})

export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    messageId: text("message_id").notNull().references(() => messages.id),
    lineId: text("line_id").notNull().references(() => lines.id),
    fromPhone: text("from_phone").notNull(),
    toPhone: text("to_phone").notNull(),
    body: text("body").notNull(),
    state: text("state").notNull(),
    attempts: integer("attempts").notNull(),
    notBefore: integer("not_before").notNull(),
    createdAt: integer("created_at").notNull(),
    providerMessageId: text("provider_message_id"),
    lastError: text("last_error")
  },
  (t) => [
    index("outbox_due_idx").on(t.state, t.notBefore, t.createdAt),
    index("outbox_message_idx").on(t.messageId),
    check("outbox_state_check", oneOf("state", ["pending", "sending", "sent", "failed", "unknown"]))
  ]
)

/** Append-only (triggers refuse UPDATE and DELETE); `seq` is the append order. */
export const consentLedger = sqliteTable(
  "consent_ledger",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    phone: text("phone").notNull(),
    at: integer("at").notNull(),
    state: text("state").notNull(),
    source: text("source").notNull(),
    evidence: text("evidence").notNull()
  },
  (t) => [
    index("consent_ledger_phone_idx").on(t.organisationId, t.phone, t.seq),
    check("consent_ledger_state_check", oneOf("state", ["unknown", "pending", "opted_in", "opted_out"])),
    check(
      "consent_ledger_source_check",
      oneOf("source", ["keyword", "staff_attestation", "provider_error", "import", "opt_in_request"])
    )
  ]
)

/** Append-only (triggers refuse UPDATE and DELETE); `seq` is the append order. Never message content. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    at: integer("at").notNull(),
    actorKind: text("actor_kind").notNull(),
    actorStaffId: text("actor_staff_id").references(() => staff.id),
    action: text("action").notNull(),
    clientId: text("client_id").references(() => clients.id),
    channelId: text("channel_id").references(() => channels.id),
    detail: text("detail"),
    /** The chain (see `AuditChain`): the previous row's hash, and SHA-256 over it and this row. Null on rows older than the chain. */
    prevHash: text("prev_hash"),
    hash: text("hash")
  },
  (t) => [
    index("audit_log_organisation_idx").on(t.organisationId, t.seq),
    index("audit_log_client_idx").on(t.clientId, t.seq),
    check(
      "audit_log_actor_check",
      sql`(actor_kind = 'Staff' AND actor_staff_id IS NOT NULL)
        OR (actor_kind IN ('Client', 'System') AND actor_staff_id IS NULL)`
    )
  ]
)

/** API tokens of staff (no port yet): only a hash of the token is stored; no expiry when null. */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    staffId: text("staff_id").notNull().references(() => staff.id),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at")
  },
  (t) => [index("api_tokens_staff_idx").on(t.staffId)]
)

/** One password hash per staff member (`scrypt$…`); never the password. */
export const staffPasswords = sqliteTable("staff_passwords", {
  staffId: text("staff_id").primaryKey().references(() => staff.id),
  passwordHash: text("password_hash").notNull(),
  updatedAt: integer("updated_at").notNull()
})

/** Signed-in sessions by the SHA-256 of their id (a leaked database opens no session). */
export const staffSessions = sqliteTable(
  "staff_sessions",
  {
    sessionHash: text("session_hash").primaryKey(),
    staffId: text("staff_id").notNull().references(() => staff.id),
    startedAt: integer("started_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull()
  },
  (t) => [index("staff_sessions_staff_idx").on(t.staffId)]
)

/** Saved client lists for bulk sends, each owned by one staff member. */
export const clientLists = sqliteTable(
  "client_lists",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    ownerId: text("owner_id").notNull().references(() => staff.id),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull()
  },
  (t) => [index("client_lists_owner_idx").on(t.ownerId)]
)

/** A list's clients, in list order (`position`); removed with their list. */
export const clientListMembers = sqliteTable(
  "client_list_members",
  {
    listId: text("list_id").notNull().references(() => clientLists.id, { onDelete: "cascade" }),
    clientId: text("client_id").notNull().references(() => clients.id),
    position: integer("position").notNull()
  },
  (t) => [primaryKey({ columns: [t.listId, t.clientId] })]
)

/** Client portal invitations by the SHA-256 of their token: single use, seven days, only the client's newest. */
export const portalInvitations = sqliteTable(
  "portal_invitations",
  {
    tokenHash: text("token_hash").primaryKey(),
    clientId: text("client_id").notNull().references(() => clients.id),
    email: text("email").notNull(),
    invitedBy: text("invited_by").notNull().references(() => staff.id),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    revokedAt: integer("revoked_at")
  },
  (t) => [index("portal_invitations_client_idx").on(t.clientId, t.createdAt)]
)

/** A client's portal account: the email it signs in with (lower-cased) and the password hash. */
export const portalAccounts = sqliteTable(
  "portal_accounts",
  {
    clientId: text("client_id").primaryKey().references(() => clients.id),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    updatedAt: integer("updated_at").notNull()
  },
  (t) => [index("portal_accounts_email_idx").on(t.email)]
)

/** Clients' portal sessions by the SHA-256 of their id, apart from staff sessions. */
export const clientSessions = sqliteTable(
  "client_sessions",
  {
    sessionHash: text("session_hash").primaryKey(),
    clientId: text("client_id").notNull().references(() => clients.id),
    startedAt: integer("started_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull()
  },
  (t) => [index("client_sessions_client_idx").on(t.clientId)]
)

/** Staff chat rooms (S4). A 1:1 room carries its pair's key, so an organisation has one per pair. */
export const chatRooms = sqliteTable(
  "chat_rooms",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    startedBy: text("started_by").notNull().references(() => staff.id),
    createdAt: integer("created_at").notNull(),
    /** How many messages the room has: the last message's `seq`. */
    lastSeq: integer("last_seq").notNull().default(0),
    lastMessageAt: integer("last_message_at"),
    /** The two members' ids in order, for a 1:1 room; null for a group. */
    pairKey: text("pair_key")
  },
  (t) => [uniqueIndex("chat_rooms_pair_idx").on(t.organisationId, t.pairKey)]
)

/** A room's members in order, with the `seq` each has read up to. */
export const chatRoomMembers = sqliteTable(
  "chat_room_members",
  {
    roomId: text("room_id").notNull().references(() => chatRooms.id, { onDelete: "cascade" }),
    staffId: text("staff_id").notNull().references(() => staff.id),
    position: integer("position").notNull(),
    readSeq: integer("read_seq").notNull().default(0)
  },
  (t) => [primaryKey({ columns: [t.roomId, t.staffId] }), index("chat_room_members_staff_idx").on(t.staffId)]
)

/** Chat messages, numbered within their room. */
export const chatMessages = sqliteTable(
  "chat_messages",
  {
    id: text("id").primaryKey(),
    roomId: text("room_id").notNull().references(() => chatRooms.id, { onDelete: "cascade" }),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    authorId: text("author_id").notNull().references(() => staff.id),
    body: text("body").notNull(),
    at: integer("at").notNull(),
    seq: integer("seq").notNull()
  },
  (t) => [uniqueIndex("chat_messages_room_seq_idx").on(t.roomId, t.seq)]
)

/**
 * Portal secure-message threads (S1). Participants and authors are a kind ('Staff' / 'Client') with
 * the one id of that kind, each a foreign key. Deletes are hard (and the connection's
 * `secure_delete` zeroes what they free): a thread's messages and states go with it.
 */
export const portalThreads = sqliteTable(
  "portal_threads",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    subject: text("subject").notNull(),
    starterKind: text("starter_kind").notNull(),
    starterStaffId: text("starter_staff_id").references(() => staff.id),
    starterClientId: text("starter_client_id").references(() => clients.id),
    createdAt: integer("created_at").notNull(),
    lastActivityAt: integer("last_activity_at").notNull()
  },
  (t) => [
    check("portal_threads_starter_check", sql`(starter_kind = 'Staff' AND starter_staff_id IS NOT NULL AND starter_client_id IS NULL)
      OR (starter_kind = 'Client' AND starter_client_id IS NOT NULL AND starter_staff_id IS NULL)`)
  ]
)

/** Each participant of a thread, in order, with their state: read or not, archived or not. */
export const portalThreadParticipants = sqliteTable(
  "portal_thread_participants",
  {
    threadId: text("thread_id").notNull().references(() => portalThreads.id, { onDelete: "cascade" }),
    /** `staff:<id>` or `client:<id>`: who, whatever the kind. */
    participantKey: text("participant_key").notNull(),
    staffId: text("staff_id").references(() => staff.id),
    clientId: text("client_id").references(() => clients.id),
    position: integer("position").notNull(),
    unread: bool("unread").notNull(),
    archived: bool("archived").notNull()
  },
  (t) => [
    primaryKey({ columns: [t.threadId, t.participantKey] }),
    index("portal_thread_participants_key_idx").on(t.participantKey),
    check("portal_thread_participants_one_check", sql`(staff_id IS NULL) <> (client_id IS NULL)`)
  ]
)

/** A thread's messages; attachments are JSON text (`StoredFile[]`), read whole. */
export const portalThreadMessages = sqliteTable(
  "portal_thread_messages",
  {
    id: text("id").primaryKey(),
    threadId: text("thread_id").notNull().references(() => portalThreads.id, { onDelete: "cascade" }),
    authorKey: text("author_key").notNull(),
    authorStaffId: text("author_staff_id").references(() => staff.id),
    authorClientId: text("author_client_id").references(() => clients.id),
    body: text("body").notNull(),
    at: integer("at").notNull(),
    attachments: text("attachments").notNull(),
    chartedAt: integer("charted_at")
  },
  (t) => [
    index("portal_thread_messages_thread_idx").on(t.threadId, t.at),
    check("portal_thread_messages_author_check", sql`(author_staff_id IS NULL) <> (author_client_id IS NULL)`)
  ]
)

/** Drafts, their author's alone; recipients are JSON text. A reply's draft goes with its thread. */
export const portalThreadDrafts = sqliteTable(
  "portal_thread_drafts",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id").notNull().references(() => organisations.id),
    authorKey: text("author_key").notNull(),
    authorStaffId: text("author_staff_id").references(() => staff.id),
    authorClientId: text("author_client_id").references(() => clients.id),
    recipients: text("recipients").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    replyTo: text("reply_to").references(() => portalThreads.id, { onDelete: "cascade" }),
    updatedAt: integer("updated_at").notNull()
  },
  (t) => [
    index("portal_thread_drafts_author_idx").on(t.authorKey),
    index("portal_thread_drafts_reply_idx").on(t.replyTo),
    check("portal_thread_drafts_author_check", sql`(author_staff_id IS NULL) <> (author_client_id IS NULL)`)
  ]
)
