import { LibsqlDatabase, verifyAuditChain } from "@careline/adapter-libsql"
import { Effect } from "effect"
import { type ParsedArgs, UsageError } from "./Arguments.js"
import { CommandFailed } from "./CommandFailed.js"
import { type CommandContext, runCommand } from "./Runner.js"

export const usage = "audit verify"

/**
 * `careline audit verify`: recomputes the audit log's hash chain. Exit 0 when every row is intact;
 * exit 1 naming the first row where it breaks (a row changed, removed or inserted by hand).
 */
export const audit = (args: ParsedArgs, context: CommandContext) => {
  if (args.positionals.join(" ") !== "verify" || Object.keys(args.options).length > 0) {
    return Promise.reject(new UsageError({ problems: ["the only audit command is: careline audit verify"], usage }))
  }
  return runCommand(
    "audit verify",
    context,
    Effect.gen(function* () {
      const report = yield* verifyAuditChain(yield* LibsqlDatabase)
      if (report._tag === "Broken") {
        return yield* new CommandFailed({ reason: `the audit log was tampered with at row ${report.seq} (event ${report.id}): ${report.reason}.` })
      }
      return report
    }),
    (report) =>
      context.io.out(
        `Audit log intact: ${report.chained} event(s) chained${report.unchained === 0 ? "" : `, ${report.unchained} older event(s) from before the chain`}.`
      )
  )
}
