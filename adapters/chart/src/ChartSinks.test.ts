import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type ChartNote, ChartSink, ClientId, OrganisationId, StaffId } from "@careline/core"
import { Effect, Redacted } from "effect"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import * as FhirChartSink from "./FhirChartSink.js"
import * as WebhookChartSink from "./WebhookChartSink.js"

const note: ChartNote = {
  organisationId: OrganisationId.make("org_1"),
  clientId: ClientId.make("client_7"),
  author: StaffId.make("staff_3"),
  text: "Casey confirmed Tuesday 3pm.\n\"Thanks!\" <b>not markup</b>",
  at: Date.UTC(2026, 0, 15, 9, 30)
}

const record = (sink: ChartSink["Service"]) => Effect.runPromise(Effect.result(sink.record(note)))

/** What every FHIR R4 Communication Careline writes must look like. */
const expectCommunication = (resource: Record<string, unknown>) => {
  expect(resource).toMatchObject({
    resourceType: "Communication",
    status: "completed",
    subject: { reference: "Patient/client_7" },
    sender: { reference: "Practitioner/staff_3" },
    sent: "2026-01-15T09:30:00.000Z",
    payload: [{ contentString: note.text }]
  })
  expect(resource["id"]).toMatch(/^[A-Za-z0-9\-.]{1,64}$/)
  expect(resource["identifier"]).toEqual([{ system: "urn:careline:chart-note", value: `org_1/${String(resource["id"])}` }])
}

describe("FhirChartSink", () => {
  const root = mkdtempSync(join(tmpdir(), "careline-chart-"))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it("writes one R4 Communication JSON file a note, owner-readable only", async () => {
    const directory = join(root, "fhir")
    const sink = await Effect.runPromise(FhirChartSink.make({ directory }))
    expect((await record(sink))._tag).toBe("Success")
    expect((await record(sink))._tag).toBe("Success")
    const files = readdirSync(directory)
    expect(files).toHaveLength(2)
    for (const file of files) {
      expect(file).toMatch(/^Communication-[0-9a-f-]{36}\.json$/)
      const resource = JSON.parse(readFileSync(join(directory, file), "utf8")) as Record<string, unknown>
      expectCommunication(resource)
      expect(file).toBe(`Communication-${String(resource["id"])}.json`)
    }
  })

  it("refuses to start when the directory cannot be created", async () => {
    const blocker = join(root, "a-file")
    writeFileSync(blocker, "x")
    const error = await Effect.runPromise(Effect.flip(FhirChartSink.make({ directory: join(blocker, "chart") })))
    expect(error._tag).toBe("ChartDirectoryUnusable")
    expect(error.message).toContain("CHART_FHIR_DIR")
  })
})

describe("WebhookChartSink (a real local HTTP server)", () => {
  let server: Server
  let url: string
  const received: Array<{ readonly headers: IncomingMessage["headers"]; readonly method: string | undefined; readonly body: string }> = []
  let answerWith = 201
  let delay = 0

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = ""
      request.setEncoding("utf8")
      request.on("data", (chunk: string) => (body += chunk))
      request.on("end", () => {
        received.push({ headers: request.headers, method: request.method, body })
        setTimeout(() => response.writeHead(answerWith, { "content-type": "application/json" }).end("{}"), delay)
      })
    })
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ehr/careline`
  })
  afterAll(() => new Promise<void>((done) => server.close(() => done())))
  afterEach(() => {
    received.length = 0
    answerWith = 201
    delay = 0
  })

  it("POSTs the note as an R4 Communication with the bearer secret", async () => {
    const sink = WebhookChartSink.make({ url, secret: Redacted.make("ehr-shared-secret") })
    expect((await record(sink))._tag).toBe("Success")
    expect(received).toHaveLength(1)
    expect(received[0]!.method).toBe("POST")
    expect(received[0]!.headers["content-type"]).toBe("application/fhir+json")
    expect(received[0]!.headers["authorization"]).toBe("Bearer ehr-shared-secret")
    expectCommunication(JSON.parse(received[0]!.body) as Record<string, unknown>)
  })

  it("sends no authorization without a secret", async () => {
    await record(WebhookChartSink.make({ url }))
    expect(received[0]!.headers["authorization"]).toBeUndefined()
  })

  it("a non-2xx answer is ChartSinkFailed naming the status only", async () => {
    answerWith = 500
    const result = await record(WebhookChartSink.make({ url }))
    expect(result._tag === "Failure" && result.failure).toMatchObject({ _tag: "ChartSinkFailed", reason: "The clinical record system answered 500." })
    expect(JSON.stringify(result)).not.toContain("Casey")
  })

  it("an unreachable or slow EHR is ChartSinkFailed", async () => {
    const closed = createServer()
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((done) => closed.close(() => done()))
    const unreachable = await record(WebhookChartSink.make({ url: `http://127.0.0.1:${port}/` }))
    expect(unreachable._tag === "Failure" && unreachable.failure.reason).toBe("The clinical record system could not be reached.")

    delay = 500
    const slow = await record(WebhookChartSink.make({ url, timeoutMillis: 100 }))
    expect(slow._tag === "Failure" && slow.failure.reason).toBe("The clinical record system could not be reached.")
  })
})
