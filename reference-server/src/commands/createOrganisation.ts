import { defaultTemplates, Directory, Ids, OrganisationId, TimeZone } from "@careline/core"
import { Effect, Result, Schema } from "effect"
import { type ParsedArgs, decodeOptions } from "./Arguments.js"
import { type CommandContext, runCommand } from "./Runner.js"

export const usage = "create-organisation --name <name> [--time-zone <IANA zone, e.g. America/Chicago>]"

const Options = Schema.Struct({
  name: Schema.String.check(Schema.makeFilter((s: string) => s.trim().length > 0, { message: "the organisation's name" })),
  "time-zone": Schema.optional(TimeZone)
})

/** `careline create-organisation`: an organisation open Monday to Friday, 9:00–17:00, with the default texts. Prints its id. */
export const createOrganisation = (args: ParsedArgs, context: CommandContext) => {
  const options = decodeOptions(Options, usage)(args)
  if (Result.isFailure(options)) return Promise.reject(options.failure)
  const { name, "time-zone": timeZone = "UTC" } = options.success
  return runCommand(
    "create-organisation",
    context,
    Effect.gen(function* () {
      const id = OrganisationId.make(yield* Ids.use((ids) => ids.next("org")))
      yield* Directory.use((d) =>
        d.putOrganisation({
          id,
          name: name.trim(),
          businessHours: {
            timeZone,
            weekly: (["mon", "tue", "wed", "thu", "fri"] as const).map((day) => ({ day, opens: "09:00", closes: "17:00" })),
            holidays: []
          },
          templates: defaultTemplates(name.trim()),
          ...(context.config.crisisWords === undefined ? {} : { crisisWords: context.config.crisisWords })
        }))
      return id
    }),
    (id) => context.io.out(id)
  )
}
