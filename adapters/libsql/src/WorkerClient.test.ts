import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { type Client, createClient, LibsqlError } from "@libsql/client"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { WorkerClient } from "./WorkerClient.js"

let directory: string
let url: string
const open: Array<Client> = []

const track = <C extends Client>(client: C): C => {
  open.push(client)
  return client
}

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "careline-worker-client-"))
  url = pathToFileURL(join(directory, "careline.db")).href
})

afterEach(() => {
  for (const client of open.splice(0)) client.close()
  rmSync(directory, { recursive: true, force: true })
})

const seed = async (client: Client) => {
  await client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE, data BLOB)")
  await client.execute({ sql: "INSERT INTO notes (body, data) VALUES (?, ?), (?, ?)", args: ["first", new Uint8Array([1, 2, 3]), "second", null] })
}

describe("WorkerClient", () => {
  it("answers exactly as the in-thread client: rows by index and by name, columns, counts, blobs", async () => {
    const worker = track(await WorkerClient.open({ url }))
    await seed(worker)
    const local = track(createClient({ url }))
    const query = { sql: "SELECT id, body, data, body AS id FROM notes WHERE id >= ? ORDER BY id", args: [1] }
    const [there, here] = [await worker.execute(query), await local.execute(query)]
    expect(there.columns).toEqual(here.columns)
    expect(there.rows.map((row) => [...Array.prototype.slice.call(row)])).toEqual(here.rows.map((row) => [...Array.prototype.slice.call(row)]))
    expect(there.rows.map((row) => ({ ...row }))).toEqual(here.rows.map((row) => ({ ...row })))
    expect(there.rows[0]!["id"]).toBe(1)
    expect(new Uint8Array(there.rows[0]!["data"] as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]))
    const inserted = await worker.execute({ sql: "INSERT INTO notes (body) VALUES (?)", args: ["third"] })
    expect(inserted.rowsAffected).toBe(1)
    expect(inserted.lastInsertRowid).toBe(3n)
  })

  it("keeps the driver's error code, so a constraint is told from anything else", async () => {
    const worker = track(await WorkerClient.open({ url }))
    await seed(worker)
    const failure = await worker.execute({ sql: "INSERT INTO notes (body) VALUES (?)", args: ["first"] }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(LibsqlError)
    expect((failure as LibsqlError).code).toBe("SQLITE_CONSTRAINT")
    expect((failure as LibsqlError).message).toBe("SQLITE_CONSTRAINT: UNIQUE constraint failed: notes.body")
  })

  it("commits a transaction for every other connection to see, and rolls one back without a trace", async () => {
    const worker = track(await WorkerClient.open({ url }))
    await seed(worker)
    const reader = track(createClient({ url }))
    const count = async () => Number((await reader.execute("SELECT count(*) FROM notes")).rows[0]![0])

    const kept = await worker.transaction("write")
    await kept.execute({ sql: "INSERT INTO notes (body) VALUES (?)", args: ["kept"] })
    expect(await count()).toBe(2)
    await kept.commit()
    expect(kept.closed).toBe(true)
    expect(await count()).toBe(3)

    const dropped = await worker.transaction("write")
    await dropped.execute({ sql: "INSERT INTO notes (body) VALUES (?)", args: ["dropped"] })
    await dropped.rollback()
    expect(await count()).toBe(3)
    expect((await worker.batch([{ sql: "INSERT INTO notes (body) VALUES (?)", args: ["batched"] }, "SELECT count(*) AS n FROM notes"], "write"))[1]!.rows[0]!["n"]).toBe(4)
  })

  it("runs statements in the order they were sent, however many are in flight", async () => {
    const worker = track(await WorkerClient.open({ url }))
    await worker.execute("CREATE TABLE log (n INTEGER)")
    await Promise.all(Array.from({ length: 200 }, (_, n) => worker.execute({ sql: "INSERT INTO log (n) VALUES (?)", args: [n] })))
    const rows = (await worker.execute("SELECT n FROM log ORDER BY rowid")).rows.map((row) => row["n"])
    expect(rows).toEqual(Array.from({ length: 200 }, (_, n) => n))
  })

  it("refuses work once closed, and a new client (on a reused thread) starts clean", async () => {
    const first = await WorkerClient.open({ url })
    await seed(first)
    first.close()
    expect(first.closed).toBe(true)
    const second = track(await WorkerClient.open({ url }))
    expect((await second.execute("SELECT count(*) AS n FROM notes")).rows[0]!["n"]).toBe(2)
  })

  it("fails to open a database it cannot open, with the driver's reason", async () => {
    const missing = pathToFileURL(join(directory, "no-such-folder", "careline.db")).href
    await expect(WorkerClient.open({ url: missing })).rejects.toThrow(/SQLITE_CANTOPEN|Unable to open/)
  })
})
