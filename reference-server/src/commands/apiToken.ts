import { Credentials } from "@careline/core"
import { Clock, Effect, Result, Schema } from "effect"
import { issueApiToken } from "../ApiTokens.js"
import { decodeOptions, type ParsedArgs } from "./Arguments.js"
import { CommandFailed } from "./CommandFailed.js"
import { Email } from "./createStaff.js"
import { organisationFor, requireStaffByEmail } from "./Organisations.js"
import { type CommandContext, runCommand } from "./Runner.js"

export const usage = "api-token --email <email> [--organisation <id>]"
export const revokeUsage = "revoke-api-tokens --email <email> [--organisation <id>]"

const Options = Schema.Struct({ email: Email, organisation: Schema.optional(Schema.String) })

/** `careline api-token`: a new API token for an active staff member, printed once (only its hash is kept). */
export const apiToken = (args: ParsedArgs, context: CommandContext) => {
  const options = decodeOptions(Options, usage)(args)
  if (Result.isFailure(options)) return Promise.reject(options.failure)
  const input = options.success
  return runCommand(
    "api-token",
    context,
    Effect.gen(function* () {
      const staff = yield* requireStaffByEmail(yield* organisationFor(input.organisation), input.email)
      if (!staff.active) return yield* new CommandFailed({ reason: `${input.email} is deactivated; a token would not work.` })
      return yield* issueApiToken(staff.id)
    }),
    (token) => {
      context.io.out(token)
      context.io.err("Keep it now: Careline stores only its hash and cannot show it again. Send it as 'Authorization: Bearer <token>'.")
    }
  )
}

/** `careline revoke-api-tokens`: ends every API token of a staff member (e.g. when they leave). */
export const revokeApiTokens = (args: ParsedArgs, context: CommandContext) => {
  const options = decodeOptions(Options, revokeUsage)(args)
  if (Result.isFailure(options)) return Promise.reject(options.failure)
  const input = options.success
  return runCommand(
    "revoke-api-tokens",
    context,
    Effect.gen(function* () {
      const staff = yield* requireStaffByEmail(yield* organisationFor(input.organisation), input.email)
      const now = yield* Clock.currentTimeMillis
      return yield* Credentials.use((c) => c.revokeApiTokens(staff.id, now))
    }),
    (count) => context.io.out(`Revoked ${count} API token${count === 1 ? "" : "s"} of ${input.email}.`)
  )
}
