/**
 * For InboundLog.test.ts: logs `count` texts concurrently into the database at `url`, prints how many
 * calls resolved, then dies at once (SIGKILL: no close, no checkpoint), as a server killed right
 * after acknowledging its webhooks. Run as `tsx LogThenDie.ts <url> <count>`.
 */
import { writeSync } from "node:fs"
import { Effect } from "effect"
import { openDatabase } from "../Database.js"
import { makeInboundLog } from "../InboundLog.js"
import { loggedText } from "./Seed.js"

const [url, count] = process.argv.slice(2)

const program = Effect.gen(function* () {
  const logInbound = makeInboundLog(yield* openDatabase({ url: url! }))
  const texts = Array.from({ length: Number(count) }, (_, i) => loggedText(i + 1))
  yield* Effect.all(texts.map(logInbound), { concurrency: "unbounded" })
  writeSync(1, `${texts.length}\n`)
  process.kill(process.pid, "SIGKILL")
  yield* Effect.never
})

Effect.runFork(Effect.scoped(program))
