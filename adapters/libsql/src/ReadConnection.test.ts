import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { type Client, createClient, LibsqlError } from "@libsql/client"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { ReadConnection } from "./ReadConnection.js"

let directory: string
let path: string
const open: Array<Client> = []

const track = <C extends Client>(client: C): C => {
  open.push(client)
  return client
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), "careline-read-connection-"))
  path = join(directory, "careline.db")
  const writer = track(createClient({ url: pathToFileURL(path).href }))
  await writer.execute("PRAGMA journal_mode=WAL")
  await writer.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE, data BLOB, big INTEGER, ratio REAL)")
  await writer.execute({ sql: "INSERT INTO notes (body, data, big, ratio) VALUES (?, ?, ?, ?), (?, ?, ?, ?)", args: ["first", new Uint8Array([1, 2, 3]), 2 ** 40, 0.5, "second", null, null, null] })
})

afterEach(() => {
  for (const client of open.splice(0)) client.close()
  rmSync(directory, { recursive: true, force: true })
})

const values = (rows: ReadonlyArray<ArrayLike<unknown>>) => rows.map((row) => Array.prototype.slice.call(row))

describe("ReadConnection", () => {
  it("answers exactly as the driver's client: rows by index and by name (a name repeated or not), columns, integers, reals, blobs, named arguments", async () => {
    const reader = track(new ReadConnection(path, { timeout: 5_000 }))
    const local = track(createClient({ url: pathToFileURL(path).href }))
    for (const query of [
      { sql: "SELECT id, body, data, big, ratio, body AS id FROM notes WHERE id >= ? ORDER BY id", args: [1] },
      { sql: "SELECT count(*) AS n, max(big) AS most FROM notes WHERE body <> :body", args: { ":body": "none" } },
      { sql: "SELECT id FROM notes WHERE body = ?", args: ["nobody"] }
    ]) {
      // Twice: the second answer comes from the statement kept prepared.
      for (const _ of [1, 2]) {
        const [mine, theirs] = [await reader.execute(query), await local.execute(query)]
        expect(mine.columns).toEqual(theirs.columns)
        expect(values(mine.rows)).toEqual(values(theirs.rows))
        expect(mine.rows.map((row) => ({ ...row }))).toEqual(theirs.rows.map((row) => ({ ...row })))
        expect(mine.rows.map((row) => [row.length, Object.keys(row), JSON.stringify(row)])).toEqual(theirs.rows.map((row) => [row.length, Object.keys(row), JSON.stringify(row)]))
      }
    }
    const [first] = (await reader.execute("SELECT id, data, big FROM notes ORDER BY id")).rows
    expect(first!["id"]).toBe(1)
    expect(first!["big"]).toBe(2 ** 40)
    expect(new Uint8Array(first!["data"] as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]))
  })

  it("sees every commit made after a statement was prepared (no read outlives its call)", async () => {
    const reader = track(new ReadConnection(path, { timeout: 5_000 }))
    const writer = track(createClient({ url: pathToFileURL(path).href }))
    const count = async () => (await reader.execute("SELECT count(*) AS n FROM notes")).rows[0]!["n"]
    expect(await count()).toBe(2)
    await writer.execute({ sql: "INSERT INTO notes (body) VALUES (?)", args: ["third"] })
    expect(await count()).toBe(3)
    await writer.execute("DELETE FROM notes WHERE body = 'first'")
    expect(await count()).toBe(2)
  })

  it("keeps the driver's error codes, refuses writes once read-only, unsafe integers and work after close", async () => {
    const reader = track(new ReadConnection(path, { timeout: 5_000 }))
    const syntax = await reader.execute("SELECT FROM").catch((error: unknown) => error)
    expect(syntax).toBeInstanceOf(LibsqlError)
    expect((syntax as LibsqlError).code).toBe("SQLITE_ERROR")
    await reader.execute("PRAGMA query_only=ON")
    const write = await reader.execute("DELETE FROM notes").catch((error: unknown) => error)
    expect(write).toBeInstanceOf(LibsqlError)
    expect(String(write)).toMatch(/readonly|read-only|query_only/i)
    expect((await reader.execute("SELECT count(*) AS n FROM notes")).rows[0]!["n"]).toBe(2)
    await expect(reader.execute("SELECT 9007199254740993 AS n")).rejects.toThrow(RangeError)
    await expect(reader.transaction()).rejects.toThrow(/not available on the reading connection/)
    reader.close()
    await expect(reader.execute("SELECT 1")).rejects.toThrow(/closed/)
  })

  it("keeps at most its cache of statements and still answers the ones it let go", async () => {
    const reader = track(new ReadConnection(path, { timeout: 5_000 }))
    for (let i = 0; i < 600; i++) expect((await reader.execute({ sql: `SELECT ${i} AS n, count(*) AS c FROM notes`, args: [] })).rows[0]!["n"]).toBe(i)
    expect((await reader.execute("SELECT 0 AS n, count(*) AS c FROM notes")).rows[0]!["c"]).toBe(2)
  })
})
