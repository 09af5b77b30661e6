import { LibsqlDatabase } from "@careline/adapter-libsql"
import { Effect } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer } from "../testing/TestServer.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

/** Closes the database under the running server: every query now fails with `StorageError`. */
const breakDatabase = () => server.runtime.runPromise(LibsqlDatabase.use((db) => Effect.sync(() => db.client.close())))

describe("GET /healthz", () => {
  it("is 200 when the database answers, with secure headers", async () => {
    const res = await server.app.request("/healthz")
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: "ok" })
    expect(res.headers.get("x-content-type-options")).toBe("nosniff")
    expect(res.headers.get("referrer-policy")).toBe("no-referrer")
  })

  it("is 503 (and logged) when it does not", async () => {
    await breakDatabase()
    const res = await server.app.request("/healthz")
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ status: "unavailable" })
    expect(server.logs.some((l) => l.level === "Error" && l.message.includes("Health check"))).toBe(true)
  })
})

describe("a storage failure", () => {
  it("is a 500 with a generic message; the cause is logged, never returned", async () => {
    await breakDatabase()
    const res = await server.as("admin", "/api/v1/clients")
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: "Something went wrong on our side. It has been logged; please try again." } })
    expect(text).not.toMatch(/storage|sql|closed/i)
    expect(server.logs.some((l) => l.level === "Error" && l.message.includes("answered 500"))).toBe(true)
  })
})
