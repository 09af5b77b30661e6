import { Worker } from "node:worker_threads"
import {
  type Client,
  type Config,
  type InArgs,
  type InStatement,
  LibsqlError,
  type ResultSet,
  type Row,
  type Transaction,
  type TransactionMode
} from "@libsql/client"

/** A result as it crosses the thread boundary: rows as plain arrays. */
interface EncodedResult {
  readonly columns: Array<string>
  readonly columnTypes: Array<string>
  readonly rows: Array<Array<unknown>>
  readonly rowsAffected: number
  readonly lastInsertRowid: bigint | undefined
}

interface EncodedError {
  readonly name: string
  readonly message: string
  readonly code?: string
  readonly extendedCode?: string
  readonly rawCode?: number
}

type Reply = { readonly id: number; readonly ok: true; readonly value?: unknown } | { readonly id: number; readonly ok: false; readonly error: EncodedError }

const workerUrl = new URL("../worker/libsqlWorker.mjs", import.meta.url)

/** A row as libSQL makes it: values by index (not enumerable) and by column name. */
const decodeRow = (values: Array<unknown>, columns: Array<string>): Row => {
  const row: Record<string | number, unknown> = {}
  Object.defineProperty(row, "length", { value: values.length })
  for (const [i, value] of values.entries()) {
    Object.defineProperty(row, i, { value })
    const column = columns[i]!
    if (!Object.hasOwn(row, column)) Object.defineProperty(row, column, { value, enumerable: true, configurable: true, writable: true })
  }
  return row as Row
}

const decodeResult = (encoded: EncodedResult): ResultSet => ({
  columns: encoded.columns,
  columnTypes: encoded.columnTypes,
  rows: encoded.rows.map((values) => decodeRow(values, encoded.columns)),
  rowsAffected: encoded.rowsAffected,
  lastInsertRowid: encoded.lastInsertRowid,
  toJSON: () => encoded
})

/** The driver's error again, with its code, so callers tell a constraint from a busy database as before. */
const decodeError = (error: EncodedError): Error => {
  if (error.code === undefined) return Object.assign(new Error(error.message), { name: error.name })
  const prefix = `${error.code}: `
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message
  return new LibsqlError(message, error.code, error.extendedCode, error.rawCode)
}

const statement = (stmt: InStatement | string, args?: InArgs): InStatement =>
  typeof stmt === "string" ? (args === undefined ? stmt : { sql: stmt, args }) : stmt

/** A database thread and its requests in flight; it keeps the process alive only while one is. */
class Channel {
  readonly #worker: Worker
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>()
  #next = 1
  #failure: Error | undefined

  constructor() {
    // The thread keeps little alive (statements in, rows out), so a small heap: Node's default would let it grow like the server's.
    const worker = new Worker(workerUrl, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 128 } })
    this.#worker = worker
    worker.unref()
    worker.on("message", (reply: Reply) => {
      const pending = this.#pending.get(reply.id)
      if (pending === undefined) return
      this.#pending.delete(reply.id)
      if (this.#pending.size === 0) worker.unref()
      if (reply.ok) pending.resolve(reply.value)
      else pending.reject(decodeError(reply.error))
    })
    worker.on("error", (error) => this.#fail(error))
    worker.on("exit", (code) => this.#fail(new LibsqlError(`the database thread exited (code ${code})`, "CLIENT_CLOSED")))
  }

  get usable() {
    return this.#failure === undefined
  }

  request<A>(message: Record<string, unknown>): Promise<A> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure)
    const id = this.#next++
    return new Promise<A>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref()
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.#worker.postMessage({ ...message, id })
    })
  }

  #fail(error: Error) {
    this.#failure ??= error
    for (const pending of this.#pending.values()) pending.reject(this.#failure)
    this.#pending.clear()
  }

  terminate(): void {
    void this.#worker.terminate()
  }
}

/** Threads whose connection was closed, kept for the next one: starting a thread loads the driver again (~0.1–0.3 s). */
const idle: Array<Channel> = []
const MAX_IDLE = 4

const release = (channel: Channel) => {
  if (channel.usable && idle.length < MAX_IDLE) idle.push(channel)
  else channel.terminate()
}

class WorkerTransaction implements Transaction {
  readonly #channel: Channel
  readonly #id: number
  #closed = false

  constructor(channel: Channel, id: number) {
    this.#channel = channel
    this.#id = id
  }

  get closed() {
    return this.#closed
  }

  async execute(stmt: InStatement): Promise<ResultSet> {
    return decodeResult(await this.#channel.request<EncodedResult>({ op: "execute", tx: this.#id, stmt }))
  }

  async batch(stmts: Array<InStatement>): Promise<Array<ResultSet>> {
    return (await this.#channel.request<Array<EncodedResult>>({ op: "batch", tx: this.#id, stmts })).map(decodeResult)
  }

  executeMultiple(sql: string): Promise<void> {
    return this.#channel.request({ op: "executeMultiple", tx: this.#id, sql })
  }

  rollback(): Promise<void> {
    return this.#end("rollback")
  }

  commit(): Promise<void> {
    return this.#end("commit")
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#channel.request({ op: "closeTransaction", tx: this.#id }).catch(() => undefined)
  }

  async #end(op: "commit" | "rollback"): Promise<void> {
    await this.#channel.request({ op, tx: this.#id })
    this.#closed = true
  }
}

/**
 * A libSQL `Client` whose connection lives in a worker thread: every statement — and the fsync of every
 * COMMIT under `synchronous=FULL` — runs there, while the event loop goes on answering requests. A
 * call resolves once the thread has run it, so a commit that resolved is on disk exactly as with the
 * in-thread client. Statements run one at a time in the order sent.
 */
export class WorkerClient implements Client {
  readonly protocol = "file"
  readonly #channel: Channel
  #closed = false

  private constructor(channel: Channel) {
    this.#channel = channel
  }

  /**
   * Starts the thread and opens the connection there with `settings` (`PRAGMA …` statements, applied
   * again before a transaction should the connection ever be replaced); rejects with the driver's
   * error if it cannot.
   */
  static async open(config: Config, settings: ReadonlyArray<string> = []): Promise<WorkerClient> {
    const channel = idle.pop() ?? new Channel()
    try {
      await channel.request({ op: "open", config, settings })
    } catch (error) {
      release(channel)
      throw error
    }
    return new WorkerClient(channel)
  }

  get closed() {
    return this.#closed
  }

  async execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return decodeResult(await this.#channel.request<EncodedResult>({ op: "execute", stmt: statement(stmt, args) }))
  }

  async batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode): Promise<Array<ResultSet>> {
    return (await this.#channel.request<Array<EncodedResult>>({ op: "batch", stmts, mode })).map(decodeResult)
  }

  async migrate(stmts: Array<InStatement>): Promise<Array<ResultSet>> {
    return (await this.#channel.request<Array<EncodedResult>>({ op: "migrate", stmts })).map(decodeResult)
  }

  async transaction(mode?: TransactionMode): Promise<Transaction> {
    return new WorkerTransaction(this.#channel, await this.#channel.request<number>({ op: "transaction", mode }))
  }

  executeMultiple(sql: string): Promise<void> {
    return this.#channel.request({ op: "executeMultiple", sql })
  }

  sync(): Promise<never> {
    return Promise.reject(new LibsqlError("a local file database has nothing to sync", "SYNC_NOT_SUPPORTED"))
  }

  reconnect(): void {
    throw new LibsqlError("the database thread keeps one connection for its lifetime", "RECONNECT_NOT_SUPPORTED")
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    const channel = this.#channel
    channel.request({ op: "close" }).then(() => release(channel), () => channel.terminate())
  }
}
