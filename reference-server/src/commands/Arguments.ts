import { Result, Schema } from "effect"
import { problemsOf } from "../SchemaProblems.js"

/** A command's arguments: positionals in order, and `--name value` / `--name=value` / `--flag` options. */
export interface ParsedArgs {
  readonly positionals: ReadonlyArray<string>
  readonly options: Readonly<Record<string, string>>
}

export const parseArgs = (argv: ReadonlyArray<string>): ParsedArgs => {
  const positionals: Array<string> = []
  const options: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith("--")) {
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf("=")
    if (eq > 0) {
      options[arg.slice(2, eq)] = arg.slice(eq + 1)
      continue
    }
    const next = argv[i + 1]
    // A flag without a value (e.g. --owner-org) reads as "true".
    if (next === undefined || next.startsWith("--")) options[arg.slice(2)] = "true"
    else {
      options[arg.slice(2)] = next
      i++
    }
  }
  return { positionals, options }
}

/** The command line is wrong; `problems` say what to fix, and the usage line how it goes. */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  problems: Schema.Array(Schema.String),
  usage: Schema.String
}) {
  override get message() {
    return [...this.problems, `usage: careline ${this.usage}`].join("\n")
  }
}

/** Decodes a command's options with `schema`, reporting every problem (unknown options too) as `--name: …`. */
export const decodeOptions = <A>(schema: Schema.ConstraintDecoder<A>, usage: string) => {
  const decode = Schema.decodeUnknownResult(schema, { errors: "all", onExcessProperty: "error" })
  return (args: ParsedArgs): Result.Result<A, UsageError> =>
    Result.mapError(decode(args.options), (error) =>
      new UsageError({
        problems: problemsOf(error, "the options").map((problem) => (problem.startsWith("the options") ? problem : `--${problem}`)),
        usage
      }))
}
