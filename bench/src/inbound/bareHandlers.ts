// The raw floor and ceiling of the inbound benchmark, run as child processes (`tsx bareHandlers.ts
// <ceiling|floor> <port> [db]`): a bare Hono handler that parses Twilio's form and answers (the
// ceiling), and one that also inserts one row with `@libsql/client` before answering (the naive
// floor: one commit per webhook, `synchronous=FULL` like Careline's).
import { serve } from "@hono/node-server"
import { createClient } from "@libsql/client"
import { Hono } from "hono"

const [mode, port, db] = process.argv.slice(2)
const twiml = '<?xml version="1.0" encoding="UTF-8"?><Response/>'

const store = async () => {
  if (mode !== "floor") return undefined
  const client = createClient({ url: `file:${db}` })
  await client.execute("PRAGMA journal_mode=WAL")
  await client.execute("PRAGMA synchronous=FULL")
  await client.execute("CREATE TABLE IF NOT EXISTS inbound (sid TEXT PRIMARY KEY, from_number TEXT NOT NULL, to_number TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL)")
  return client
}

const client = await store()
const app = new Hono().post("/webhooks/twilio/messages", async (c) => {
  const form = await c.req.parseBody()
  const sid = form["MessageSid"]
  if (typeof sid !== "string") return c.text("MessageSid missing", 400)
  if (client !== undefined) {
    await client.execute({
      sql: "INSERT INTO inbound (sid, from_number, to_number, body, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      args: [sid, String(form["From"]), String(form["To"]), String(form["Body"]), Date.now()]
    })
  }
  return c.body(twiml, 200, { "content-type": "text/xml" })
})
serve({ fetch: app.fetch, port: Number(port), hostname: "127.0.0.1" }, () => process.stdout.write("ready\n"))
