import { LibsqlDatabase } from "@careline/adapter-libsql"
import { Effect } from "effect"
import { type CommandContext, runCommand } from "./Runner.js"

export const usage = "migrate"

/** `careline migrate`: opens the database (creating it if need be) and applies every migration. */
export const migrate = (context: CommandContext) =>
  runCommand("migrate", context, LibsqlDatabase.use((db) => Effect.succeed(db.url)), (url) =>
    context.io.out(`The database at ${url} is up to date: every migration is applied.`))
