/**
 * Builds the benchmark database: one organisation, 50 staff (mixed roles, two inactive), 100,000
 * clients with phones, 100,000 channels (one per client but 2 % unknown numbers), 2,000,000 messages in
 * time order with varied bodies, assignment history for specialists, preferences and consent entries.
 *
 * The schema is the adapter's own: the file is first opened through `openDatabase` (which applies the
 * migrations and checks the pragmas) and closed; then a raw `@libsql/client` connection bulk-inserts
 * with `synchronous=OFF` (on that connection only), 100,000 rows per transaction in multi-row prepared INSERTs. To
 * keep that fast the bulk tables' secondary indexes and FTS triggers are dropped first and recreated
 * from their exact stored SQL afterwards (then both FTS indexes are rebuilt), so the finished file has
 * exactly the schema the migrations made. Finally the foreign keys are checked, the WAL is checkpointed,
 * and the file is opened through the adapter once more to prove it accepts it.
 *
 * Idempotent: a file whose sidecar (`<db>.seed.json`) and row counts match the requested sizes is kept;
 * `--force` rebuilds. `npx tsx src/seed.ts --clients 10000 --messages 200000 --db data/small.db` makes a
 * quick one.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { openDatabase } from "@careline/adapter-libsql"
import { defaultTemplates } from "@careline/core"
import { type Client, createClient, type InArgs, type Transaction } from "@libsql/client"
import { Effect } from "effect"
import { checkKnown, defaultDatabasePath, fileUrl, fmtInt, fmtSeconds, intFlag, isMain, log, parseFlags, stringFlag } from "./cli.js"
import { FIRST_NAMES, inboundBody, LAST_NAMES, outboundBody, Rng } from "./corpus.js"

/** Bump when the generated data changes, so that an old file is rebuilt rather than measured. */
export const SEED_VERSION = 1

/** The fixtures' "now" (2023-11-14T22:13:20Z): the newest message is just before it. */
export const T_END = 1_700_000_000_000
const DAY = 86_400_000
const SPAN = 730 * DAY

export const ORG = "org_1"
export const STAFF_COUNT = 50
export const ROWS_PER_TRANSACTION = 100_000

export interface SeedOptions {
  readonly path: string
  readonly clients: number
  readonly messages: number
  readonly force: boolean
}

export interface SeedSummary {
  readonly version: number
  /** How many of the adapter's migrations the file was built on. */
  readonly migrations: number
  readonly clients: number
  readonly channels: number
  readonly messages: number
  readonly staff: number
  readonly seconds: number
  readonly bytes: number
  readonly builtAt: string
}

/** `+1555` and seven digits, as the testkit's `phone(n)` makes them. */
export const phone = (n: number): string => `+1555${String(n % 10_000_000).padStart(7, "0")}`

const pad = (n: number, width: number) => String(n).padStart(width, "0")
export const staffId = (i: number) => `stf_${pad(i + 1, 2)}`
export const clientId = (i: number) => `cli_${pad(i + 1, 7)}`
export const channelId = (i: number) => `chn_${pad(i + 1, 7)}`
export const personalLineId = (staffIndex: number) => `line_${staffId(staffIndex)}`
export const ORG_LINE = "line_org"
export const FRONT_DESK_LINE = "line_frontdesk"
export const PHARMACY_LINE = "line_pharmacy"

/** Roles by staff index: 30 specialists (the last two inactive, without a line), 8 coordinators, 5 front office, 5 supervisors, 2 admins. */
export const roleOf = (i: number) =>
  i < 30 ? "specialist" : i < 38 ? "coordinator" : i < 43 ? "front_office" : i < 48 ? "supervisor" : "admin"
const ACTIVE_SPECIALISTS = 28
const isActive = (i: number) => i !== 28 && i !== 29
const FRONT_DESK_MEMBERS = [38, 39, 40, 41, 42, 30, 31, 32, 33, 0, 1, 2, 3, 4]
const PHARMACY_MEMBERS = [34, 35, 36, 37, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
const ORG_WIDE = Array.from({ length: STAFF_COUNT }, (_, i) => i).filter((i) => roleOf(i) !== "specialist" && isActive(i))

/** Which line a channel is on: 0 org, 1 front desk, 2 pharmacy, 3 + s the personal line of specialist s. */
const LINE_ORG = 0
const LINE_FRONT = 1
const LINE_PHARMACY = 2
const lineIdOf = (code: number) =>
  code === LINE_ORG ? ORG_LINE : code === LINE_FRONT ? FRONT_DESK_LINE : code === LINE_PHARMACY ? PHARMACY_LINE : personalLineId(code - 3)

// ---------------------------------------------------------------------------------------------------
// Bulk insert helpers
// ---------------------------------------------------------------------------------------------------

const MAX_PARAMS = 30_000
const sqlCache = new Map<string, string>()

/** Multi-row INSERTs of the same shape, so each statement text is prepared again only per chunk size. */
const insertRows = async (tx: Transaction, table: string, columns: ReadonlyArray<string>, rows: ReadonlyArray<InArgs & Array<unknown>>) => {
  const perStatement = Math.min(500, Math.floor(MAX_PARAMS / columns.length))
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement)
    const key = `${table}:${chunk.length}`
    let sql = sqlCache.get(key)
    if (sql === undefined) {
      const tuple = `(${columns.map(() => "?").join(",")})`
      sql = `INSERT INTO ${table} (${columns.join(",")}) VALUES ${Array.from({ length: chunk.length }, () => tuple).join(",")}`
      sqlCache.set(key, sql)
    }
    await tx.execute({ sql, args: chunk.flat() as Array<never> })
  }
}

/** Inserts `rows` in transactions of {@link ROWS_PER_TRANSACTION}. */
const insertAll = async (client: Client, table: string, columns: ReadonlyArray<string>, rows: ReadonlyArray<Array<unknown>>) => {
  for (let start = 0; start < rows.length; start += ROWS_PER_TRANSACTION) {
    const tx = await client.transaction("write")
    try {
      await insertRows(tx, table, columns, rows.slice(start, start + ROWS_PER_TRANSACTION) as Array<InArgs & Array<unknown>>)
      await tx.commit()
    } finally {
      tx.close()
    }
  }
}

const one = async (client: Client, sql: string): Promise<number> => Number((await client.execute(sql)).rows[0]?.[0] ?? 0)

// ---------------------------------------------------------------------------------------------------
// Idempotency
// ---------------------------------------------------------------------------------------------------

export const sidecarPath = (path: string) => `${path}.seed.json`

export const expectedCounts = (options: Pick<SeedOptions, "clients" | "messages">) => ({
  clients: options.clients,
  channels: options.clients,
  messages: options.messages,
  staff: STAFF_COUNT
})

/** The summary of a finished seed whose sizes match and whose tables still hold those counts; else why not. */
export const existingSeed = async (options: SeedOptions): Promise<SeedSummary | string> => {
  if (!existsSync(options.path)) return "no database file yet"
  if (!existsSync(sidecarPath(options.path))) return "the file has no seed summary (an unfinished or foreign build)"
  let summary: SeedSummary
  try {
    summary = JSON.parse(readFileSync(sidecarPath(options.path), "utf8")) as SeedSummary
  } catch {
    return "the seed summary does not parse"
  }
  if (summary.version !== SEED_VERSION) return `it was built by seed version ${summary.version}, this is ${SEED_VERSION}`
  const migrations = adapterMigrations()
  if (summary.migrations !== migrations) return `it was built on ${summary.migrations} of the adapter's migrations, which now has ${migrations}`
  const want = expectedCounts(options)
  const client = createClient({ url: fileUrl(options.path), concurrency: 1 })
  try {
    const have = {
      clients: await one(client, "SELECT count(*) FROM clients"),
      channels: await one(client, "SELECT count(*) FROM channels"),
      messages: await one(client, "SELECT count(*) FROM messages"),
      staff: await one(client, "SELECT count(*) FROM staff")
    }
    const wrong = (Object.keys(want) as Array<keyof typeof want>).filter((k) => have[k] !== want[k])
    if (wrong.length > 0) return `its counts differ (${wrong.map((k) => `${k} ${fmtInt(have[k])}, want ${fmtInt(want[k])}`).join("; ")})`
  } catch (error) {
    return `it cannot be read (${String(error)})`
  } finally {
    client.close()
  }
  return summary
}

/** The adapter's migrations (its drizzle journal), so that a file seeded before a new one is rebuilt. */
export const adapterMigrations = (): number => {
  const index = fileURLToPath(import.meta.resolve("@careline/adapter-libsql"))
  const journal = JSON.parse(readFileSync(resolve(dirname(index), "..", "drizzle", "meta", "_journal.json"), "utf8")) as { entries: Array<unknown> }
  return journal.entries.length
}

const removeDatabase = (path: string) => {
  for (const suffix of ["", "-wal", "-shm", "-journal", ".seed.json"]) rmSync(`${path}${suffix}`, { force: true })
}

// ---------------------------------------------------------------------------------------------------
// The build
// ---------------------------------------------------------------------------------------------------

/** Applies the adapter's migrations and pragma checks by opening the file through it, then closes it. */
const openThroughAdapter = (path: string) => Effect.runPromise(Effect.scoped(Effect.asVoid(openDatabase({ url: fileUrl(path) }))))

const BULK_TABLES = ["clients", "client_phones", "assignments", "channels", "channel_preferences", "messages", "consent_ledger"]

export const seed = async (options: SeedOptions): Promise<SeedSummary> => {
  if (options.clients < 10 || options.messages < options.clients) {
    throw new Error("--clients must be at least 10 and --messages at least --clients (every channel has a message)")
  }
  if (options.clients > 3_000_000) throw new Error("--clients above 3,000,000 would reuse phone numbers")
  const started = performance.now()
  const rng = new Rng(20231114)
  const N = options.clients
  const C = N
  const M = options.messages
  mkdirSync(dirname(options.path), { recursive: true })
  removeDatabase(options.path)
  log(`seed: building ${options.path} — ${fmtInt(N)} clients, ${fmtInt(C)} channels, ${fmtInt(M)} messages, ${STAFF_COUNT} staff`)

  await openThroughAdapter(options.path)
  log(`seed: migrations applied through the adapter (${fmtSeconds(performance.now() - started)})`)

  const client = createClient({ url: fileUrl(options.path), concurrency: 1 })
  try {
    // Stays in WAL (the adapter's mode; a libSQL connection closed by the adapter may linger until it is
    // collected, and leaving WAL needs the file to itself); durability is off only for this connection.
    await client.execute("PRAGMA synchronous=OFF")
    await client.execute("PRAGMA foreign_keys=OFF")
    await client.execute("PRAGMA cache_size=-1048576")
    await client.execute("PRAGMA temp_store=MEMORY")

    // Drop what makes bulk inserts slow, keeping its exact SQL to put it back.
    const saved = (await client.execute({
      sql: `SELECT type, name, sql FROM sqlite_master
            WHERE sql IS NOT NULL AND ((type = 'index' AND tbl_name IN (${BULK_TABLES.map(() => "?").join(",")}))
               OR (type = 'trigger' AND name IN ('messages_fts_after_insert', 'clients_fts_after_insert')))`,
      args: BULK_TABLES
    })).rows.map((row) => ({ type: String(row.type), name: String(row.name), sql: String(row.sql) }))
    for (const object of saved) await client.execute(`DROP ${object.type.toUpperCase()} ${object.name}`)

    // --- Directory: organisation, staff, lines, queues --------------------------------------------
    {
      const tx = await client.transaction("write")
      try {
        await tx.execute({
          sql: "INSERT INTO organisations (id, name, business_hours, templates) VALUES (?, ?, ?, ?)",
          args: [
            ORG,
            "Harbour Care",
            JSON.stringify({
              timeZone: "America/New_York",
              weekly: (["mon", "tue", "wed", "thu", "fri"] as const).map((day) => ({ day, opens: "09:00", closes: "17:00" })),
              holidays: []
            }),
            JSON.stringify(defaultTemplates("Harbour Care"))
          ]
        })
        const staffRows = Array.from({ length: STAFF_COUNT }, (_, i) => {
          const first = FIRST_NAMES[(i * 7) % FIRST_NAMES.length]!
          const last = LAST_NAMES[(i * 13) % LAST_NAMES.length]!
          return [staffId(i), ORG, `${first} ${last}`, `${first.toLowerCase()}.${last.toLowerCase()}@harbour.example`, roleOf(i), isActive(i) ? 1 : 0]
        })
        await insertRows(tx, "staff", ["id", "organisation_id", "name", "email", "role", "active"], staffRows)
        await insertRows(tx, "queues", ["id", "organisation_id", "name", "business_hours", "after_hours_reply"], [
          ["q_frontdesk", ORG, "Front desk", null, null],
          ["q_pharmacy", ORG, "Pharmacy refills", null, "The pharmacy team is away; we will reply on the next business day."]
        ])
        await insertRows(tx, "queue_members", ["queue_id", "position", "staff_id"], [
          ...FRONT_DESK_MEMBERS.map((s, p) => ["q_frontdesk", p, staffId(s)]),
          ...PHARMACY_MEMBERS.map((s, p) => ["q_pharmacy", p, staffId(s)])
        ])
        const lineColumns = ["id", "organisation_id", "number", "owner_kind", "owner_staff_id", "owner_queue_id", "rate_per_second"]
        await insertRows(tx, "lines", lineColumns, [
          [ORG_LINE, ORG, phone(9_000_001), "Organisation", null, null, 10],
          [FRONT_DESK_LINE, ORG, phone(9_000_002), "Queue", null, "q_frontdesk", 1],
          [PHARMACY_LINE, ORG, phone(9_000_003), "Queue", null, "q_pharmacy", 1],
          ...Array.from({ length: ACTIVE_SPECIALISTS }, (_, s) => [personalLineId(s), ORG, phone(9_000_100 + s), "Staff", staffId(s), null, 1])
        ])
        await tx.commit()
      } finally {
        tx.close()
      }
    }

    // --- Channels' shape: line, client, active window, message count ------------------------------
    const lineCode = new Uint16Array(C)
    const hasClient = new Uint8Array(C)
    const createdAt = new Float64Array(C)
    const activeUntil = new Float64Array(C)
    const clientFirst = new Uint16Array(N)
    const hasHome = new Uint8Array(N)
    const usesHome = new Uint8Array(C)
    for (let c = 0; c < C; c++) {
      const r = rng.next()
      lineCode[c] = r < 0.3 ? LINE_ORG : r < 0.4 ? LINE_FRONT : r < 0.45 ? LINE_PHARMACY : 3 + rng.int(ACTIVE_SPECIALISTS)
      hasClient[c] = rng.chance(0.98) ? 1 : 0
      createdAt[c] = Math.floor(T_END - SPAN * rng.next())
      const window = T_END - createdAt[c]!
      activeUntil[c] = rng.chance(0.3) ? T_END - 1 : Math.floor(createdAt[c]! + window * rng.next())
    }
    for (let i = 0; i < N; i++) {
      clientFirst[i] = rng.int(FIRST_NAMES.length)
      hasHome[i] = rng.chance(0.3) ? 1 : 0
    }
    for (let c = 0; c < C; c++) usesHome[c] = hasClient[c] === 1 && hasHome[c] === 1 && rng.chance(0.05) ? 1 : 0
    const channelPhone = (c: number) => (hasClient[c] === 0 ? phone(8_000_000 + c) : usesHome[c] === 1 ? phone(4_000_000 + c) : phone(1_000_000 + c))

    // Heavy-tailed message counts: most channels have a handful, a few have hundreds or thousands.
    const weights = new Float64Array(C)
    let total = 0
    for (let c = 0; c < C; c++) {
      const w = Math.pow(-Math.log(1 - rng.next()), 2) * (rng.chance(0.01) ? 15 : 1)
      weights[c] = w
      total += w
    }
    const counts = new Uint32Array(C)
    let assigned = 0
    for (let c = 0; c < C; c++) {
      counts[c] = Math.max(1, Math.round((weights[c]! / total) * M))
      assigned += counts[c]!
    }
    while (assigned !== M) {
      const c = rng.int(C)
      if (assigned < M) {
        counts[c]! += 1
        assigned += 1
      } else if (counts[c]! > 1) {
        counts[c]! -= 1
        assigned -= 1
      }
    }

    // Every message's channel and time, then all of them in time order (the order they would have been written).
    const msgChannel = new Uint32Array(M)
    const msgAt = new Float64Array(M)
    {
      let k = 0
      for (let c = 0; c < C; c++) {
        const from = createdAt[c]!
        const until = Math.max(from + 1, activeUntil[c]!)
        for (let j = 0; j < counts[c]!; j++) {
          msgChannel[k] = c
          msgAt[k] = j === 0 ? from : Math.floor(from + (until - from) * rng.next())
          k++
        }
      }
    }
    const order = new Uint32Array(M)
    for (let k = 0; k < M; k++) order[k] = k
    order.sort((a, b) => msgAt[a]! - msgAt[b]! || a - b)
    log(`seed: layout ready (${fmtSeconds(performance.now() - started)})`)

    // --- Messages ---------------------------------------------------------------------------------
    const lastAt = new Float64Array(C)
    const lastInbound = new Uint8Array(C)
    const trailingInbound = new Uint16Array(C)
    const seen = new Uint8Array(C)
    const staffFirst = Array.from({ length: STAFF_COUNT }, (_, i) => FIRST_NAMES[(i * 7) % FIRST_NAMES.length]!)
    const templates = defaultTemplates("Harbour Care")
    const systemTexts = [
      ["after_hours", "Thanks for your message. Our office is closed; we will reply on the next business day."],
      ["after_hours", "Thanks for your message. Our office is closed; we will reply on the next business day."],
      ["after_hours", "Thanks for your message. Our office is closed; we will reply on the next business day."],
      ["welcome", templates.welcome],
      ["help", templates.help],
      ["opt_in_request", templates.optInRequest]
    ] as const
    const outboundAuthor = (c: number): number => {
      const code = lineCode[c]!
      if (code >= 3) return code - 3
      if (code === LINE_FRONT) return rng.pick(FRONT_DESK_MEMBERS)
      if (code === LINE_PHARMACY) return rng.pick(PHARMACY_MEMBERS)
      return rng.pick(ORG_WIDE)
    }
    const messageColumns = [
      "seq", "id", "organisation_id", "channel_id", "direction", "author_kind", "author_staff_id", "author_purpose", "body",
      "at", "status", "error_code", "provider_message_id", "received_while_replies_off"
    ]
    // Columns that later migrations may have added: history is processed (an inbound message whose
    // reactions were never run would be a crash leftover), and nothing is claimed.
    const messageTableColumns = new Set((await client.execute("PRAGMA table_info(messages)")).rows.map((r) => String(r.name)))
    const withProcessedAt = messageTableColumns.has("processed_at")
    if (withProcessedAt) messageColumns.push("processed_at")
    const messagesStarted = performance.now()
    for (let start = 0; start < M; start += ROWS_PER_TRANSACTION) {
      const end = Math.min(M, start + ROWS_PER_TRANSACTION)
      const rows: Array<Array<unknown>> = []
      for (let k = start; k < end; k++) {
        const m = order[k]!
        const c = msgChannel[m]!
        const at = msgAt[m]!
        const inbound = seen[c] === 0 ? rng.chance(0.4) : rng.chance(0.5)
        seen[c] = 1
        const seq = k + 1
        const id = `msg_${pad(seq, 9)}`
        const providerId = `SM${rng.hex(32)}`
        if (inbound) {
          rows.push([seq, id, ORG, channelId(c), "inbound", "Client", null, null, inboundBody(rng), at, "received", null, providerId, null])
        } else if (rng.chance(0.04)) {
          const [purpose, body] = rng.pick(systemTexts)
          rows.push([seq, id, ORG, channelId(c), "outbound", "System", null, purpose, body, at, "delivered", null, providerId, null])
        } else {
          const author = outboundAuthor(c)
          const name = hasClient[c] === 1 ? FIRST_NAMES[clientFirst[c]!]! : "there"
          const r = rng.next()
          const [status, error] = r < 0.9 ? ["delivered", null] : r < 0.95 ? ["sent", null] : r < 0.97 ? ["failed", "30003"] : ["undelivered", "30005"]
          rows.push([seq, id, ORG, channelId(c), "outbound", "Staff", staffId(author), null, outboundBody(rng, name, staffFirst[author]!), at, status, error, providerId, null])
        }
        if (withProcessedAt) rows[rows.length - 1]!.push(inbound ? at + 1 : null)
        lastAt[c] = at
        lastInbound[c] = inbound ? 1 : 0
        trailingInbound[c] = inbound ? trailingInbound[c]! + 1 : 0
      }
      const tx = await client.transaction("write")
      try {
        await insertRows(tx, "messages", messageColumns, rows as Array<InArgs & Array<unknown>>)
        await tx.commit()
      } finally {
        tx.close()
      }
      const elapsed = performance.now() - messagesStarted
      log(`seed: messages ${fmtInt(end)}/${fmtInt(M)} (${fmtInt(end / (elapsed / 1000))} rows/s, ${fmtSeconds(performance.now() - started)} so far)`)
    }

    // --- Clients, phones, channels, assignments, preferences, consent -----------------------------
    const clientRows: Array<Array<unknown>> = []
    const phoneRows: Array<Array<unknown>> = []
    for (let i = 0; i < N; i++) {
      const first = FIRST_NAMES[clientFirst[i]!]!
      const last = LAST_NAMES[rng.zipf(LAST_NAMES.length, 0.9)]!
      const email = rng.chance(0.4) ? `${first.toLowerCase()}.${last.toLowerCase()}.${i + 1}@mail.example` : null
      clientRows.push([i + 1, clientId(i), ORG, `${first} ${last}`, rng.chance(0.92) ? 1 : 0, rng.chance(0.005) ? 1 : 0, email])
      phoneRows.push([clientId(i), 0, phone(1_000_000 + i), "mobile", 1, rng.chance(0.95) ? 1 : 0])
      if (hasHome[i] === 1) phoneRows.push([clientId(i), 1, phone(4_000_000 + i), "home", 0, rng.chance(0.4) ? 1 : 0])
    }
    await insertAll(client, "clients", ["seq", "id", "organisation_id", "name", "active", "blocked", "email"], clientRows)
    await insertAll(client, "client_phones", ["client_id", "position", "phone", "label", "is_primary", "okay_to_text"], phoneRows)
    log(`seed: ${fmtInt(clientRows.length)} clients, ${fmtInt(phoneRows.length)} phones (${fmtSeconds(performance.now() - started)})`)

    const channelRows: Array<Array<unknown>> = []
    const assignmentRows: Array<Array<unknown>> = []
    const preferenceRows: Array<Array<unknown>> = []
    const consentRows: Array<Array<unknown>> = []
    const otherSpecialist = (not: number) => {
      const s = rng.int(30)
      return s === not ? (s + 1) % 30 : s
    }
    for (let c = 0; c < C; c++) {
      const code = lineCode[c]!
      let status: string
      let unread = 0
      if (lastInbound[c] === 1 && rng.chance(0.5)) {
        status = "unread"
        unread = trailingInbound[c]!
      } else {
        status = lastInbound[c] === 1 ? "open" : rng.chance(0.7) ? "done" : "open"
      }
      const archived = status === "done" && rng.chance(0.15) ? 1 : 0
      const repliesAllowed = rng.chance(0.95) ? 1 : 0
      const replyToken = repliesAllowed === 1 && rng.chance(0.3) ? rng.hex(32) : null
      channelRows.push([
        channelId(c), ORG, lineIdOf(code), channelPhone(c), hasClient[c] === 1 ? clientId(c) : null, status, archived,
        repliesAllowed, replyToken, unread, createdAt[c]!, lastAt[c]!, null
      ])
      if (hasClient[c] === 1) {
        // Specialists see their clients through a current assignment; history is kept.
        if (code >= 3) {
          const owner = code - 3
          if (rng.chance(0.15)) {
            const before = Math.floor(createdAt[c]! - (30 + rng.int(300)) * DAY)
            assignmentRows.push([staffId(otherSpecialist(owner)), clientId(c), before, Math.floor(createdAt[c]! - DAY)])
          }
          assignmentRows.push([staffId(owner), clientId(c), Math.floor(createdAt[c]! - rng.int(20) * DAY), null])
        } else if (rng.chance(0.5)) {
          const members = code === LINE_FRONT ? FRONT_DESK_MEMBERS : code === LINE_PHARMACY ? PHARMACY_MEMBERS : []
          const queueSpecialists = members.filter((s) => roleOf(s) === "specialist")
          const s = queueSpecialists.length > 0 && rng.chance(0.7) ? rng.pick(queueSpecialists) : rng.int(ACTIVE_SPECIALISTS)
          const from = Math.floor(createdAt[c]! - rng.int(60) * DAY)
          const ended = rng.chance(0.2) ? Math.floor(from + (T_END - from) * rng.next()) : null
          assignmentRows.push([staffId(s), clientId(c), from, ended])
        }
        const consent = rng.next()
        if (consent < 0.85) consentRows.push([ORG, channelPhone(c), Math.floor(createdAt[c]! - DAY), "opted_in", "import", "import-2021"])
        else if (consent < 0.88) {
          consentRows.push([ORG, channelPhone(c), Math.floor(createdAt[c]! - DAY), "opted_in", "import", "import-2021"])
          consentRows.push([ORG, channelPhone(c), Math.floor(lastAt[c]! - 1), "opted_out", "keyword", "STOP"])
        }
      }
      if (rng.chance(0.08)) {
        const who =
          code >= 3 ? code - 3 : code === LINE_FRONT ? rng.pick(FRONT_DESK_MEMBERS) : code === LINE_PHARMACY ? rng.pick(PHARMACY_MEMBERS) : rng.pick(ORG_WIDE)
        const hidden = rng.chance(0.3)
        preferenceRows.push([channelId(c), staffId(who), hidden ? 0 : 1, hidden ? 1 : 0])
      }
    }
    for (let i = C; i < N; i++) {
      // (Only when there are more clients than channels; with the defaults every client has one.)
      if (rng.chance(0.5)) assignmentRows.push([staffId(rng.int(ACTIVE_SPECIALISTS)), clientId(i), T_END - SPAN, null])
    }
    // Assignment history is appended in time order, as the Directory does.
    assignmentRows.sort((a, b) => (a[2] as number) - (b[2] as number))
    await insertAll(client, "channels", [
      "id", "organisation_id", "line_id", "phone", "client_id", "status", "archived", "replies_allowed", "reply_token",
      "unread_count", "created_at", "last_activity_at", "after_hours_replied_for"
    ], channelRows)
    await insertAll(client, "assignments", ["staff_id", "client_id", "started_at", "ended_at"], assignmentRows)
    await insertAll(client, "channel_preferences", ["channel_id", "staff_id", "muted", "hidden"], preferenceRows)
    consentRows.sort((a, b) => (a[2] as number) - (b[2] as number))
    await insertAll(client, "consent_ledger", ["organisation_id", "phone", "at", "state", "source", "evidence"], consentRows)
    log(
      `seed: ${fmtInt(channelRows.length)} channels, ${fmtInt(assignmentRows.length)} assignments, ` +
        `${fmtInt(preferenceRows.length)} preferences, ${fmtInt(consentRows.length)} consent entries (${fmtSeconds(performance.now() - started)})`
    )

    // --- Put the schema back: indexes, FTS triggers, FTS content ---------------------------------
    for (const object of saved.filter((o) => o.type === "index")) {
      const t = performance.now()
      await client.execute(object.sql)
      log(`seed: index ${object.name} (${fmtSeconds(performance.now() - t)})`)
    }
    for (const object of saved.filter((o) => o.type === "trigger")) await client.execute(object.sql)
    for (const fts of ["messages_fts", "clients_fts"]) {
      const t = performance.now()
      await client.execute(`INSERT INTO ${fts}(${fts}) VALUES ('rebuild')`)
      await client.execute(`INSERT INTO ${fts}(${fts}) VALUES ('optimize')`)
      log(`seed: ${fts} rebuilt (${fmtSeconds(performance.now() - t)})`)
    }

    const missing = (await client.execute({
      sql: `SELECT count(*) FROM sqlite_master WHERE name IN (${saved.map(() => "?").join(",")})`,
      args: saved.map((o) => o.name)
    })).rows[0]?.[0]
    if (Number(missing) !== saved.length) throw new Error("seed: an index or trigger was not restored")

    const fkStarted = performance.now()
    const violations = (await client.execute("PRAGMA foreign_key_check")).rows.length
    if (violations > 0) throw new Error(`seed: ${violations} foreign key violations`)
    log(`seed: foreign keys check out (${fmtSeconds(performance.now() - fkStarted)})`)

    await client.execute("PRAGMA wal_checkpoint(TRUNCATE)")
  } finally {
    client.close()
  }

  // The adapter must accept the finished file as it is (pragmas, migrations, write probe).
  await openThroughAdapter(options.path)
  const summary: SeedSummary = {
    version: SEED_VERSION,
    migrations: adapterMigrations(),
    ...expectedCounts(options),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    bytes: statSync(options.path).size,
    builtAt: new Date().toISOString()
  }
  writeFileSync(sidecarPath(options.path), `${JSON.stringify(summary, null, 2)}\n`)
  log(`seed: done in ${fmtSeconds(performance.now() - started)}, ${(summary.bytes / 1e9).toFixed(2)} GB`)
  return summary
}

/** Seeds unless a finished file with the same sizes is already there (or `force`). */
export const ensureSeeded = async (options: SeedOptions): Promise<SeedSummary> => {
  if (!options.force) {
    const existing = await existingSeed(options)
    if (typeof existing !== "string") {
      log(`seed: ${options.path} is up to date (${fmtInt(existing.messages)} messages, built ${existing.builtAt} in ${existing.seconds} s); --force rebuilds`)
      return existing
    }
    log(`seed: (re)building because ${existing}`)
  }
  return seed(options)
}

export const SEED_FLAGS = ["db", "clients", "messages", "force"] as const

export const seedOptionsFrom = (flags: Map<string, string | true>): SeedOptions => ({
  path: resolve(stringFlag(flags, "db", defaultDatabasePath)),
  clients: intFlag(flags, "clients", 100_000),
  messages: intFlag(flags, "messages", 2_000_000),
  force: flags.get("force") === true
})

if (isMain(import.meta.url)) {
  const flags = parseFlags(process.argv.slice(2))
  if (flags.has("help")) {
    log(`npm run -w @careline/bench seed -- [flags]

  --db <path>      database file (default bench/data/large.db)
  --clients <n>    clients, and channels (default 100000)
  --messages <n>   messages (default 2000000)
  --force          rebuild even if the file is up to date`)
  } else {
    checkKnown(flags, SEED_FLAGS)
    await ensureSeeded(seedOptionsFrom(flags))
  }
}
