// The libSQL connection of a `file:` database, in its own thread (see src/WorkerClient.ts). libSQL runs
// every statement synchronously — a COMMIT under `synchronous=FULL` waits for the disk — so here the
// waiting blocks this thread, not the server's event loop. A thread holds one connection at a time and
// is reused for the next one once it is closed. Plain JavaScript: it runs as is, under tsx, vitest or a
// bundle alike.
// @ts-check
import { parentPort } from "node:worker_threads"
import { createClient } from "@libsql/client"

const port = parentPort
if (port === null) throw new Error("libsqlWorker.mjs runs only as a worker thread")

/** @type {import("@libsql/client").Client | undefined} */
let client
/** The connection's settings (`PRAGMA …` statements), applied again should the driver ever replace its connection. */
/** @type {ReadonlyArray<string>} */
let settings = []
/** @type {Map<number, import("@libsql/client").Transaction>} */
const transactions = new Map()
let nextTransaction = 1

/** @param {import("@libsql/client").ResultSet} result */
const encode = (result) => ({
  columns: result.columns,
  columnTypes: result.columnTypes,
  rows: result.rows.map((row) => Array.prototype.slice.call(row)),
  rowsAffected: result.rowsAffected,
  lastInsertRowid: result.lastInsertRowid
})

/** @param {unknown} error */
const describe = (error) => {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) }
  const { code, extendedCode, rawCode } = /** @type {{ code?: string, extendedCode?: string, rawCode?: number }} */ (error)
  return { name: error.name, message: error.message, code, extendedCode, rawCode }
}

/**
 * Checked before every transaction, here rather than by a round trip from the main thread: a
 * connection the driver opened anew would run without `synchronous=FULL` or foreign keys.
 * @param {import("@libsql/client").Client} db
 */
const ensureSettings = async (db) => {
  if (settings.length === 0 || (await db.execute("PRAGMA foreign_keys")).rows[0]?.[0] === 1) return
  for (const statement of settings) await db.execute(statement)
}

/** @param {number} id */
const transaction = (id) => {
  const tx = transactions.get(id)
  if (tx === undefined) throw new Error(`no open transaction ${id}`)
  return tx
}

/** @param {any} request */
const handle = async (request) => {
  if (request.op === "open") {
    client = createClient(request.config)
    settings = request.settings
    for (const statement of settings) await client.execute(statement)
    return undefined
  }
  const db = client
  if (db === undefined) throw new Error("the database thread has no open connection")
  if (request.op === "transaction" || (request.op === "batch" && request.tx === undefined)) await ensureSettings(db)
  switch (request.op) {
    case "execute":
      return encode(await (request.tx === undefined ? db.execute(request.stmt) : transaction(request.tx).execute(request.stmt)))
    case "batch":
      return (await (request.tx === undefined ? db.batch(request.stmts, request.mode) : transaction(request.tx).batch(request.stmts))).map(encode)
    case "migrate":
      return (await db.migrate(request.stmts)).map(encode)
    case "executeMultiple":
      return request.tx === undefined ? db.executeMultiple(request.sql) : transaction(request.tx).executeMultiple(request.sql)
    case "transaction": {
      const id = nextTransaction++
      transactions.set(id, await db.transaction(request.mode))
      return id
    }
    case "commit":
      await transaction(request.tx).commit()
      transactions.delete(request.tx)
      return undefined
    case "rollback":
      await transaction(request.tx).rollback()
      transactions.delete(request.tx)
      return undefined
    case "closeTransaction":
      transactions.get(request.tx)?.close()
      transactions.delete(request.tx)
      return undefined
    case "close":
      for (const tx of transactions.values()) tx.close()
      transactions.clear()
      client = undefined
      db.close()
      return undefined
    default:
      throw new Error(`unknown operation ${String(request.op)}`)
  }
}

// One request at a time, in arrival order: the connection is single, like the lane that feeds it.
let tail = Promise.resolve()
port.on("message", (request) => {
  tail = tail.then(async () => {
    try {
      port.postMessage({ id: request.id, ok: true, value: await handle(request) })
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: describe(error) })
    }
  })
})
