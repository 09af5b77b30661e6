import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { TwilioDouble } from "@careline/adapter-twilio"
import { makeOutboxDispatcher, OutboxStore, recoverInbound } from "@careline/core"
import { createClient } from "@libsql/client"
import { Effect, Layer, ManagedRuntime, Result } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { loadConfig } from "../Config.js"
import { serverLayer } from "../Runtime.js"
import { runCareline, startServerProcess } from "../testing/ServerProcess.js"

/** `npm run test:soak` sets CARELINE_SOAK=1: more seeds, more crashes, more texts. */
const soak = process.env["CARELINE_SOAK"] === "1"
const seeds = soak ? [11, 23, 37, 41, 59] : [11]
const crashesPerSeed = soak ? 6 : 3
const textsPerCrash = soak ? 400 : 150
const publicBaseUrl = "http://crash.invalid"
const lineNumber = "+15550000001"
const senders = 40

/** A small deterministic generator (mulberry32), so a failing seed can be rerun. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** Inbound SIDs far from the ones the double gives its sends (real Twilio SIDs never collide either). */
const inboundSid = (n: number) => TwilioDouble.sid("SM", 1_000_000_000 + n)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const postText = async (port: number, n: number): Promise<boolean> => {
  const params = TwilioDouble.inboundForm({
    from: `+1555${String(2_000_000 + (n % senders)).padStart(7, "0")}`,
    to: lineNumber,
    body: `crash test text ${n}`,
    messageSid: inboundSid(n)
  })
  const signed = TwilioDouble.signedWebhook({ authToken: TwilioDouble.testAuthToken, url: `${publicBaseUrl}/webhooks/twilio/messages`, params })
  try {
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/twilio/messages`, { method: "POST", body: signed.body, headers: signed.headers })
    await response.text()
    return response.ok
  } catch {
    return false // the server died before it answered: not acknowledged
  }
}

/**
 * After the last run, time passes (a clock 3 minutes ahead): claims and leases the killed processes
 * held run out, so everything left is recovered and dispatched, as a server would in that time.
 */
const recoverAsTimePasses = (env: Record<string, string>) =>
  Effect.gen(function* () {
    const config = Result.getOrThrow(loadConfig(env))
    const runtime = ManagedRuntime.make(Layer.merge(serverLayer(config), TestClock.layer()))
    try {
      yield* Effect.promise(() => runtime.runPromise(Effect.gen(function* () {
        yield* TestClock.setTime(Date.now() + 180_000)
        const dispatcher = yield* makeOutboxDispatcher
        yield* dispatcher.recoverInterrupted
        yield* recoverInbound(100_000)
        for (let round = 0; round < 1_000; round++) {
          yield* dispatcher.dispatchDue(1_000)
          if ((yield* OutboxStore.use((o) => o.listByState("pending"))).length === 0) return
          yield* TestClock.adjust("1 second")
        }
      })))
    } finally {
      yield* Effect.promise(() => runtime.dispose())
    }
  })

describe("crash recovery (kill -9 during concurrent signed webhooks and outbox sends)", () => {
  for (const seed of seeds) {
    it(`seed ${seed}: every acknowledged text is stored once and processed; no send is made twice or lost`, async () => {
      const next = random(seed)
      const dir = mkdtempSync(join(tmpdir(), "careline-crash-"))
      const double = await TwilioDouble.start()
      const env = {
        DATABASE_URL: `file:${join(dir, "careline.db")}`,
        SMS_PROVIDER: "twilio",
        TWILIO_ACCOUNT_SID: TwilioDouble.testAccountSid,
        TWILIO_AUTH_TOKEN: TwilioDouble.testAuthToken,
        TWILIO_API_BASE_URL: double.url,
        PUBLIC_BASE_URL: publicBaseUrl
      }
      try {
        const organisation = (await runCareline(["create-organisation", "--name", "Crash Care"], env)).trim().split("\n").pop()!
        await runCareline(["add-line", "--number", lineNumber, "--owner-org", "--rate", "100", "--organisation", organisation], env)
        const acknowledged = new Set<number>()
        let sent = 0
        for (let crash = 0; crash < crashesPerSeed; crash++) {
          const server = await startServerProcess(env)
          // Fresh texts, plus replays of some already acknowledged (Twilio retries).
          const batch = Array.from({ length: textsPerCrash }, () => (acknowledged.size > 0 && next() < 0.1 ? [...acknowledged][Math.floor(next() * acknowledged.size)]! : ++sent))
          // Killed once a random share (10–90 %) of the batch has been answered: mid-stream, with texts in flight.
          const killAfter = Math.floor(batch.length * (0.1 + 0.8 * next()))
          let answered = 0
          let killed: Promise<void> | undefined
          const answers = batch.map(async (n) => {
            if (await postText(server.port, n)) acknowledged.add(n)
            if (++answered === killAfter) killed = server.crash()
          })
          while (killed === undefined && answered < batch.length) await sleep(5)
          await (killed ?? server.crash())
          await Promise.all(answers)
        }
        const last = await startServerProcess(env)
        await sleep(1_500)
        await last.stop()
        await Effect.runPromise(recoverAsTimePasses(env))

        const db = createClient({ url: env.DATABASE_URL })
        try {
          const inbound = await db.execute("SELECT provider_message_id AS sid, processed_at AS processed FROM messages WHERE direction = 'inbound'")
          const stored = new Map<string, number>()
          for (const row of inbound.rows) {
            expect(row["processed"], `text ${String(row["sid"])} was never processed`).not.toBeNull()
            stored.set(String(row["sid"]), (stored.get(String(row["sid"])) ?? 0) + 1)
          }
          expect(acknowledged.size).toBeGreaterThan(0)
          for (const n of acknowledged) expect(stored.get(inboundSid(n)), `acknowledged text ${n}`).toBe(1)

          const outbox = await db.execute("SELECT id, state FROM outbox")
          expect(outbox.rows.length).toBeGreaterThan(0)
          for (const row of outbox.rows) expect(["sent", "failed", "unknown"], `outbox ${String(row["id"])}`).toContain(row["state"])
          const handedOver = new Map<string, number>()
          for (const request of double.requests.filter((r) => r.method === "POST" && r.authorized)) {
            const outboxId = new URL(request.params["StatusCallback"] ?? "http://x/").searchParams.get("outboxId") ?? "?"
            handedOver.set(outboxId, (handedOver.get(outboxId) ?? 0) + 1)
          }
          for (const [outboxId, times] of handedOver) expect(times, `outbox ${outboxId} handed to Twilio`).toBe(1)
          const unsentButSent = outbox.rows.filter((row) => row["state"] === "sent" && !handedOver.has(String(row["id"])))
          expect(unsentButSent).toEqual([])

          const optInRequests = await db.execute("SELECT m.channel_id AS channel, count(*) AS n FROM messages m WHERE m.direction = 'outbound' AND m.author_purpose = 'opt_in_request' GROUP BY m.channel_id")
          for (const row of optInRequests.rows) expect(Number(row["n"]), `opt-in requests in ${String(row["channel"])}`).toBe(1)
        } finally {
          db.close()
        }
      } finally {
        await double.close()
        rmSync(dir, { recursive: true, force: true })
      }
    }, soak ? 900_000 : 240_000)
  }
})
