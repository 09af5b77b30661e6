import type { ResultSet } from "@libsql/client"
import { type ExtractTablesWithRelations, sql } from "drizzle-orm"
import type { BaseSQLiteDatabase, SQLiteTransaction } from "drizzle-orm/sqlite-core"

/** What every query is written against: the database or an open transaction (drizzle, async libSQL). */
export type Sql = BaseSQLiteDatabase<"async", ResultSet>
/** A write transaction, as a write operation sees it. */
export type Tx = SQLiteTransaction<"async", ResultSet, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>
/** One write operation: all its statements run in one savepoint of the batch's transaction. */
export type WriteOperation<A> = (tx: Tx) => Promise<A>

export interface WriteBatcherStats {
  /** Write transactions committed or attempted. */
  readonly batches: number
  /** Write operations that ran in them. */
  readonly operations: number
}

/** The one lane to the connection: everything on it runs one after another, in arrival order. */
class Lane {
  #tail: Promise<unknown> = Promise.resolve()
  run<A>(task: () => Promise<A>): Promise<A> {
    const result = this.#tail.then(task)
    this.#tail = result.then(
      () => undefined,
      () => undefined
    )
    return result
  }
}

/** At most this many operations share a transaction, so that one commit never holds the lane for long. */
export const MAX_BATCH = 256

interface Pending {
  readonly operation: WriteOperation<unknown>
  readonly signal: AbortSignal | undefined
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown }

/** The batch's transaction could not go on (its savepoint could not be rolled back), so nothing of it is kept. */
export class BatchAborted extends Error {
  constructor(override readonly cause: unknown) {
    super("The write batch was rolled back because one of its operations left the transaction unusable.")
  }
}

/**
 * Group commit over the single connection. Writes that arrive while a write transaction runs wait in a
 * queue; the next transaction (one `BEGIN IMMEDIATE … COMMIT`) runs all of them, each in its own
 * SAVEPOINT (unless it is alone) so that a failing operation is rolled back and fails only its own caller, and every caller
 * is answered only after the commit. Under `synchronous=FULL` a commit waits for the disk, so this is
 * what lets many concurrent webhooks share one fsync.
 *
 * Reads run on the same lane, between batches: a `file:` client here has one connection, and libSQL
 * refuses other statements while a transaction holds it.
 */
export class WriteBatcher {
  readonly #lane = new Lane()
  readonly #db: Sql
  readonly #beforeBatch: (() => Promise<void>) | undefined
  readonly #queue: Array<Pending> = []
  #scheduled = false
  #batches = 0
  #operations = 0

  readonly #reader: Sql | undefined

  /**
   * `beforeBatch` runs on the lane before each transaction begins (connection pragmas are checked
   * there). With a `reader` (a second connection to the same WAL file), reads go there at once instead
   * of waiting on the lane: they see every committed write and never wait for a commit.
   */
  constructor(db: Sql, beforeBatch?: () => Promise<void>, reader?: Sql) {
    this.#db = db
    this.#beforeBatch = beforeBatch
    this.#reader = reader
  }

  get stats(): WriteBatcherStats {
    return { batches: this.#batches, operations: this.#operations }
  }

  /** Runs `query` outside any transaction: on the reader if there is one, otherwise on the lane. */
  read<A>(query: (db: Sql) => Promise<A>): Promise<A> {
    const reader = this.#reader
    return reader === undefined ? this.#lane.run(() => query(this.#db)) : query(reader)
  }

  /** Runs a task that needs the connection to itself (a backup, a checkpoint) on the lane. */
  exclusive<A>(task: () => Promise<A>): Promise<A> {
    return this.#lane.run(task)
  }

  /** Queues `operation` for the next batch; resolves once that batch has committed. */
  write<A>(operation: WriteOperation<A>, signal?: AbortSignal): Promise<A> {
    return new Promise<A>((resolve, reject) => {
      this.#queue.push({ operation, signal, resolve: resolve as (value: unknown) => void, reject })
      this.#schedule()
    })
  }

  #schedule() {
    if (this.#scheduled) return
    this.#scheduled = true
    // setImmediate, not a microtask: every write issued in this turn of the event loop joins the batch.
    setImmediate(() => void this.#lane.run(() => this.#flush()))
  }

  async #flush(): Promise<void> {
    this.#scheduled = false
    const batch = this.#queue.splice(0, MAX_BATCH).filter((pending) => {
      if (pending.signal?.aborted !== true) return true
      pending.reject(pending.signal.reason)
      return false
    })
    if (this.#queue.length > 0) this.#schedule()
    if (batch.length === 0) return
    this.#batches += 1
    this.#operations += batch.length
    const outcomes: Array<Outcome> = []
    try {
      if (this.#beforeBatch !== undefined) await this.#beforeBatch()
      await this.#db.transaction(async (tx) => {
        // Alone in its batch, an operation needs no savepoint: should it fail, the whole transaction is rolled back.
        if (batch.length === 1) outcomes.push({ ok: true, value: await batch[0]!.operation(tx) })
        else for (const [i, pending] of batch.entries()) outcomes.push(await runInSavepoint(tx, i, pending.operation))
      })
    } catch (error) {
      for (const pending of batch) pending.reject(error)
      return
    }
    for (const [i, pending] of batch.entries()) {
      const outcome = outcomes[i]!
      if (outcome.ok) pending.resolve(outcome.value)
      else pending.reject(outcome.error)
    }
  }
}

const runInSavepoint = async (tx: Tx, i: number, operation: WriteOperation<unknown>): Promise<Outcome> => {
  const name = sql.raw(`op_${i}`)
  await tx.run(sql`SAVEPOINT ${name}`)
  try {
    const value = await operation(tx)
    await tx.run(sql`RELEASE ${name}`)
    return { ok: true, value }
  } catch (error) {
    try {
      await tx.run(sql`ROLLBACK TO ${name}`)
      await tx.run(sql`RELEASE ${name}`)
    } catch (rollbackError) {
      throw new BatchAborted(rollbackError)
    }
    return { ok: false, error }
  }
}
