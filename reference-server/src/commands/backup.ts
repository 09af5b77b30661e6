import { backup as backupDatabase, LibsqlDatabase } from "@careline/adapter-libsql"
import { Effect } from "effect"
import { type ParsedArgs, UsageError } from "./Arguments.js"
import { type CommandContext, runCommand } from "./Runner.js"

export const usage = "backup <file>"

/** `careline backup <file>`: a consistent, checked copy of the database (encrypted with the same key). */
export const backup = (args: ParsedArgs, context: CommandContext) => {
  const [file, ...rest] = args.positionals
  if (file === undefined || rest.length > 0 || Object.keys(args.options).length > 0) {
    return Promise.reject(new UsageError({ problems: ["name one file to write the backup to, e.g. careline backup ./backups/careline-2024-05-01.db"], usage }))
  }
  return runCommand("backup", context, LibsqlDatabase.use((db) => Effect.as(backupDatabase(db, file), file)), (path) =>
    context.io.out(`Backup written to ${path} and checked (integrity_check: ok).`))
}
