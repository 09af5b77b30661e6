import { Directory, Ids, StaffId, StaffRole } from "@careline/core"
import { Effect, Option, Result, Schema } from "effect"
import { decodeOptions, type ParsedArgs } from "./Arguments.js"
import { CommandFailed } from "./CommandFailed.js"
import { findStaffByEmail, organisationFor } from "./Organisations.js"
import { type CommandContext, runCommand } from "./Runner.js"

export const usage = "create-staff --email <email> --name <name> --role <specialist|coordinator|supervisor|admin|front_office> [--organisation <id>]"

export const Email = Schema.String.check(Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: "an email address, like sam@example.org" }))

const Options = Schema.Struct({
  email: Email,
  name: Schema.String.check(Schema.makeFilter((s: string) => s.trim().length > 0, { message: "the person's name" })),
  role: StaffRole,
  organisation: Schema.optional(Schema.String)
})

/** `careline create-staff`: adds an active staff member; prints their id. An email is used once per organisation. */
export const createStaff = (args: ParsedArgs, context: CommandContext) => {
  const options = decodeOptions(Options, usage)(args)
  if (Result.isFailure(options)) return Promise.reject(options.failure)
  const input = options.success
  return runCommand(
    "create-staff",
    context,
    Effect.gen(function* () {
      const organisationId = yield* organisationFor(input.organisation)
      if (Option.isSome(yield* findStaffByEmail(organisationId, input.email))) {
        return yield* new CommandFailed({ reason: `A staff member already has the email ${input.email}.` })
      }
      const id = StaffId.make(yield* Ids.use((ids) => ids.next("stf")))
      yield* Directory.use((d) =>
        d.putStaff({ id, organisationId, name: input.name.trim(), email: input.email, role: input.role, active: true }))
      return id
    }),
    (id) => context.io.out(id)
  )
}
