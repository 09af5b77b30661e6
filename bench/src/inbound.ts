// Inbound webhook benchmark: signed Twilio webhooks over HTTP on loopback into the real Careline
// server (libSQL file, synchronous=FULL, group commit), against a bare handler that parses the same
// form and inserts one row per request (the naive floor) and one that only parses it (the ceiling),
// all in the same run, one after the other. Also: the server's peak RSS under that load, and a check
// that every webhook answered 2xx is stored exactly once.
//
//   npm run -w @careline/bench bench:inbound -- [--seconds 10] [--connections 64] [--rounds 2]
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { TwilioDouble } from "@careline/adapter-twilio"
import { createClient } from "@libsql/client"
import autocannon from "autocannon"
import { careline, carelineNodeArgs } from "./careline.js"

const { values: flags } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "64" },
    rounds: { type: "string", default: "2" },
    warmup: { type: "string", default: "2" },
    /** Seconds to wait for Careline to process its backlog after the load before reporting it unfinished. */
    "drain-limit": { type: "string", default: "300" },
    /** Which servers to run, comma-separated (all three by default; the table needs all three). */
    only: { type: "string", default: "ceiling,floor,careline" }
  }
})
const seconds = Number(flags.seconds)
const connections = Number(flags.connections)
const rounds = Number(flags.rounds)
const warmupSeconds = Number(flags.warmup)

const here = fileURLToPath(new URL(".", import.meta.url))
const bareHandlers = join(here, "inbound", "bareHandlers.ts")
const workDir = mkdtempSync(join(tmpdir(), "careline-bench-inbound-"))
const publicBaseUrl = "http://bench.invalid"
const path = "/webhooks/twilio/messages"
const lineNumber = "+15550000001"
/** A small pool of senders: each gets one opt-in request, so outbound work stays a trickle. */
const senders = 200

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

/** Signed webhooks, built before the load starts so the load generator only sends. */
let sent = 0
const webhook = (n: number) => {
  const params = TwilioDouble.inboundForm({
    from: `+1555${String(1_000_000 + (n % senders)).padStart(7, "0")}`,
    to: lineNumber,
    body: `Benchmark text ${n}: running a few minutes late for the appointment, see you soon`,
    // Far from the SIDs the double gives Careline's own sends (opt-in requests): real SIDs never collide either.
    messageSid: TwilioDouble.sid("SM", 1_000_000_000 + n)
  })
  const signed = TwilioDouble.signedWebhook({ authToken: TwilioDouble.testAuthToken, url: `${publicBaseUrl}${path}`, params })
  return { body: signed.body, headers: signed.headers }
}

const run = (command: string, args: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    child.stdout.on("data", (chunk) => (out += chunk))
    child.stderr.on("data", (chunk) => (out += chunk))
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(" ")} exited ${code}: ${out}`))))
  })

/** Starts a server process and resolves once it prints `ready` (a line matching `readyLine`). */
const startServer = (command: string, args: ReadonlyArray<string>, env: Record<string, string>, readyLine: RegExp) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      if (readyLine.test(out)) resolve(child)
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.on("exit", (code) => reject(new Error(`server exited ${code} before it was ready: ${out}`)))
  })

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.removeAllListeners("exit")
    child.on("exit", () => resolve())
    child.kill("SIGTERM")
  })

const rssMb = (pid: number) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  return match === null ? Number.NaN : Number(match[1]) / 1024
}

/** CPU time (user + system) the process has used so far, in ms (Linux clock ticks are 10 ms). */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return (Number(fields[11]) + Number(fields[12])) * 10
}

interface Load {
  readonly requestsPerSecond: number
  readonly p50: number
  readonly p99: number
  readonly ok: number
  readonly failed: number
  readonly peakRssMb: number
  /** The server's CPU time per answered request: steadier than req/s on a shared machine. */
  readonly cpuMsPerRequest: number
}

const load = async (port: number, pid: number, duration: number): Promise<Load> => {
  let peak = 0
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100)
  const cpuBefore = cpuMs(pid)
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    method: "POST",
    connections,
    duration,
    requests: [{ setupRequest: (request) => ({ ...request, method: "POST", ...webhook(sent++) }) }]
  })
  clearInterval(sampler)
  const cpu = cpuMs(pid) - cpuBefore
  return {
    cpuMsPerRequest: cpu / Math.max(1, result["2xx"]),
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    failed: result.non2xx + result.errors + result.timeouts,
    peakRssMb: peak
  }
}

/** `careline` is the server as shipped: `careline serve`, compiled by esbuild at start (`reference-server/bin/compile.js`). */
type Variant = "ceiling" | "floor" | "careline"
const variants: ReadonlyArray<Variant> = ["ceiling", "floor", "careline"]
const isCareline = (variant: Variant) => variant === "careline"

const countRows = async (db: string, sql: string) => {
  const client = createClient({ url: `file:${db}` })
  try {
    return Number((await client.execute(sql)).rows[0]?.[0])
  } finally {
    client.close()
  }
}

/** How long the run waits for the backlog to be processed before it reports it unfinished. */
const drainLimitMs = Number(flags["drain-limit"]) * 1000

/** Distinct texts Careline stored: in their channels, or still in the inbound log should the drain not have finished. */
const storedOnce = "SELECT count(*) FROM (SELECT provider_message_id FROM messages WHERE direction = 'inbound' UNION SELECT provider_message_id FROM inbound_log)"

/** Texts Careline acknowledged and has not processed: still in the inbound log, or stored and unprocessed. */
const unprocessed = "SELECT (SELECT count(*) FROM inbound_log) + (SELECT count(*) FROM messages WHERE direction = 'inbound' AND processed_at IS NULL)"

/**
 * Milliseconds from `since` until no acknowledged text is left unprocessed (polled on a second
 * connection), or, past the limit, how many were still unprocessed then.
 */
const drained = async (db: string, since: number): Promise<{ readonly afterMs: number } | { readonly leftAtLimit: number }> => {
  for (;;) {
    const left = await countRows(db, unprocessed)
    if (left === 0) return { afterMs: performance.now() - since }
    if (performance.now() - since >= drainLimitMs) return { leftAtLimit: left }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const prepareCareline = async (db: string) => {
  const env = { DATABASE_URL: `file:${db}` }
  const organisation = (await run(process.execPath, [careline, "create-organisation", "--name", "Bench Care", "--time-zone", "UTC"], env)).trim().split("\n").pop()!
  await run(process.execPath, [careline, "add-line", "--number", lineNumber, "--owner-org", "--rate", "100", "--organisation", organisation], env)
}

/** One measured run of a variant on a fresh database: warm-up, then `seconds` of load. */
const measure = async (variant: Variant, double: TwilioDouble.RunningDouble, round: number) => {
  const port = await freePort()
  const db = join(workDir, `${variant}-${round}.db`)
  const server =
    isCareline(variant)
      ? await prepareCareline(db).then(async () =>
        startServer(process.execPath, [...carelineNodeArgs, "serve"], {
          PORT: String(port),
          DATABASE_URL: `file:${db}`,
          SMS_PROVIDER: "twilio",
          TWILIO_ACCOUNT_SID: TwilioDouble.testAccountSid,
          TWILIO_AUTH_TOKEN: TwilioDouble.testAuthToken,
          TWILIO_API_BASE_URL: double.url,
          PUBLIC_BASE_URL: publicBaseUrl
        }, /Careline is running/))
      : await startServer(process.execPath, ["--import", "tsx", bareHandlers, variant, String(port), db], {}, /ready/)
  const firstSid = sent
  const started = performance.now()
  const warmup = await load(port, server.pid!, warmupSeconds)
  const measured = await load(port, server.pid!, seconds)
  const attempted = sent - firstSid
  const acknowledged = warmup.ok + measured.ok
  // Careline answers before processing: how long until everything acknowledged is also processed.
  const drain = isCareline(variant) ? await drained(db, started) : undefined
  await stop(server)
  const stored =
    variant === "ceiling"
      ? undefined
      : await countRows(db, variant === "floor" ? "SELECT count(*) FROM inbound" : storedOnce)
  return { variant, round, ...measured, attempted, acknowledged, stored, drain }
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

const main = async () => {
  const double = await TwilioDouble.start()
  const results: Array<Awaited<ReturnType<typeof measure>>> = []
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const variant of variants.filter((v) => flags.only.split(",").includes(v))) {
        const result = await measure(variant, double, round)
        results.push(result)
        process.stderr.write(`round ${round} ${variant}: ${fmt(result.requestsPerSecond)} req/s\n`)
      }
    }
  } finally {
    await double.close()
    rmSync(workDir, { recursive: true, force: true })
  }
  const best = (variant: Variant) => results.filter((r) => r.variant === variant).sort((a, b) => b.requestsPerSecond - a.requestsPerSecond)[0]!
  const line = (r: (typeof results)[number]) =>
    `${r.variant} round ${r.round}: ${fmt(r.requestsPerSecond)} req/s, p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms, peak RSS ${fmt(r.peakRssMb)} MB, CPU ${fmt(r.cpuMsPerRequest, 2)} ms/request, ${fmt(r.acknowledged)} answered 2xx, ${fmt(r.stored ?? 0)} stored${r.drain === undefined ? "" : `, ${drainText(r)}`}`
  const drainText = (r: (typeof results)[number]) =>
    r.drain === undefined
      ? ""
      : "afterMs" in r.drain
      ? `all processed ${fmt(r.drain.afterMs / 1000, 1)} s after the load began`
      : `${fmt(r.drain.leftAtLimit)} not yet processed ${fmt(drainLimitMs / 1000)} s after the load began (durable: processed later)`
  if (!results.some((r) => r.variant === "ceiling") || !results.some((r) => r.variant === "floor") || !results.some((r) => isCareline(r.variant))) {
    for (const r of results) console.log(line(r))
    return
  }
  const ceiling = best("ceiling")
  const floor = best("floor")
  const ours = variants.filter((v) => isCareline(v) && results.some((r) => r.variant === v)).map(best)
  console.log(`\n## Inbound webhooks (${connections} connections, ${seconds} s per run after ${warmupSeconds} s of warm-up, best of ${rounds} rounds)\n`)
  console.log("| server | req/s | p50 ms | p99 ms | peak RSS MB | server CPU ms per request | × naive floor | % of ceiling |")
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
  for (const r of [ceiling, floor, ...ours]) {
    console.log(`| ${r.variant} | ${fmt(r.requestsPerSecond)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.peakRssMb)} | ${fmt(r.cpuMsPerRequest, 2)} | ${fmt(r.requestsPerSecond / floor.requestsPerSecond, 2)} | ${fmt((100 * r.requestsPerSecond) / ceiling.requestsPerSecond)} % |`)
  }
  console.log("")
  console.log("Every round (req/s, to see the spread on a shared machine):")
  for (const r of results) console.log(`- ${line(r)}`)
  console.log("")
  for (const r of ours) {
    const processed = r.drain === undefined ? 0 : "afterMs" in r.drain ? r.stored ?? 0 : (r.stored ?? 0) - r.drain.leftAtLimit
    const processingMs = r.drain === undefined ? 0 : "afterMs" in r.drain ? r.drain.afterMs : drainLimitMs
    console.log(`${r.variant}: answers once a text is durable and processes it after; of the ${fmt(r.stored ?? 0)} texts of the ${warmupSeconds + seconds} s of load, ${drainText(r)}: ${fmt((processed * 1000) / processingMs)} texts/s end to end.`)
    console.log(`${r.variant} targets: ≥ 3× the naive floor ${r.requestsPerSecond >= 3 * floor.requestsPerSecond ? "met" : "MISSED"} (${fmt(r.requestsPerSecond / floor.requestsPerSecond, 2)}×), ≥ 50 % of the ceiling ${2 * r.requestsPerSecond >= ceiling.requestsPerSecond ? "met" : "MISSED"} (${fmt((100 * r.requestsPerSecond) / ceiling.requestsPerSecond)} %), RSS ≤ 200 MB ${r.peakRssMb <= 200 ? "met" : "MISSED"} (${fmt(r.peakRssMb)} MB).`)
  }
  // A request still in flight when the load stops may be stored without its answer being counted, so
  // stored may exceed acknowledged; never the other way round.
  for (const r of results.filter((r) => r.stored !== undefined)) {
    const lost = r.acknowledged - (r.stored ?? 0)
    console.log(`Durability, ${r.variant} round ${r.round}: ${fmt(r.attempted)} sent, ${fmt(r.acknowledged)} answered 2xx, ${fmt(r.stored ?? 0)} stored${lost > 0 ? ` — ${fmt(lost)} ACKNOWLEDGED BUT MISSING` : ", none missing"}.`)
  }
}

await main()
