import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../testing/TestServer.js"

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

describe("GET /api/v1/me", () => {
  it("answers who the token belongs to, with their organisation", async () => {
    const res = await server.as("spec1", "/api/v1/me")
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      staff: world.staff.spec1,
      organisation: { id: "org_a", name: "Harbour Care", timeZone: "UTC" }
    })
  })

  it("never lets an answer be cached, and carries the secure headers", async () => {
    const res = await server.as("spec1", "/api/v1/me")
    expect(res.headers.get("cache-control")).toBe("no-store")
    expect(res.headers.get("x-content-type-options")).toBe("nosniff")
    expect(res.headers.get("x-frame-options")).toBe("DENY")
    expect(res.headers.get("strict-transport-security")).toContain("max-age=")
  })

  it.each([
    ["no Authorization header", undefined],
    ["another scheme", "Basic YWRtaW46YWRtaW4="],
    ["a malformed token", "Bearer not a token!"],
    ["an unknown token", "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]
  ])("refuses %s with 401 and says how to authenticate", async (_, authorization) => {
    const res = await server.app.request("/api/v1/me", authorization === undefined ? {} : { headers: { authorization } })
    expect(res.status).toBe(401)
    expect(res.headers.get("www-authenticate")).toBe("Bearer")
    expect(res.headers.get("cache-control")).toBe("no-store")
    const body = await res.json() as { error: { code: string; message: string } }
    expect(body.error.code).toBe("unauthorized")
    expect(body.error.message).toContain("Authorization: Bearer")
  })

  it("refuses a deactivated staff member's token with the same 401", async () => {
    const res = await server.as("gone", "/api/v1/me")
    expect(res.status).toBe(401)
  })

  it("answers an unknown API path with 404 once authenticated, 401 before", async () => {
    expect((await server.as("admin", "/api/v1/nothing-here")).status).toBe(404)
    expect((await server.app.request("/api/v1/nothing-here")).status).toBe(401)
  })
})
