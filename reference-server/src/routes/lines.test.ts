import { Directory, LineId, QueueId } from "@careline/core"
import { makeLine, makeQueue, phone } from "@careline/testkit"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { startTestServer, type TestServer, world } from "../testing/TestServer.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
  // A "Front desk" queue of front office and the coordinator, with its own line.
  const queue = makeQueue({ id: QueueId.make("queue_front"), organisationId: world.staff.admin.organisationId, name: "Front desk", members: [world.staff.frontOffice.id, world.staff.coordinator.id] })
  await server.runtime.runPromise(Directory.use((d) => d.putQueue(queue)))
  const line = makeLine({ id: LineId.make("line_queue"), organisationId: queue.organisationId, number: phone(9_000_005), owner: { _tag: "Queue", queueId: queue.id } })
  await server.runtime.runPromise(Directory.use((d) => d.putLine(line)))
})
afterEach(() => server.close())

const lineIds = async (who: Parameters<TestServer["as"]>[0]) =>
  ((await (await server.as(who, "/api/v1/lines")).json()) as { lines: ReadonlyArray<{ id: string }> }).lines.map((l) => l.id).sort()

describe("GET /api/v1/lines", () => {
  it("gives each staff member the lines they may use: their own, their queues', the organisation's for org-wide roles", async () => {
    expect(await lineIds("spec1")).toEqual(["line_spec_1"])
    expect(await lineIds("spec2")).toEqual(["line_spec_2"])
    expect(await lineIds("frontOffice")).toEqual(["line_org", "line_queue"])
    expect(await lineIds("coordinator")).toEqual(["line_org", "line_queue"])
    expect(await lineIds("admin")).toEqual(["line_org"])
    expect(await lineIds("adminB")).toEqual(["line_b"])
  })
})
