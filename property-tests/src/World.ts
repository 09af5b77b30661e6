import { FakeSms, type FakeSmsControl } from "@careline/adapter-fake-sms"
import { MemoryNotifier, SequentialIds } from "@careline/adapter-memory"
import type { Ids, Notifier } from "@careline/core"
import { makeOutboxDispatcher } from "@careline/core"
import { Clock, Effect, Exit, Layer, ManagedRuntime, Option } from "effect"
import { TestClock } from "effect/testing"
import { T0 } from "@careline/testkit"
import type { NotificationLog } from "@careline/adapter-memory"
import type { SmsProvider, Stores } from "@careline/core"
import { freshStores } from "./StoresUnderTest.js"

export type WorldServices =
  | Stores
  | Ids
  | Notifier
  | NotificationLog
  | SmsProvider
  | FakeSmsControl
  | TestClock.TestClock

/** Every port wired to its in-memory adapter, with a test clock: the system under test. */
export const worldLayer = (storesLayer: Layer.Layer<Stores, unknown>) =>
  Layer.mergeAll(Layer.orDie(storesLayer), SequentialIds.layer, MemoryNotifier.layerWithLog, FakeSms.layer, TestClock.layer())

/** One fresh system per property run: its runtime, its outbox dispatcher and a way to drain the outbox. */
export interface World {
  readonly run: <A, E>(effect: Effect.Effect<A, E, WorldServices>) => Promise<A>
  readonly exit: <A, E>(effect: Effect.Effect<A, E, WorldServices>) => Promise<Exit.Exit<A, E>>
  /** Hands every queued text to the provider, letting virtual time pass for line rates and retries. */
  readonly drainOutbox: () => Promise<void>
  readonly now: () => Promise<number>
  readonly dispose: () => Promise<void>
}

export const makeWorld = async (
  seed: Effect.Effect<void, unknown, WorldServices>,
  storesLayer: Layer.Layer<Stores, unknown> = freshStores()
): Promise<World> => {
  const runtime = ManagedRuntime.make(worldLayer(storesLayer))
  await runtime.runPromise(Effect.andThen(TestClock.setTime(T0), seed))
  const dispatcher = await runtime.runPromise(makeOutboxDispatcher)
  const run = <A, E>(effect: Effect.Effect<A, E, WorldServices>) => runtime.runPromise(effect)
  return {
    run,
    exit: (effect) => runtime.runPromiseExit(effect),
    drainOutbox: () =>
      run(Effect.gen(function* () {
        for (let round = 0; round < 1_000; round++) {
          const report = yield* dispatcher.dispatchDue(1_000)
          if (report.deferred + report.retrying === 0 && report.sent + report.failed + report.refused + report.unknown === 0) return
          yield* TestClock.adjust("1 second")
        }
        return yield* Effect.die(new Error("outbox did not drain in 1,000 rounds"))
      })).then(() => undefined),
    now: () => run(Clock.currentTimeMillis),
    dispose: () => runtime.dispose()
  }
}

/** Fast-check's run count: 200 by default, `FC_NUM_RUNS` to raise it. */
export const numRuns = (): number => Number(process.env.FC_NUM_RUNS ?? 200)

/** The `_tag` of the typed error an Effect failed with, or "ok" when it succeeded. */
export const outcomeTag = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>): string =>
  Exit.isSuccess(exit) ? "ok" : Option.match(Exit.findErrorOption(exit), { onNone: () => "defect", onSome: (e) => e._tag })
