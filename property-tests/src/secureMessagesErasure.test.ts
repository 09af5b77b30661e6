import { type Database, LibsqlStores, openDatabase } from "@careline/adapter-libsql"
import { composeThread, deleteThread, deleteThreadMessage, PortalThreads, replyToThread } from "@careline/core"
import { Effect, Layer } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { clients, staff } from "./Scenario.js"
import { auditTrail, clientActor, makeThreadWorld, staffActor, type ThreadWorld } from "./secureMessages/ThreadWorld.js"
import { storesKind } from "./StoresUnderTest.js"

/**
 * S1: "Deleted content is gone; the audit event stays." Proven on the database file itself: after a
 * delete, no row of any table and no byte of the database file or its WAL holds the deleted text.
 * libSQL only (the memory stores have no file); runs in the model:libsql project.
 */
describe.skipIf(storesKind() !== "libsql")("secure messages: deleted text leaves the libSQL database file", () => {
  let directory: string
  let path: string
  let database: Database | undefined
  let world: ThreadWorld

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), "careline-erasure-"))
    path = join(directory, "careline.db")
    const stores = Layer.effectContext(Effect.map(openDatabase({ url: pathToFileURL(path).href }), (db) => {
      database = db
      return LibsqlStores.context(db)
    }))
    world = await makeThreadWorld(stores)
  })
  afterEach(async () => {
    await world.dispose()
    rmSync(directory, { recursive: true, force: true })
  })

  /** Every row of every table, as text. */
  const allRows = async () => {
    const db = database!
    const tables = await db.batcher.read(() => db.client.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    const rows: Array<string> = []
    for (const { name } of tables.rows) {
      const result = await db.batcher.read(() => db.client.execute(`SELECT * FROM "${String(name)}"`))
      for (const row of result.rows) rows.push(`${String(name)} ${JSON.stringify(row)}`)
    }
    return rows
  }
  const fileBytes = () => [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p))
  const inRows = async (text: string) => (await allRows()).some((row) => row.includes(text))
  const inFile = (text: string) => fileBytes().some((bytes) => bytes.includes(Buffer.from(text, "utf8")))

  it("a deleted message's body is in no row and no byte of the file; the thread's other message and the audit event stay", async () => {
    const first = "Canary-7f3a first message, to be deleted for good"
    const second = "Canary-91bd the client's reply, which stays"
    const spec1 = await world.run(staffActor(staff.spec1))
    const client = await world.run(clientActor(clients[0]))
    const threadId = await world.run(composeThread(spec1, { recipients: [{ _tag: "Client", clientId: clients[0] }], subject: "Canary-subject 55e1", body: first, attachments: [] }))
    await world.run(replyToThread(client, threadId, { body: second, attachments: [] }))
    expect(await inRows(first)).toBe(true)
    expect(inFile(first)).toBe(true)

    const [message] = await world.run(PortalThreads.use((t) => t.messagesOf(threadId)))
    await world.run(deleteThreadMessage(spec1, threadId, message!.id))
    expect(await inRows(first)).toBe(false)
    expect(inFile(first)).toBe(false)
    expect(await inRows(second)).toBe(true)
    expect(inFile(second)).toBe(true)
    const trail = await world.run(auditTrail)
    expect(trail.filter((e) => e.action === "thread.delete_message").map((e) => e.detail)).toEqual([`thread=${threadId} message=${message!.id} attachments=0`])
    expect(JSON.stringify(trail)).not.toContain("Canary")

    await world.run(deleteThread(spec1, threadId))
    for (const text of [second, "Canary-subject 55e1"]) {
      expect(await inRows(text)).toBe(false)
      expect(inFile(text)).toBe(false)
    }
    expect((await world.run(auditTrail)).map((e) => e.action).filter((a) => a.startsWith("thread.delete"))).toEqual(["thread.delete_message", "thread.delete"])
  })

  it("control: without secure_delete the same delete leaves the text in the file (the search above can find it)", async () => {
    const text = "Canary-0c44 deleted without secure_delete"
    const spec1 = await world.run(staffActor(staff.spec1))
    const threadId = await world.run(composeThread(spec1, { recipients: [{ _tag: "Client", clientId: clients[0] }], subject: "Control", body: text, attachments: [] }))
    await database!.batcher.exclusive(() => database!.client.execute("PRAGMA secure_delete=OFF"))
    await world.run(deleteThread(spec1, threadId))
    expect(await inRows(text)).toBe(false)
    expect(inFile(text)).toBe(true)
  })
})
