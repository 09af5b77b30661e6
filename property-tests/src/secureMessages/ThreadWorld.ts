import { FakeSms } from "@careline/adapter-fake-sms"
import { MemoryBlobStore, MemoryNotifier, NotificationLog, SequentialIds } from "@careline/adapter-memory"
import {
  AuditLog,
  BlobId,
  BlobStore,
  type ChartNote,
  ChartSink,
  ChartSinkFailed,
  type Client,
  type ClientId,
  Directory,
  type Ids,
  type Notifier,
  type PortalActor,
  type Staff,
  type StaffId,
  type StoredFile,
  type Stores
} from "@careline/core"
import { T0 } from "@careline/testkit"
import { Context, Effect, type Exit, Layer, ManagedRuntime, Option, Ref } from "effect"
import { TestClock } from "effect/testing"
import { createHash } from "node:crypto"
import { clients as clientIds, org, seedScenario, staff } from "../Scenario.js"
import { freshStores } from "../StoresUnderTest.js"

/** The notes a recording `ChartSink` received, and a switch that makes it fail. */
export class ChartLog extends Context.Service<ChartLog, {
  readonly notes: Effect.Effect<ReadonlyArray<ChartNote>>
  readonly setFailing: (failing: boolean) => Effect.Effect<void>
}>()("@careline/property-tests/ChartLog") {}

const recordingChart = Layer.effectContext(Effect.gen(function* () {
  const notes = yield* Ref.make<ReadonlyArray<ChartNote>>([])
  const failing = yield* Ref.make(false)
  const sink = ChartSink.of({
    record: (note) =>
      Effect.flatMap(Ref.get(failing), (fail) =>
        fail ? Effect.fail(new ChartSinkFailed({ reason: "the EHR did not answer" })) : Ref.update(notes, (all) => [...all, note]))
  })
  return Context.make(ChartSink, sink).pipe(Context.add(ChartLog, ChartLog.of({ notes: Ref.get(notes), setFailing: (f) => Ref.set(failing, f) })))
}))

export type ThreadWorldServices = Stores | Ids | Notifier | NotificationLog | BlobStore | ChartSink | ChartLog | TestClock.TestClock

export interface ThreadWorld {
  readonly run: <A, E>(effect: Effect.Effect<A, E, ThreadWorldServices>) => Promise<A>
  readonly exit: <A, E>(effect: Effect.Effect<A, E, ThreadWorldServices>) => Promise<Exit.Exit<A, E>>
  readonly dispose: () => Promise<void>
}

/**
 * The model-suites' organisation (`Scenario.ts`, spec1 assigned to client 1) with portal threads,
 * an in-memory `BlobStore` and a recording `ChartSink`, over the stores given (by default fresh stores
 * of the kind under test: memory or libSQL).
 */
export const makeThreadWorld = async (
  storesLayer: Layer.Layer<Stores, unknown> = freshStores()
): Promise<ThreadWorld> => {
  const runtime = ManagedRuntime.make(Layer.mergeAll(
    Layer.orDie(storesLayer),
    SequentialIds.layer,
    MemoryNotifier.layerWithLog,
    FakeSms.layer,
    TestClock.layer(),
    MemoryBlobStore.layer,
    recordingChart
  ))
  await runtime.runPromise(Effect.gen(function* () {
    yield* TestClock.setTime(T0)
    yield* seedScenario
    yield* Directory.use((d) => d.startAssignment({ staffId: staff.spec1, clientId: clientIds[0], from: T0 }))
  }))
  return { run: (e) => runtime.runPromise(e), exit: (e) => runtime.runPromiseExit(e), dispose: () => runtime.dispose() }
}

export const staffActor = (id: StaffId) =>
  Effect.map(Directory.use((d) => d.getStaff(id)), (s): PortalActor => ({ _tag: "Staff", staff: Option.getOrThrow(s) as Staff }))

export const clientActor = (id: ClientId) =>
  Effect.map(Directory.use((d) => d.getClient(id)), (c): PortalActor => ({ _tag: "Client", client: Option.getOrThrow(c) as Client }))

export const setClientActive = (id: ClientId, active: boolean) => Directory.use((d) => d.updateClient(id, (c) => ({ ...c, active })))

/** Stores the bytes under a new blob and describes them as an upload would. */
export const upload = (n: number, text: string) =>
  Effect.gen(function* () {
    const bytes = new TextEncoder().encode(text)
    const file: StoredFile = {
      blobId: BlobId.make(`blob_upload_${n}`),
      name: `letter-${n}.txt`,
      contentType: "text/plain",
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex")
    }
    yield* BlobStore.use((b) => b.put(file.blobId, bytes))
    return file
  })

export const blobExists = (id: StoredFile["blobId"]) => Effect.map(BlobStore.use((b) => b.get(id)), Option.isSome)

export const auditTrail = AuditLog.use((log) => log.list(org, {}))
export const portalNotifications = Effect.map(NotificationLog.use((log) => log.all), (all) => all.filter((n) => n._tag === "PortalActivity"))
