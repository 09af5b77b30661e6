/**
 * Storage benchmark of the libSQL adapter on the seeded database (`npm run bench`; seeds first if needed).
 *
 * Reads, on the seeded file (never written to):
 * - inbox: `listInbox` through the ports, as the application runs it, with its port calls counted;
 *   `Conversations.inbox` (its one store query) alone, with the statement it sends EXPLAINed; and the
 *   same page in direct SQL: as one statement (IN the lines + sort) and per line, top 50 of each merged
 *   (the floor: the existing indexes answer it without sorting);
 * - channel page: `Conversations.listMessages` (50 newest, then the next 50 with `before`) and its SQL;
 * - search: `LibsqlSearch.searchChannels` over common, mid-frequency, rare, prefix, two-word and
 *   client-name queries, for a specialist (their visible channel ids) and a coordinator (their lines).
 *
 * Writes, on a scratch copy of the file (deleted afterwards), each variant into channels of its own:
 * (a) raw `@libsql/client`, one INSERT per commit; (b) raw, 100 per transaction (and, to price the
 * batcher's per-write savepoints, 256 per transaction with and without them); (c) the adapter's
 * `Conversations.recordInbound` from 1, 16, 64 and 256 concurrent callers (group commit). All on WAL
 * with synchronous=FULL, as the adapter opens files.
 *
 * Prints Markdown tables with ratios against the floors measured in the same run, and writes them with
 * the machine's description to `data/results.json` (flags: `--help`).
 *
 * @module
 */
import { execSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { closeSync, copyFileSync, fsyncSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs"
import { cpus, loadavg, totalmem } from "node:os"
import { dirname, join } from "node:path"
import { LibsqlDatabase, LibsqlSearch, LibsqlStores } from "@careline/adapter-libsql"
import {
  ChannelId,
  Conversations,
  Directory,
  Ids,
  type InboxQuery,
  type LineId,
  listInbox,
  type Message,
  MessageId,
  Notifier,
  OrganisationId,
  ProviderMessageId,
  StaffId
} from "@careline/core"
import { type Client, createClient, type InArgs, type InStatement } from "@libsql/client"
import { Effect, Layer, ManagedRuntime } from "effect"
import { benchRoot, checkKnown, fileUrl, fmtInt, fmtSeconds, intFlag, isMain, log, parseFlags } from "./cli.js"
import { inboundBody, Rng, SEARCH_TERMS } from "./corpus.js"
import { ensureSeeded, ORG, ORG_LINE, SEED_FLAGS, seedOptionsFrom, T_END } from "./seed.js"
import { measure, ms, ratio, type Summary, summarize, table } from "./stats.js"

const USAGE = `npm run -w @careline/bench bench -- [flags]   (from the root; or \`npm run bench -- -- [flags]\`,
                                              or \`npx tsx src/storage.ts [flags]\` in bench/)

  --db <path>            database file (default bench/data/large.db); built by the seed when missing
  --clients <n>          clients = channels of the seeded database (default 100000)
  --messages <n>         messages of the seeded database (default 2000000)
  --force                rebuild the database even if it is up to date
  --insert-seconds <n>   measured seconds per insert variant (default 8), split over the rounds, each
                         after 1 s of warm-up
  --insert-rounds <n>    rounds of all insert variants, interleaved against drifting load (default 2)
  --inbox-seconds <n>    time budget per persona for listInbox through the ports (default 30; a call
                         slower than half of it is made once)
  --iterations <n>       measured iterations of the fast read benchmarks (default 300)
  --out <path>           where to write the JSON results (default bench/data/results.json)
  --help`

// ---------------------------------------------------------------------------------------------------
// SQL: the floors the adapter's paths are compared with
// ---------------------------------------------------------------------------------------------------

/** The staff member and the lines they may use — the rules of `usableLines` (AccessPolicy.canUseLine). */
const ME_AND_USABLE_LINES = `
WITH me AS (
  SELECT id, organisation_id AS org, role <> 'specialist' AS org_wide FROM staff WHERE id = :staff AND active = 1
), usable AS (
  SELECT l.id FROM lines l JOIN me ON l.organisation_id = me.org
  WHERE (l.owner_kind = 'Staff' AND l.owner_staff_id = me.id)
     OR (l.owner_kind = 'Organisation' AND me.org_wide)
     OR (l.owner_kind = 'Queue' AND EXISTS (SELECT 1 FROM queue_members qm WHERE qm.queue_id = l.owner_queue_id AND qm.staff_id = me.id))
)`

/**
 * A channel the staff member may see (AccessPolicy.canSeeChannel): no client, or a client of their
 * organisation that they reach by role or by a current assignment. (`+a.staff_id` keeps the planner,
 * which has no statistics, on the client index: the staff index would scan all of a specialist's rows.)
 */
const VISIBLE = `(cl.id IS NULL OR (cl.organisation_id = me.org AND (me.org_wide OR EXISTS (
    SELECT 1 FROM assignments a WHERE a.client_id = cl.id AND +a.staff_id = me.id AND a.ended_at IS NULL))))`

const INBOX_COLUMNS = `c.id AS id, c.last_activity_at AS last_activity_at, c.status AS status, c.phone AS phone,
  cl.name AS client_name, cp.label AS phone_label, coalesce(p.muted, 0) AS muted`

const INBOX_JOINS = `LEFT JOIN clients cl ON cl.id = c.client_id
LEFT JOIN client_phones cp ON cp.client_id = c.client_id AND cp.phone = c.phone
LEFT JOIN channel_preferences p ON p.channel_id = c.id AND p.staff_id = me.id`

/** What `listInbox({ staffId })` computes, first page of 50 ("all": unarchived, not hidden), as one statement. */
const INBOX_SQL = `${ME_AND_USABLE_LINES}
SELECT ${INBOX_COLUMNS}
FROM me, channels c
${INBOX_JOINS}
WHERE c.line_id IN (SELECT id FROM usable) AND c.archived = 0 AND coalesce(p.hidden, 0) = 0 AND ${VISIBLE}
ORDER BY c.last_activity_at DESC, c.id
LIMIT 50`

const USABLE_LINES_SQL = `${ME_AND_USABLE_LINES} SELECT id FROM usable ORDER BY id`

/**
 * The same page, newest 50 of each usable line merged: each branch walks `channels_inbox_idx`
 * (line_id, last_activity_at DESC, id, archived, status, client_id) and stops after 50 visible rows,
 * so nothing is sorted but 50 × lines rows.
 */
const inboxPerLineSql = (lines: number) => `${ME_AND_USABLE_LINES}
SELECT * FROM (${Array.from({ length: lines }, (_, i) => `SELECT * FROM (
  SELECT ${INBOX_COLUMNS} FROM me, channels c ${INBOX_JOINS}
  WHERE c.line_id = :line${i} AND c.archived = 0 AND coalesce(p.hidden, 0) = 0 AND ${VISIBLE}
  ORDER BY c.last_activity_at DESC, c.id LIMIT 50)`).join("\nUNION ALL\n")})
ORDER BY last_activity_at DESC, id
LIMIT 50`

/** Every channel the staff member may see (archived and hidden ones too): what a search may cover. */
const VISIBLE_CHANNELS_SQL = `${ME_AND_USABLE_LINES}
SELECT c.id AS id FROM me, channels c LEFT JOIN clients cl ON cl.id = c.client_id
WHERE c.line_id IN (SELECT id FROM usable) AND ${VISIBLE}`

/**
 * The search as one statement in activity order over every channel in scope: what `searchChannels` ran
 * before it went newest-matching-message first (`LibsqlSearch.ts`), kept as the direct-SQL reference.
 */
const searchSql = (scope: "c.id" | "c.line_id") => `
SELECT c.id AS id FROM channels c
WHERE ${scope} IN (SELECT value FROM json_each(:ids))
  AND (
    c.id IN (
      SELECT m.channel_id FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid
      WHERE messages_fts MATCH :match
    )
    OR c.client_id IN (
      SELECT cl.id FROM clients_fts JOIN clients cl ON cl.seq = clients_fts.rowid
      WHERE clients_fts MATCH :match
    )
  )
ORDER BY c.last_activity_at DESC, c.id
LIMIT :limit`

/**
 * Candidate fix, same results: start from the hits (the FTS doclist and one lookup per matching
 * message) rather than from every channel in scope, so a rare word costs little; a common word still
 * costs one lookup per hit.
 */
const hitsDrivenSearchSql = (scope: "c.id" | "c.line_id") => `
SELECT c.id AS id FROM channels c
WHERE c.id IN (
    SELECT m.channel_id FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid WHERE messages_fts MATCH :match
    UNION
    SELECT c2.id FROM clients_fts JOIN clients cl ON cl.seq = clients_fts.rowid JOIN channels c2 ON c2.client_id = cl.id
    WHERE clients_fts MATCH :match
  )
  AND ${scope} IN (SELECT value FROM json_each(:ids))
ORDER BY c.last_activity_at DESC, c.id
LIMIT :limit`

/**
 * Candidate fix, other order: channels by their newest matching message (`seq` grows with time), read
 * from the end of the doclist in windows that grow until 20 channels are found or the hits run out, so
 * the work is bounded by what is shown. Client-name matches come first, as a separate small query.
 */
const newestMatchesSql = (scope: "c.id" | "c.line_id") => `
SELECT m.channel_id AS id, max(f.r) AS newest
FROM (SELECT rowid AS r FROM messages_fts WHERE messages_fts MATCH :match ORDER BY rowid DESC LIMIT :window) f
JOIN messages m ON m.seq = f.r JOIN channels c ON c.id = m.channel_id
WHERE ${scope} IN (SELECT value FROM json_each(:ids))
GROUP BY m.channel_id ORDER BY newest DESC LIMIT :limit`

const clientMatchesSql = (scope: "c.id" | "c.line_id") => `
SELECT c.id AS id FROM clients_fts JOIN clients cl ON cl.seq = clients_fts.rowid JOIN channels c ON c.client_id = cl.id
WHERE clients_fts MATCH :match AND ${scope} IN (SELECT value FROM json_each(:ids))
ORDER BY c.last_activity_at DESC, c.id LIMIT :limit`

const newestMatchesFirst = async (
  raw: (stmt: InStatement) => Promise<{ rows: ReadonlyArray<Record<string, unknown>> }>,
  scope: "c.id" | "c.line_id",
  args: { readonly ids: string; readonly match: string; readonly limit: number }
): Promise<Array<string>> => {
  const ids = (await raw({ sql: clientMatchesSql(scope), args })).rows.map((r) => String(r.id))
  for (let window = 2_000; ids.length < args.limit; window *= 4) {
    const rows = (await raw({ sql: newestMatchesSql(scope), args: { ...args, window } })).rows.map((r) => String(r.id))
    for (const id of rows) if (!ids.includes(id) && ids.length < args.limit) ids.push(id)
    const total = Number((await raw({ sql: "SELECT count(*) AS n FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH :match LIMIT :window)", args: { match: args.match, window } })).rows[0]?.n)
    if (total < window) break
  }
  return ids
}

/** `listMessages`' statements (drizzle writes the same). */
const PAGE_SQL = `SELECT * FROM messages WHERE channel_id = :channel ORDER BY at DESC, id DESC LIMIT 50`
const NEXT_PAGE_SQL = `SELECT * FROM messages WHERE channel_id = :channel AND (at < :at OR (at = :at AND id < :id)) ORDER BY at DESC, id DESC LIMIT 50`

const INSERT_SQL = `INSERT INTO messages (id, organisation_id, channel_id, direction, author_kind, author_staff_id, author_purpose,
  body, at, status, error_code, provider_message_id, received_while_replies_off)
VALUES (?, ?, ?, 'inbound', 'Client', NULL, NULL, ?, ?, 'received', NULL, ?, NULL)
ON CONFLICT (provider_message_id) DO NOTHING RETURNING id`

/** `searchChannels`' own translation of what a person types (see `toFtsQuery`). */
const ftsQuery = (input: string) => (input.match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).map((w, i, all) => `"${w}"${i === all.length - 1 ? "*" : ""}`).join(" ")

// ---------------------------------------------------------------------------------------------------
// Plumbing
// ---------------------------------------------------------------------------------------------------

let idCounter = 0
const BenchIds = Layer.succeed(Ids, Ids.of({
  next: (prefix) => Effect.sync(() => `${prefix}_b${Date.now().toString(36)}${(idCounter++).toString(36).padStart(6, "0")}`),
  secret: Effect.sync(() => randomBytes(16).toString("hex"))
}))
const QuietNotifier = Layer.succeed(Notifier, Notifier.of({ publish: () => Effect.void }))

const runtimeFor = (path: string) =>
  ManagedRuntime.make(Layer.mergeAll(LibsqlStores.layerWithDatabase({ url: fileUrl(path) }), BenchIds, QuietNotifier))

const query = async (client: Client, stmt: InStatement) => (await client.execute(stmt)).rows

/** The statements a call sends through `client.execute` (drizzle's reads do), to EXPLAIN what the adapter runs. */
const capturing = async (client: Client, run: () => Promise<unknown>): Promise<Array<InStatement>> => {
  const seen: Array<InStatement> = []
  const execute = client.execute.bind(client) as (stmt: InStatement | string, args?: InArgs) => ReturnType<Client["execute"]>
  Object.defineProperty(client, "execute", {
    configurable: true,
    writable: true,
    value: (stmt: InStatement | string, args?: InArgs) => {
      seen.push(typeof stmt === "string" ? { sql: stmt, args: args ?? [] } : stmt)
      return execute(stmt, args)
    }
  })
  try {
    await run()
  } finally {
    Reflect.deleteProperty(client, "execute")
  }
  return seen
}

const explain = async (client: Client, sql: string, args: InArgs): Promise<Array<string>> =>
  (await query(client, { sql: `EXPLAIN QUERY PLAN ${sql}`, args })).map((row) => String(row.detail))

/** Counts the calls made to a service's methods. */
const counting = <S extends object>(name: string, service: S, counts: Map<string, number>): S =>
  new Proxy(service, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver)
      if (typeof value !== "function") return value
      return (...args: Array<unknown>) => {
        const label = `${name}.${String(key)}`
        counts.set(label, (counts.get(label) ?? 0) + 1)
        return (value as (...a: Array<unknown>) => unknown).apply(target, args)
      }
    }
  })

interface LatencyRow {
  readonly group: string
  readonly name: string
  readonly summary: Summary
  /** The floor this row is compared with (name and p50), if any. */
  readonly floor?: { readonly name: string; readonly summary: Summary }
  readonly target?: { readonly p95Ms: number }
  readonly note?: string
}

interface InsertRow {
  readonly name: string
  readonly rows: number
  readonly seconds: number
  readonly rate: number
  readonly batches?: number
  readonly note?: string
}

const machine = (dataDir: string) => {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: "utf8" }).trim()
    } catch {
      return "(unavailable)"
    }
  }
  // What one durable commit costs on this disk: write 4 KiB and fsync, for 2 s.
  const probe = join(dataDir, "fsync-probe.tmp")
  const fd = openSync(probe, "w")
  const buffer = Buffer.alloc(4096, 1)
  let fsyncs = 0
  const until = performance.now() + 2000
  while (performance.now() < until) {
    writeSync(fd, buffer)
    fsyncSync(fd)
    fsyncs++
  }
  closeSync(fd)
  rmSync(probe, { force: true })
  const libsqlVersion = (() => {
    try {
      return (JSON.parse(readFileSync(join(benchRoot, "..", "node_modules", "@libsql", "client", "package.json"), "utf8")) as { version: string }).version
    } catch {
      return "?"
    }
  })()
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? "?",
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    disk: sh(`df -h --output=source,fstype,size,avail ${JSON.stringify(dataDir)} | tail -1`),
    fsyncPerSecond: Math.round(fsyncs / 2),
    node: process.version,
    libsqlClient: libsqlVersion,
    sqlite: "",
    kernel: sh("uname -r"),
    loadAverageAtStart: loadavg().map((l) => l.toFixed(2)).join(" "),
    loadAverageAtEnd: ""
  }
}

// ---------------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------------

interface Persona {
  readonly label: string
  readonly staffId: StaffId
  readonly lines: ReadonlyArray<LineId>
  readonly orgWide: boolean
}

const choosePersonas = async (client: Client): Promise<Array<Persona>> => {
  const staff = await query(client, `
    SELECT s.id AS id, s.role AS role,
      (SELECT count(*) FROM queue_members qm WHERE qm.staff_id = s.id) AS queues,
      (SELECT count(*) FROM lines l WHERE l.owner_staff_id = s.id) AS own_lines
    FROM staff s WHERE s.active = 1 ORDER BY s.id`)
  const pick = (label: string, ok: (row: (typeof staff)[number]) => boolean) => {
    const row = staff.find(ok)
    if (row === undefined) throw new Error(`no staff member for persona ${label}`)
    return { label, staffId: StaffId.make(String(row.id)) }
  }
  const chosen = [
    pick("specialist, own line", (r) => r.role === "specialist" && Number(r.queues) === 0 && Number(r.own_lines) === 1),
    pick("specialist, own line + queue", (r) => r.role === "specialist" && Number(r.queues) > 0 && Number(r.own_lines) === 1),
    pick("coordinator, org line + queue", (r) => r.role === "coordinator" && Number(r.queues) > 0),
    pick("supervisor, org line", (r) => r.role === "supervisor")
  ]
  const personas: Array<Persona> = []
  for (const p of chosen) {
    const lines = (await query(client, { sql: USABLE_LINES_SQL, args: { staff: p.staffId } })).map((r) => String(r.id) as LineId)
    personas.push({ ...p, lines, orgWide: !p.label.startsWith("specialist") })
  }
  return personas
}

interface ReadOptions {
  readonly iterations: number
  readonly inboxSeconds: number
}

const readBenchmarks = async (path: string, options: ReadOptions) => {
  const rows: Array<LatencyRow> = []
  const plans: Record<string, Array<string>> = {}
  const notes: Array<string> = []
  const runtime = runtimeFor(path)
  try {
    const database = await runtime.runPromise(Effect.service(LibsqlDatabase))
    const conversations = await runtime.runPromise(Effect.service(Conversations))
    const directory = await runtime.runPromise(Effect.service(Directory))
    const search = await runtime.runPromise(Effect.service(LibsqlSearch))
    // Raw statements go to the connection the adapter reads from, minus drizzle, Effect and decoding.
    const raw = (stmt: InStatement) => database.reader.execute(stmt)
    const sqliteVersion = String((await raw("SELECT sqlite_version() AS v")).rows[0]?.v)

    const personas = await database.batcher.exclusive(() => choosePersonas(database.reader))
    const sizes = new Map<StaffId, { visible: Array<string>; onLines: number }>()
    for (const p of personas) {
      const visible = (await raw({ sql: VISIBLE_CHANNELS_SQL, args: { staff: p.staffId } })).rows.map((r) => String(r.id))
      const onLines = Number((await raw({
        sql: `SELECT count(*) AS n FROM channels WHERE line_id IN (SELECT value FROM json_each(:lines))`,
        args: { lines: JSON.stringify(p.lines) }
      })).rows[0]?.n)
      sizes.set(p.staffId, { visible, onLines })
      log(`persona ${p.label} (${p.staffId}): lines ${p.lines.join(", ")}; ${fmtInt(onLines)} channels on them, ${fmtInt(visible.length)} visible`)
    }

    // --- Inbox ---------------------------------------------------------------------------------
    for (const p of personas) {
      const size = sizes.get(p.staffId)!
      const group = `inbox page (50) — ${p.label}: ${fmtInt(size.visible.length)} visible of ${fmtInt(size.onLines)} channels on ${p.lines.length} line(s)`
      const direct = summarize(await measure(() => raw({ sql: INBOX_SQL, args: { staff: p.staffId } }), {
        warmup: 5,
        iterations: Math.min(options.iterations, 100),
        budgetMs: 10_000,
        minIterations: 10
      }))
      const perLineSql = inboxPerLineSql(p.lines.length)
      const perLineArgs = Object.fromEntries([["staff", p.staffId], ...p.lines.map((l, i) => [`line${i}`, l])])
      const perLine = summarize(await measure(async () => {
        const lines = await raw({ sql: USABLE_LINES_SQL, args: { staff: p.staffId } })
        if (lines.rows.length !== p.lines.length) throw new Error("usable lines changed")
        return raw({ sql: perLineSql, args: perLineArgs })
      }, { warmup: 5, iterations: options.iterations, budgetMs: 10_000, minIterations: 10 }))
      if (p === personas[2]) {
        plans["inbox floor: per-line top 50 (coordinator)"] = await database.batcher.exclusive(() => explain(database.client, perLineSql, perLineArgs))
      }
      const directIds = (await raw({ sql: INBOX_SQL, args: { staff: p.staffId } })).rows.map((r) => String(r.id))
      const perLineIds = (await raw({ sql: perLineSql, args: perLineArgs })).rows.map((r) => String(r.id))

      // listInbox as the application runs it. The first call counts the port calls (and warms up).
      const counts = new Map<string, number>()
      const countedInbox = listInbox({ staffId: p.staffId }).pipe(
        Effect.provideService(Directory, counting("Directory", directory, counts)),
        Effect.provideService(Conversations, counting("Conversations", conversations, counts))
      )
      const warmStarted = performance.now()
      const appRows = await runtime.runPromise(countedInbox)
      const warmMs = performance.now() - warmStarted
      const appIds = appRows.slice(0, 50).map((r) => r.channel.id as string)
      const calls = [...counts.values()].reduce((a, b) => a + b, 0)
      const slow = warmMs > (options.inboxSeconds * 1000) / 2
      const appSamples = slow
        ? [warmMs] // too slow to repeat within the budget: the one call is the sample
        : await measure(() => runtime.runPromise(listInbox({ staffId: p.staffId })), {
          warmup: 0,
          iterations: 30,
          budgetMs: options.inboxSeconds * 1000 - warmMs,
          minIterations: 2
        })
      const app = summarize(appSamples)

      // The one store query listInbox makes, alone (as listInbox builds it); its statement is captured for EXPLAIN.
      const inboxQuery: InboxQuery = {
        viewer: p.staffId,
        lineIds: p.lines,
        ...(p.orgWide ? {} : { assignedTo: p.staffId }),
        filter: "all",
        limit: 50
      }
      let statement: InStatement | undefined
      const port = summarize(await measure(async (i) => {
        if (i > 0) return runtime.runPromise(conversations.inbox(inboxQuery))
        statement = (await capturing(database.reader, () => runtime.runPromise(conversations.inbox(inboxQuery)))).at(-1)
      }, slow ? { warmup: 0, iterations: 1 } : { warmup: 1, iterations: 30, budgetMs: 10_000, minIterations: 3 }))
      if (statement !== undefined) {
        const captured = statement
        plans[`Conversations.inbox's statement — ${p.label}`] = await database.batcher.exclusive(() =>
          explain(database.client, typeof captured === "string" ? captured : captured.sql, typeof captured === "string" ? [] : captured.args ?? []))
      }

      const same = JSON.stringify(appIds) === JSON.stringify(perLineIds) && JSON.stringify(directIds) === JSON.stringify(perLineIds)
      if (!same) notes.push(`inbox ${p.label}: the SQL pages differ from listInbox's first 50 — check the floors' rules`)
      const callList = [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}×${fmtInt(v)}`).join(", ")
      const floor = { name: "per-line SQL", summary: perLine }
      rows.push({
        group,
        name: "listInbox (application, through the ports)",
        summary: app,
        floor,
        target: { p95Ms: 10 },
        note: `${fmtInt(calls)} port calls per page (${callList}); ${fmtInt(appRows.length)} rows; ` +
          `first 50 ${same ? "equal" : "DIFFER from"} the SQL floor's page`
      })
      rows.push({ group, name: "Conversations.inbox (its one store query)", summary: port, floor })
      rows.push({ group, name: "direct SQL, one statement: IN (lines) + sort", summary: direct, floor })
      rows.push({ group, name: "direct SQL, per-line top 50 merged (floor)", summary: perLine, target: { p95Ms: 10 } })
      log(`inbox ${p.label}: listInbox p50 ${ms(app.p50)} ms (n=${app.n}, ${fmtInt(calls)} port calls), Conversations.inbox p50 ${ms(port.p50)} ms (n=${port.n}), ` +
        `SQL one statement p50 ${ms(direct.p50)} / p95 ${ms(direct.p95)} ms, per-line SQL p50 ${ms(perLine.p50)} / p95 ${ms(perLine.p95)} ms`)
    }

    // --- Channel page ------------------------------------------------------------------------------
    {
      const busy = (await raw(`SELECT channel_id AS id FROM messages GROUP BY channel_id HAVING count(*) >= 100`)).rows.map((r) => ChannelId.make(String(r.id)))
      const rng = new Rng(7)
      const sample = Array.from({ length: Math.min(200, busy.length) }, () => rng.pick(busy))
      const firstPages = new Map<string, Message | undefined>()
      const opts = { warmup: 20, iterations: options.iterations }
      const page1 = summarize(await measure(async (i) => {
        const channel = sample[i % sample.length]!
        const page = await runtime.runPromise(conversations.listMessages(channel, { limit: 50 }))
        firstPages.set(channel, page[page.length - 1])
      }, opts))
      const page2 = summarize(await measure(async (i) => {
        const channel = sample[i % sample.length]!
        const last = firstPages.get(channel)!
        return runtime.runPromise(conversations.listMessages(channel, { limit: 50, before: { at: last.at, id: last.id } }))
      }, opts))
      const sql1 = summarize(await measure((i) => raw({ sql: PAGE_SQL, args: { channel: sample[i % sample.length]! } }), opts))
      const sql2 = summarize(await measure((i) => {
        const channel = sample[i % sample.length]!
        const last = firstPages.get(channel)!
        return raw({ sql: NEXT_PAGE_SQL, args: { channel, at: last.at, id: last.id } })
      }, opts))
      const group = `channel page — ${fmtInt(sample.length)} channels with ≥ 100 messages (of ${fmtInt(busy.length)})`
      rows.push({ group, name: "listMessages, newest 50 (port)", summary: page1, floor: { name: "direct SQL", summary: sql1 } })
      rows.push({ group, name: "listMessages, next 50 with before (port)", summary: page2, floor: { name: "direct SQL", summary: sql2 } })
      rows.push({ group, name: "direct SQL, newest 50 (floor)", summary: sql1 })
      rows.push({ group, name: "direct SQL, next 50 (floor)", summary: sql2 })
      plans["channel page: next 50"] = await database.batcher.exclusive(() =>
        explain(database.client, NEXT_PAGE_SQL, { channel: sample[0]!, at: 0, id: "" }))
      log(`channel page: port p50 ${ms(page1.p50)} / ${ms(page2.p50)} ms, SQL p50 ${ms(sql1.p50)} / ${ms(sql2.p50)} ms`)
    }

    // --- Search ----------------------------------------------------------------------------------
    const searchTable: Array<Array<string>> = []
    {
      const searchers = [personas[0]!, personas[2]!]
      const series = { adapter: [] as Array<number>, sql: [] as Array<number>, hitsDriven: [] as Array<number>, newestFirst: [] as Array<number> }
      const opts = { warmup: 1, iterations: 5, budgetMs: 5_000, minIterations: 2 }
      for (const [cls, terms] of Object.entries(SEARCH_TERMS)) {
        const perClass = { adapter: [] as Array<number>, sql: [] as Array<number>, hitsDriven: [] as Array<number>, newestFirst: [] as Array<number> }
        const hitCounts: Array<string> = []
        for (const term of terms) {
          const match = ftsQuery(term)
          const matches = Number((await raw({ sql: "SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH :m", args: { m: match } })).rows[0]?.n)
          hitCounts.push(`"${term}" ${fmtInt(matches)}`)
          for (const p of searchers) {
            const visible = sizes.get(p.staffId)!.visible
            const scope = p.orgWide ? { lineIds: p.lines } : { channelIds: visible.map((id) => ChannelId.make(id)) }
            const column = p.orgWide ? "c.line_id" : "c.id"
            const args = { ids: JSON.stringify(p.orgWide ? p.lines : visible), match, limit: 20 }
            const adapter = await measure(() => runtime.runPromise(search.searchChannels({ ...scope, query: term, limit: 20 })), opts)
            let direct: Array<string> = []
            const sql = await measure(async () => {
              direct = (await raw({ sql: searchSql(column), args })).rows.map((r) => String(r.id))
            }, opts)
            let exact: Array<string> = []
            const hitsDriven = await measure(async () => {
              exact = (await raw({ sql: hitsDrivenSearchSql(column), args })).rows.map((r) => String(r.id))
            }, opts)
            if (JSON.stringify(exact) !== JSON.stringify(direct)) notes.push(`search ${JSON.stringify(term)} as ${p.label}: the hits-driven statement's result differs from the activity-ordered statement's`)
            const newestFirst = await measure(() => newestMatchesFirst(raw, column, args), opts)
            for (const [key, samples] of [["adapter", adapter], ["sql", sql], ["hitsDriven", hitsDriven], ["newestFirst", newestFirst]] as const) {
              series[key].push(...samples)
              perClass[key].push(...samples)
            }
            log(`search ${JSON.stringify(term)} (${cls}, ${fmtInt(matches)} matching messages) as ${p.label}: searchChannels p50 ${ms(summarize(adapter).p50)} ms, ` +
              `hits-driven ${ms(summarize(hitsDriven).p50)} ms, newest-first ${ms(summarize(newestFirst).p50)} ms`)
          }
        }
        const cell = (samples: ReadonlyArray<number>) => `${ms(summarize(samples).p50)} / ${ms(summarize(samples).p95)}`
        searchTable.push([cls, hitCounts.join(", "), cell(perClass.adapter), cell(perClass.sql), cell(perClass.hitsDriven), cell(perClass.newestFirst)])
      }
      plans["search: the activity-ordered statement (coordinator, by lines, \"appointment\")"] = await database.batcher.exclusive(() =>
        explain(database.client, searchSql("c.line_id"), { ids: JSON.stringify(personas[2]!.lines), match: ftsQuery("appointment"), limit: 20 }))
      const group = `search (limit 20) — ${searchers.map((p) => p.label).join(" / ")}; ${Object.values(SEARCH_TERMS).flat().length} queries × 2 scopes`
      const sqlSummary = summarize(series.sql)
      rows.push({ group, name: "searchChannels (adapter)", summary: summarize(series.adapter), floor: { name: "direct SQL", summary: sqlSummary }, target: { p95Ms: 50 } })
      rows.push({ group, name: "direct SQL, one statement in activity order (floor)", summary: sqlSummary, target: { p95Ms: 50 } })
      rows.push({ group, name: "candidate: hits-driven statement (same results as the floor's)", summary: summarize(series.hitsDriven), floor: { name: "direct SQL", summary: sqlSummary }, target: { p95Ms: 50 } })
      rows.push({ group, name: "candidate: newest matching messages first (other order)", summary: summarize(series.newestFirst), floor: { name: "direct SQL", summary: sqlSummary }, target: { p95Ms: 50 } })
    }
    return { rows, plans, notes, personas, sqliteVersion, searchTable }
  } finally {
    await runtime.dispose()
  }
}

// ---------------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------------

const applyDurablePragmas = async (client: Client) => {
  await client.execute("PRAGMA journal_mode=WAL")
  await client.execute("PRAGMA synchronous=FULL")
  await client.execute("PRAGMA busy_timeout=5000")
  await client.execute("PRAGMA foreign_keys=ON")
}

/** New channels on the organisation line, so each variant writes to channel rows of its own. */
const addChannels = async (client: Client, variant: number, count: number): Promise<Array<ChannelId>> => {
  const ids = Array.from({ length: count }, (_, i) => ChannelId.make(`chn_bench_${variant}_${i}`))
  const tx = await client.transaction("write")
  try {
    for (const [i, id] of ids.entries()) {
      await tx.execute({
        sql: `INSERT INTO channels (id, organisation_id, line_id, phone, client_id, status, archived, replies_allowed, reply_token,
                unread_count, created_at, last_activity_at, after_hours_replied_for)
              VALUES (?, ?, ?, ?, NULL, 'done', 0, 1, NULL, 0, ?, ?, NULL)`,
        args: [id, ORG, ORG_LINE, `+1555${String(7_000_000 + variant * 1000 + i).padStart(7, "0")}`, T_END, T_END]
      })
    }
    await tx.commit()
  } finally {
    tx.close()
  }
  return ids
}

const providerId = () => `SM${randomBytes(16).toString("hex")}`

interface ScratchOptions {
  /** Measured seconds per insert variant, split over the rounds. */
  readonly seconds: number
  readonly rounds: number
  readonly iterations: number
}

const WARMUP_MS = 1000

/** The partial index the inbox's access check needs (a proposal: not in the adapter's migrations). */
const CURRENT_ASSIGNMENTS_INDEX = "CREATE INDEX IF NOT EXISTS assignments_current_idx ON assignments (client_id, staff_id) WHERE ended_at IS NULL"
const PROPOSED_CACHE = "PRAGMA cache_size=-65536"

/**
 * On a scratch copy of the database: the inbox page with the proposed index and page cache, then the
 * insert variants. The copy is deleted afterwards.
 */
const scratchBenchmarks = async (source: string, personas: ReadonlyArray<Persona>, options: ScratchOptions) => {
  const inserts: Array<InsertRow> = []
  const reads: Array<LatencyRow> = []
  const scratch = join(dirname(source), "scratch.db")
  const removeScratch = () => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${scratch}${suffix}`, { force: true })
  }
  removeScratch()
  {
    const client = createClient({ url: fileUrl(source), concurrency: 1 })
    await client.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    client.close()
  }
  const copyStarted = performance.now()
  copyFileSync(source, scratch)
  log(`scratch copy made (${fmtSeconds(performance.now() - copyStarted)})`)
  const rng = new Rng(99)
  const client = createClient({ url: fileUrl(scratch), concurrency: 1 })
  const runtime = runtimeFor(scratch)
  try {
    await applyDurablePragmas(client)

    // --- The inbox page with the proposed index, at SQLite's default page cache and at 64 MiB -----
    // Both the adapter's own query (through its port, on its connection) and the per-line floor.
    await client.execute(CURRENT_ASSIGNMENTS_INDEX)
    const database = await runtime.runPromise(Effect.service(LibsqlDatabase))
    const conversations = await runtime.runPromise(Effect.service(Conversations))
    const group = "inbox page (50) with the proposed index assignments_current_idx, by page cache (scratch copy)"
    for (const [cache, pragma] of [["2 MiB (default)", "PRAGMA cache_size=-2000"], ["64 MiB", PROPOSED_CACHE]] as const) {
      await client.execute(pragma)
      await database.batcher.exclusive(() => database.client.execute(pragma))
      for (const p of personas) {
        const query: InboxQuery = { viewer: p.staffId, lineIds: p.lines, ...(p.orgWide ? {} : { assignedTo: p.staffId }), filter: "all", limit: 50 }
        const port = summarize(await measure(() => runtime.runPromise(conversations.inbox(query)), {
          warmup: 1,
          iterations: 30,
          budgetMs: 5_000,
          minIterations: 3
        }))
        // The natural form (no `+a.staff_id`): with the index the planner takes it by itself.
        const sql = inboxPerLineSql(p.lines.length).replaceAll("+a.staff_id", "a.staff_id")
        const args = Object.fromEntries([["staff", p.staffId], ...p.lines.map((l, i) => [`line${i}`, l])])
        const perLine = summarize(await measure(async () => {
          await client.execute({ sql: USABLE_LINES_SQL, args: { staff: p.staffId } })
          return client.execute({ sql, args })
        }, { warmup: 5, iterations: options.iterations, budgetMs: 10_000, minIterations: 10 }))
        reads.push({ group, name: `${p.label}, cache ${cache}: Conversations.inbox as it is`, summary: port, target: { p95Ms: 10 } })
        reads.push({ group, name: `${p.label}, cache ${cache}: per-line top 50 SQL`, summary: perLine, target: { p95Ms: 10 } })
        log(`inbox ${p.label} with the index, cache ${cache}: Conversations.inbox p50 ${ms(port.p50)} / p95 ${ms(port.p95)} ms, ` +
          `per-line SQL p50 ${ms(perLine.p50)} / p95 ${ms(perLine.p95)} ms`)
      }
    }
    await client.execute("PRAGMA cache_size=-2000")
    await database.batcher.exclusive(() => database.client.execute("PRAGMA cache_size=-2000"))

    // --- Inserts: every variant once per round, each into 64 new channels of its own ---------------
    const checkpoint = () => database.batcher.exclusive(() => database.client.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
    const windowMs = (options.seconds * 1000) / options.rounds
    let variant = 0
    const body = () => inboundBody(rng)
    const rawArgs = (channels: ReadonlyArray<ChannelId>, n: number) =>
      [`msg_bench_${variant}_${n}`, ORG, channels[n % channels.length]!, body(), Date.now(), providerId()]
    const message = (channels: ReadonlyArray<ChannelId>, n: number): Message => ({
      id: MessageId.make(`msg_bench_${variant}_${n}`),
      organisationId: OrganisationId.make(ORG),
      channelId: channels[n % channels.length]!,
      direction: "inbound",
      author: { _tag: "Client" },
      body: body(),
      at: Date.now(),
      status: "received",
      providerMessageId: ProviderMessageId.make(providerId())
    })
    type Run = (channels: ReadonlyArray<ChannelId>, measuredFrom: number, until: number) => Promise<number>
    const oneByOne: Run = async (channels, from, until) => {
      let n = 0
      let counted = 0
      while (performance.now() < until) {
        await client.execute({ sql: INSERT_SQL, args: rawArgs(channels, n++) })
        if (performance.now() >= from) counted++
      }
      return counted
    }
    const perTransaction = (size: number, savepoints: boolean): Run => async (channels, from, until) => {
      let n = 0
      let counted = 0
      while (performance.now() < until) {
        const tx = await client.transaction("write")
        try {
          for (let k = 0; k < size; k++) {
            if (savepoints) await tx.execute(`SAVEPOINT op_${k}`)
            await tx.execute({ sql: INSERT_SQL, args: rawArgs(channels, n++) })
            if (savepoints) await tx.execute(`RELEASE op_${k}`)
          }
          await tx.commit()
        } finally {
          tx.close()
        }
        if (performance.now() >= from) counted += size
      }
      return counted
    }
    const adapter = (callers: number): Run => async (channels, from, until) => {
      let n = 0
      let counted = 0
      const worker = Effect.gen(function* () {
        while (performance.now() < until) {
          const outcome = yield* conversations.recordInbound(message(channels, n++))
          if (outcome !== "inserted") return yield* Effect.die(new Error("a benchmark message was a duplicate"))
          if (performance.now() >= from) counted++
        }
      })
      await runtime.runPromise(Effect.forEach(Array.from({ length: callers }), () => worker, { concurrency: "unbounded", discard: true }))
      return counted
    }
    const variants: Array<{ readonly name: string; readonly run: Run; readonly batched: boolean; readonly perCommit?: number }> = [
      { name: "(a) raw, one INSERT per commit", run: oneByOne, batched: false, perCommit: 1 },
      { name: "(b) raw, 100 INSERTs per transaction", run: perTransaction(100, false), batched: false, perCommit: 100 },
      { name: "(b′) raw, 256 INSERTs per transaction", run: perTransaction(256, false), batched: false, perCommit: 256 },
      {
        name: "(b″) raw, 256 per transaction, each in a SAVEPOINT (the batcher's shape)",
        run: perTransaction(256, true),
        batched: false,
        perCommit: 256
      },
      ...[1, 16, 64, 256].map((callers) => ({
        name: `(c) adapter recordInbound, ${callers} concurrent caller${callers === 1 ? "" : "s"}`,
        run: adapter(callers),
        batched: true
      }))
    ]
    const totals = new Map<string, { rows: number; ms: number; batches: number; operations: number; perRound: Array<number> }>()
    for (let round = 0; round < options.rounds; round++) {
      for (const v of variants) {
        variant++
        const channels = await addChannels(client, variant, 64)
        await checkpoint()
        const before = database.batcher.stats
        const start = performance.now()
        const rowsDone = await v.run(channels, start + WARMUP_MS, start + WARMUP_MS + windowMs)
        const after = database.batcher.stats
        const total = totals.get(v.name) ?? { rows: 0, ms: 0, batches: 0, operations: 0, perRound: [] }
        total.rows += rowsDone
        total.ms += windowMs
        total.batches += after.batches - before.batches
        total.operations += after.operations - before.operations
        total.perRound.push(rowsDone / (windowMs / 1000))
        totals.set(v.name, total)
        log(`inserts round ${round + 1}/${options.rounds} ${v.name}: ${fmtInt(rowsDone / (windowMs / 1000))} rows/s` +
          (v.batched ? `, ${((after.operations - before.operations) / Math.max(1, after.batches - before.batches)).toFixed(1)} writes per commit` : ""))
      }
    }
    for (const v of variants) {
      const total = totals.get(v.name)!
      inserts.push({
        name: v.name,
        rows: total.rows,
        seconds: total.ms / 1000,
        rate: total.rows / (total.ms / 1000),
        batches: v.batched ? total.operations / Math.max(1, total.batches) : v.perCommit ?? 1,
        note: `per round: ${total.perRound.map((r) => fmtInt(r)).join(", ")} rows/s`
      })
    }
  } finally {
    client.close()
    await runtime.dispose()
    removeScratch()
  }
  return { inserts, reads }
}

// ---------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------

const verdict = (p95: number, target: number) => (p95 <= target ? `met (≤ ${target} ms)` : `MISSED (> ${target} ms)`)

const latencyTable = (rows: ReadonlyArray<LatencyRow>): string => {
  const out: Array<string> = []
  let group = ""
  let current: Array<Array<string>> = []
  const flush = () => {
    if (current.length === 0) return
    out.push(`**${group}**\n\n${table(["case", "n", "p50 ms", "p95 ms", "p99 ms", "p50 vs floor", "target p95"], current)}\n`)
    current = []
  }
  for (const row of rows) {
    if (row.group !== group) {
      flush()
      group = row.group
    }
    current.push([
      row.name,
      String(row.summary.n),
      ms(row.summary.p50),
      ms(row.summary.p95),
      ms(row.summary.p99),
      row.floor === undefined ? "" : ratio(row.summary.p50 / row.floor.summary.p50),
      row.target === undefined ? "" : verdict(row.summary.p95, row.target.p95Ms)
    ])
  }
  flush()
  const notes = rows.filter((r) => r.note !== undefined).map((r) => `- ${r.group.split(" — ")[1] ?? r.group} / ${r.name}: ${r.note}`)
  return [...out, ...(notes.length > 0 ? ["Notes:", ...notes] : [])].join("\n")
}

const insertTable = (rows: ReadonlyArray<InsertRow>): string => {
  const a = rows.find((r) => r.name.startsWith("(a)"))?.rate ?? Number.NaN
  const b = rows.find((r) => r.name.startsWith("(b)"))?.rate ?? Number.NaN
  return table(
    ["case", "rows", "rows/s", "vs (a) one per commit", "vs (b) 100 per tx", "writes per commit", "target ≥ 3× (a)"],
    rows.map((r) => [
      r.name,
      fmtInt(r.rows),
      fmtInt(r.rate),
      ratio(r.rate / a),
      ratio(r.rate / b),
      r.batches === undefined ? "" : Number.isInteger(r.batches) ? String(r.batches) : r.batches.toFixed(1),
      r.name.startsWith("(c)") ? (r.rate >= 3 * a ? "met" : "MISSED") : ""
    ])
  ) + `\n\n${rows.filter((r) => r.note !== undefined).map((r) => `- ${r.name}: ${r.note}`).join("\n")}`
}

const main = async () => {
  const flags = parseFlags(process.argv.slice(2))
  if (flags.has("help")) {
    log(USAGE)
    return
  }
  checkKnown(flags, [...SEED_FLAGS, "insert-seconds", "insert-rounds", "inbox-seconds", "iterations", "out", "help"])
  const seedOptions = seedOptionsFrom(flags)
  const started = performance.now()
  const summary = await ensureSeeded(seedOptions)
  const benchStarted = performance.now()
  const info = machine(dirname(seedOptions.path))
  log(`machine: ${info.nproc} × ${info.cpu}, ${info.memory}, disk ${info.disk}, ${fmtInt(info.fsyncPerSecond)} fsync/s, node ${info.node}, load ${info.loadAverageAtStart}`)

  const reads = await readBenchmarks(seedOptions.path, {
    iterations: intFlag(flags, "iterations", 300),
    inboxSeconds: intFlag(flags, "inbox-seconds", 30)
  })
  const scratch = await scratchBenchmarks(seedOptions.path, reads.personas, {
    seconds: intFlag(flags, "insert-seconds", 8),
    rounds: intFlag(flags, "insert-rounds", 2),
    iterations: intFlag(flags, "iterations", 300)
  })
  const writes = scratch.inserts
  const info2 = { ...info, sqlite: reads.sqliteVersion, loadAverageAtEnd: loadavg().map((l) => l.toFixed(2)).join(" ") }

  const inboxApp = reads.rows.filter((r) => r.name.startsWith("listInbox"))
  const worstInbox = Math.max(...inboxApp.map((r) => r.summary.p95))
  const searchApp = reads.rows.find((r) => r.name.startsWith("searchChannels"))!
  const floorA = writes.find((r) => r.name.startsWith("(a)"))!.rate
  const concurrent = writes.filter((r) => r.name.startsWith("(c)") && !r.name.includes(" 1 concurrent"))
  const targets = [
    `- Inbox page p95 ≤ 10 ms through the adapter (listInbox): ${worstInbox <= 10 ? "met" : "MISSED"} — p95 per persona ${inboxApp.map((r) => `${ms(r.summary.p95)} ms`).join(", ")}.`,
    `- Search p95 ≤ 50 ms (searchChannels): ${searchApp.summary.p95 <= 50 ? "met" : "MISSED"} — p95 ${ms(searchApp.summary.p95)} ms over all queries.`,
    `- Concurrent inbound inserts ≥ 3× one-per-commit (${fmtInt(floorA)} rows/s): ` +
      concurrent.map((r) => `${r.name.replace("(c) adapter recordInbound, ", "")} ${ratio(r.rate / floorA)} ${r.rate >= 3 * floorA ? "met" : "MISSED"}`).join("; ") + "."
  ]
  const report = [
    `## Results (${info2.date})`,
    "",
    "### Targets",
    "",
    ...targets,
    "",
    `Database: ${fmtInt(summary.clients)} clients, ${fmtInt(summary.channels)} channels, ${fmtInt(summary.messages)} messages, ` +
      `${summary.staff} staff; ${(summary.bytes / 1e9).toFixed(2)} GB. Machine: ${info2.nproc} × ${info2.cpu}, ${info2.memory}, ` +
      `${info2.disk}; ${fmtInt(info2.fsyncPerSecond)} fsync/s; Node ${info2.node}, @libsql/client ${info2.libsqlClient}, SQLite ${info2.sqlite}; ` +
      `load average (1/5/15 min) ${info2.loadAverageAtStart} at the start, ${info2.loadAverageAtEnd} at the end.`,
    "",
    "### Reads",
    "",
    latencyTable([...reads.rows, ...scratch.reads]),
    "",
    "Search by kind of query (p50 / p95 ms; matching messages in the whole database after each word):",
    "",
    table(["kind", "queries (matching messages)", "searchChannels", "its SQL", "hits-driven (same results)", "newest matches first"], reads.searchTable),
    "",
    "### Inserts of inbound messages (WAL, synchronous=FULL)",
    "",
    insertTable(writes),
    "",
    "### Query plans",
    "",
    ...Object.entries(reads.plans).flatMap(([name, plan]) => [`${name}:`, "```", ...plan, "```", ""]),
    ...(reads.notes.length > 0 ? ["### Warnings", "", ...reads.notes.map((n) => `- ${n}`), ""] : []),
    `Benchmarks took ${fmtSeconds(performance.now() - benchStarted)} (whole run ${fmtSeconds(performance.now() - started)}).`
  ].join("\n")
  log(`\n${report}`)
  const out = String(flags.get("out") ?? join(benchRoot, "data", "results.json"))
  writeFileSync(out, `${JSON.stringify({ machine: info2, seed: summary, reads: [...reads.rows, ...scratch.reads], writes, plans: reads.plans, notes: reads.notes, report }, null, 2)}\n`)
  log(`\n(results written to ${out})`)
}

if (isMain(import.meta.url)) await main()
