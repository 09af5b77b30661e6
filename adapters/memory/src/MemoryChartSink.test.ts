import { ChartSink, ClientId, OrganisationId, StaffId } from "@careline/core"
import { runWith } from "@careline/testkit"
import { Effect } from "effect"
import { expect, it } from "vitest"
import { ChartedNotes, layer } from "./MemoryChartSink.js"

it("keeps every recorded note, oldest first, for ChartedNotes to read back", () =>
  runWith(layer)(Effect.gen(function* () {
    const sink = yield* ChartSink
    const note = { organisationId: OrganisationId.make("org_1"), clientId: ClientId.make("client_1"), author: StaffId.make("staff_1"), text: "one", at: 1 }
    yield* sink.record(note)
    yield* sink.record({ ...note, text: "two", at: 2 })
    expect((yield* ChartedNotes.use((chart) => chart.all)).map((n) => n.text)).toEqual(["one", "two"])
  })))
