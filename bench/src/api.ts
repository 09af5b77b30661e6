/**
 * Latency of the JSON API (`/api/v1`) on the seeded large database, over HTTP on loopback into the
 * real server (`careline serve`, its own process): the inbox (`GET /channels`), a channel page
 * (`GET /channels/:id/messages`, newest 50, then the next 50 with `before`) and search
 * (`GET /channels?q=…`), each as four staff members see them (a specialist with only their own line,
 * a specialist also in a queue, a coordinator, a supervisor). Requests are sequential, on one
 * keep-alive connection, after a warm-up; p50/p95/p99 are nearest-rank, measured at the client (so
 * they include HTTP, the bearer check, the access policy, the audit log and JSON).
 *
 * Reading a channel is an audited read that also marks the channel read: each channel page is a
 * durable write (an fsync under `synchronous=FULL`), so the server runs on a scratch copy of the
 * seeded file, deleted at the end; the seeded file is never written to.
 *
 *   npm run -w @careline/bench bench:api -- [--iterations 200] [--cases inbox,page,search] [--db data/large.db] [--clients …] [--messages …]
 *
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { copyFileSync, existsSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { createClient } from "@libsql/client"
import { careline, carelineNodeArgs } from "./careline.js"
import { checkKnown, fileUrl, fmtInt, intFlag, isMain, log, parseFlags } from "./cli.js"
import { SEARCH_TERMS } from "./corpus.js"
import { ensureSeeded, SEED_FLAGS, seedOptionsFrom } from "./seed.js"
import { measure, ms, summarize, type Summary, table } from "./stats.js"

const USAGE = `npm run -w @careline/bench bench:api -- [flags]

  --db <path>          the seeded database (default bench/data/large.db; built when missing)
  --clients <n>        clients = channels of the seeded database (default 100000)
  --messages <n>       messages of the seeded database (default 2000000)
  --force              rebuild the seeded database even if it is up to date
  --iterations <n>     measured requests per case and persona (default 200), after a warm-up of 20
  --cases <list>       which requests to measure, of inbox,page,search (default all three)
  --help`


/** The targets of issue 7, p95 in milliseconds. */
export const API_TARGETS = { inbox: 10, search: 50 } as const

interface Persona {
  readonly label: string
  readonly staffId: string
  readonly email: string
  readonly token: string
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

/** The same four kinds of staff member as the storage benchmark, with their sign-in emails. */
const choosePersonas = async (db: string) => {
  const client = createClient({ url: fileUrl(db) })
  try {
    const rows = (await client.execute(`
      SELECT s.id AS id, s.email AS email, s.role AS role,
        (SELECT count(*) FROM queue_members qm WHERE qm.staff_id = s.id) AS queues,
        (SELECT count(*) FROM lines l WHERE l.owner_staff_id = s.id) AS own_lines
      FROM staff s WHERE s.active = 1 ORDER BY s.id`)).rows
    const pick = (label: string, ok: (row: (typeof rows)[number]) => boolean) => {
      const row = rows.find(ok)
      if (row === undefined) throw new Error(`no staff member for persona ${label}`)
      return { label, staffId: String(row["id"]), email: String(row["email"]) }
    }
    return [
      pick("specialist, own line", (r) => r["role"] === "specialist" && Number(r["queues"]) === 0 && Number(r["own_lines"]) === 1),
      pick("specialist, own line + queue", (r) => r["role"] === "specialist" && Number(r["queues"]) > 0 && Number(r["own_lines"]) === 1),
      pick("coordinator, org line + queue", (r) => r["role"] === "coordinator" && Number(r["queues"]) > 0),
      pick("supervisor, org line", (r) => r["role"] === "supervisor")
    ]
  } finally {
    client.close()
  }
}

/** A copy of the seeded file (and its WAL, if any) that the server may write to; per process, so two runs never share one. */
const scratchCopy = (source: string) => {
  const target = source.replace(/\.db$/, "") + `.api-scratch-${process.pid}.db`
  for (const suffix of ["", "-wal", "-shm"]) rmSync(target + suffix, { force: true })
  copyFileSync(source, target)
  if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${target}-wal`)
  return target
}

const removeScratch = (path: string) => {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true })
}

const startServer = (env: Record<string, string>) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, [...carelineNodeArgs, "serve"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      if (/Careline is running/.test(out)) resolve(child)
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.on("exit", (code) => reject(new Error(`careline serve exited ${code} before it was ready: ${out}`)))
  })

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.removeAllListeners("exit")
    child.on("exit", () => resolve())
    child.kill("SIGTERM")
  })

interface Row {
  readonly kind: "inbox" | "channel page" | "search"
  readonly label: string
  readonly persona: string
  readonly summary: Summary
}

export interface ApiResults {
  readonly rows: ReadonlyArray<Row>
  readonly personas: ReadonlyArray<{ readonly label: string; readonly staffId: string }>
  readonly verdicts: { readonly inbox: boolean; readonly search: boolean }
}

export const runApiBenchmark = async (argv: ReadonlyArray<string>): Promise<ApiResults | undefined> => {
  const flags = parseFlags(argv)
  if (flags.has("help")) {
    log(USAGE)
    return undefined
  }
  checkKnown(flags, [...SEED_FLAGS, "iterations", "cases"])
  const iterations = intFlag(flags, "iterations", 200)
  const cases = new Set(String(flags.get("cases") ?? "inbox,page,search").split(","))
  const seedOptions = seedOptionsFrom(flags)
  await ensureSeeded(seedOptions)

  log("\n# JSON API latency on the seeded database\n")
  const scratch = scratchCopy(seedOptions.path)
  const env = { DATABASE_URL: fileUrl(scratch), SMS_PROVIDER: "fake" }
  let server: ChildProcess | undefined
  try {
    const chosen = await choosePersonas(scratch)
    const personas: Array<Persona> = chosen.map((p) => ({
      ...p,
      token: execFileSync(process.execPath, [careline, "api-token", "--email", p.email], { env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n").pop()!
    }))
    const port = await freePort()
    server = await startServer({ ...env, PORT: String(port) })
    const base = `http://127.0.0.1:${port}/api/v1`
    const get = async (persona: Persona, path: string) => {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${persona.token}` } })
      const body = await response.json() as Record<string, unknown>
      if (!response.ok) throw new Error(`GET ${path} as ${persona.label}: ${response.status} ${JSON.stringify(body)}`)
      return body
    }
    const rows: Array<Row> = []
    const options = { warmup: 20, iterations }
    // The server has just started (JIT, heap, the pages each persona's rows are on): warm it as everyone,
    // with every inbox request measured, before measuring anyone. With less, whoever is measured first
    // pays for the warm-up (with 50 rounds of the first page only, the first persona's p95 was 1.5–3× the
    // same persona's when measured last).
    for (let i = 0; i < 200; i++) for (const persona of personas) for (const path of ["/channels", "/channels?status=unread"]) await get(persona, path)
    for (const persona of personas) {
      const inbox = (await get(persona, "/channels")) as { channels: Array<{ channel: { id: string } }> }
      log(`persona ${persona.label} (${persona.staffId}): first inbox page ${inbox.channels.length} channels`)
      if (cases.has("inbox")) {
        rows.push({ kind: "inbox", label: "GET /channels (inbox, first page)", persona: persona.label, summary: summarize(await measure(() => get(persona, "/channels"), options)) })
        const unread = await measure(() => get(persona, "/channels?status=unread"), options)
        rows.push({ kind: "inbox", label: "GET /channels?status=unread", persona: persona.label, summary: summarize(unread) })
      }

      const channelIds = inbox.channels.map((row) => row.channel.id)
      if (cases.has("page") && channelIds.length > 0) {
        const newest = await measure((i) => get(persona, `/channels/${channelIds[i % channelIds.length]}/messages`), options)
        rows.push({ kind: "channel page", label: "GET /channels/:id/messages (newest 50)", persona: persona.label, summary: summarize(newest) })
        // Cursors of channels with more than one page, found once, then read page 2 of each in turn.
        const cursors: Array<string> = []
        for (const id of channelIds) {
          const page = (await get(persona, `/channels/${id}/messages`)) as { nextBefore?: string }
          if (page.nextBefore !== undefined) cursors.push(`/channels/${id}/messages?before=${encodeURIComponent(page.nextBefore)}`)
        }
        if (cursors.length > 0) {
          const next = await measure((i) => get(persona, cursors[i % cursors.length]!), options)
          rows.push({ kind: "channel page", label: `GET …/messages?before= (next 50; ${cursors.length} channels)`, persona: persona.label, summary: summarize(next) })
        }
      }
      if (!cases.has("search")) continue
      const terms = Object.values(SEARCH_TERMS).flat()
      const search = await measure((i) => get(persona, `/channels?q=${encodeURIComponent(terms[i % terms.length]!)}`), { warmup: terms.length, iterations: Math.max(iterations, terms.length) })
      rows.push({ kind: "search", label: `GET /channels?q= (${terms.length} queries in turn)`, persona: persona.label, summary: summarize(search) })
    }
    const worst = (kind: Row["kind"]) => Math.max(...rows.filter((r) => r.kind === kind).map((r) => r.summary.p95))
    const verdicts = { inbox: worst("inbox") <= API_TARGETS.inbox, search: worst("search") <= API_TARGETS.search }
    const target = (row: Row) =>
      row.kind === "inbox" ? (row.summary.p95 <= API_TARGETS.inbox ? "met" : "MISSED") : row.kind === "search" ? (row.summary.p95 <= API_TARGETS.search ? "met" : "MISSED") : ""
    log("")
    log(table(
      ["request", "persona", "n", "p50 ms", "p95 ms", "p99 ms", "target (p95)"],
      rows.map((r) => [r.label, r.persona, fmtInt(r.summary.n), ms(r.summary.p50), ms(r.summary.p95), ms(r.summary.p99), r.kind === "inbox" ? `≤ ${API_TARGETS.inbox} ms: ${target(r)}` : r.kind === "search" ? `≤ ${API_TARGETS.search} ms: ${target(r)}` : "–"])
    ))
    log("")
    log(`Targets: inbox p95 ≤ ${API_TARGETS.inbox} ms ${verdicts.inbox ? "met" : "MISSED"} (worst ${ms(worst("inbox"))} ms); search p95 ≤ ${API_TARGETS.search} ms ${verdicts.search ? "met" : "MISSED"} (worst ${ms(worst("search"))} ms).`)
    return { rows, personas: personas.map(({ label, staffId }) => ({ label, staffId })), verdicts }
  } finally {
    if (server !== undefined) await stop(server)
    removeScratch(scratch)
  }
}

if (isMain(import.meta.url)) await runApiBenchmark(process.argv.slice(2))
