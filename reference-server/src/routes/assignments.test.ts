import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer } from "../testing/TestServer.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const clientIds = async (res: Response) => ((await res.json()) as { clients: ReadonlyArray<{ readonly id: string }> }).clients.map((c) => c.id)
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error

describe("POST and DELETE /api/v1/clients/:id/assignments", () => {
  it("a coordinator assigns and unassigns; the specialist's view follows", async () => {
    const assigned = await server.as("coordinator", "/api/v1/clients/client_2/assignments", { body: { staffId: "spec_1" } })
    expect(assigned.status).toBe(201)
    expect(await clientIds(await server.as("spec1", "/api/v1/clients"))).toEqual(["client_1", "client_2"])
    const again = await server.as("coordinator", "/api/v1/clients/client_2/assignments", { body: { staffId: "spec_1" } })
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ assigned: true, alreadyAssigned: true })
    const ended = await server.as("coordinator", "/api/v1/clients/client_2/assignments/spec_1", { method: "DELETE" })
    expect(ended.status).toBe(200)
    expect(await clientIds(await server.as("spec1", "/api/v1/clients"))).toEqual(["client_1"])
  })

  it("unassigning someone who is not assigned is a 400 that says so", async () => {
    const res = await server.as("coordinator", "/api/v1/clients/client_2/assignments/spec_1", { method: "DELETE" })
    expect(res.status).toBe(400)
    expect((await errorOf(res)).message).toContain("not currently assigned")
  })

  it("specialists and front office may not assign; a client or staff of another organisation is 404", async () => {
    expect((await server.as("spec1", "/api/v1/clients/client_1/assignments", { body: { staffId: "spec_2" } })).status).toBe(404)
    expect((await server.as("frontOffice", "/api/v1/clients/client_1/assignments", { body: { staffId: "spec_2" } })).status).toBe(404)
    expect((await server.as("coordinator", "/api/v1/clients/client_b1/assignments", { body: { staffId: "spec_1" } })).status).toBe(404)
    expect((await server.as("coordinator", "/api/v1/clients/client_1/assignments", { body: { staffId: "admin_b" } })).status).toBe(404)
    expect((await server.as("coordinator", "/api/v1/clients/no_such/assignments", { body: { staffId: "spec_1" } })).status).toBe(404)
    expect((await server.as("coordinator", "/api/v1/clients/client_1/assignments", { body: { staff: "spec_1" } })).status).toBe(400)
  })
})
