import { Cause, Effect, Exit, Option } from "effect"
import type { Config } from "../Config.js"
import { makeRuntime, type RuntimeOptions, type ServerServices } from "../Runtime.js"

/** Where a command writes: results to `out`, notes and errors to `err`. */
export interface Io {
  readonly out: (line: string) => void
  readonly err: (line: string) => void
}

export interface CommandContext {
  readonly config: Config
  readonly io: Io
  readonly runtimeOptions?: RuntimeOptions
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * Runs a command's Effect on a runtime over the configured database, closed afterwards. A failure is
 * printed as its message (they say what to fix) and exits 1; a defect prints its cause.
 */
export const runCommand = async <A, E>(
  name: string,
  context: CommandContext,
  effect: Effect.Effect<A, E, ServerServices>,
  report: (value: A) => void
): Promise<number> => {
  const runtime = makeRuntime(context.config, context.runtimeOptions ?? {})
  try {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) {
      report(exit.value)
      return 0
    }
    const error = Cause.findErrorOption(exit.cause)
    context.io.err(`careline ${name}: ${Option.isSome(error) ? messageOf(error.value) : Cause.pretty(exit.cause)}`)
    return 1
  } finally {
    await runtime.dispose()
  }
}
