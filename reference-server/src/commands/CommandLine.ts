import { Result } from "effect"
import { loadConfig } from "../Config.js"
import type { RuntimeOptions } from "../Runtime.js"
import { addLine, usage as addLineUsage } from "./addLine.js"
import { apiToken, revokeApiTokens, revokeUsage, usage as apiTokenUsage } from "./apiToken.js"
import { parseArgs, type ParsedArgs, UsageError } from "./Arguments.js"
import { audit, usage as auditUsage } from "./audit.js"
import { backup, usage as backupUsage } from "./backup.js"
import { createOrganisation, usage as createOrganisationUsage } from "./createOrganisation.js"
import { createStaff, usage as createStaffUsage } from "./createStaff.js"
import { migrate, usage as migrateUsage } from "./migrate.js"
import type { CommandContext, Io } from "./Runner.js"
import { seedDemo, usage as seedDemoUsage } from "./seedDemo.js"
import { serve, usage as serveUsage } from "./serve.js"

interface Command {
  readonly usage: string
  readonly summary: string
  readonly run: (args: ParsedArgs, context: CommandContext) => Promise<number>
}

const commands: Readonly<Record<string, Command>> = {
  serve: { usage: serveUsage, summary: "run the server (the default command)", run: serve },
  migrate: { usage: migrateUsage, summary: "create or upgrade the database", run: (_, context) => migrate(context) },
  "seed-demo": { usage: seedDemoUsage, summary: "fill an empty database with a demo organisation", run: seedDemo },
  "create-organisation": { usage: createOrganisationUsage, summary: "add an organisation (prints its id)", run: createOrganisation },
  "create-staff": { usage: createStaffUsage, summary: "add a staff member (prints their id)", run: createStaff },
  "api-token": { usage: apiTokenUsage, summary: "issue an API token (printed once)", run: apiToken },
  "revoke-api-tokens": { usage: revokeUsage, summary: "revoke every API token of a staff member", run: revokeApiTokens },
  "add-line": { usage: addLineUsage, summary: "add a phone number (prints the line's id)", run: addLine },
  backup: { usage: backupUsage, summary: "write a checked copy of the database", run: backup },
  audit: { usage: auditUsage, summary: "check that no audit event was changed, removed or inserted (hash chain)", run: audit }
}

const help = (io: Io) => {
  io.out("Careline — staff ↔ client SMS for care organisations. Settings come from the environment (see docs/twilio.md).")
  io.out("usage: careline <command> [options]")
  for (const command of Object.values(commands)) io.out(`  careline ${command.usage}\n      ${command.summary}`)
}

/**
 * Runs `careline <command> …` with settings from `env`; answers the exit code: 0 done, 1 failed
 * (the message says why), 2 the command line or the settings need fixing.
 *
 * @example
 * await runCommandLine(["create-staff", "--email", "sam@example.org", "--name", "Sam", "--role", "admin"], process.env, io)
 */
export const runCommandLine = async (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  runtimeOptions?: RuntimeOptions
): Promise<number> => {
  const [first, ...rest] = argv
  const name = first === undefined || first.startsWith("--") ? "serve" : first
  const args = first === undefined || first.startsWith("--") ? argv : rest
  if (name === "help" || args.includes("--help") || args.includes("-h")) {
    help(io)
    return 0
  }
  const command = commands[name]
  if (command === undefined) {
    io.err(`careline: there is no command "${name}". Commands: ${Object.keys(commands).join(", ")} (careline help).`)
    return 2
  }
  const config = loadConfig(env)
  if (Result.isFailure(config)) {
    io.err(config.failure.message)
    return 2
  }
  try {
    return await command.run(parseArgs(args), { config: config.success, io, ...(runtimeOptions === undefined ? {} : { runtimeOptions }) })
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.err(`careline ${name}: ${error.message}`)
    return 2
  }
}
