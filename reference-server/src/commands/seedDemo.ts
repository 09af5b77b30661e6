import { Effect } from "effect"
import { type DemoSeeded, databaseIsEmpty, demoClientEmail, demoClientPassword, demoPassword, seedDemoOrganisation } from "../DemoOrganisation.js"
import { type ParsedArgs, UsageError } from "./Arguments.js"
import { CommandFailed } from "./CommandFailed.js"
import type { Io } from "./Runner.js"
import { type CommandContext, runCommand } from "./Runner.js"

export const usage = "seed-demo"

/** Prints who the demo organisation has, and the admin's token. */
export const printDemo = (io: Io, seeded: DemoSeeded) => {
  io.out(`Demo organisation "${seeded.organisation.name}" (${seeded.organisation.id}) with ${seeded.clients} clients and ${seeded.lines.length} lines.`)
  io.out(`Staff (each signs in with the password "${demoPassword}"):`)
  for (const staff of seeded.staff) io.out(`  ${staff.role.padEnd(12)} ${staff.name.padEnd(18)} ${(staff.email ?? "").padEnd(28)} ${staff.id}`)
  io.out(`Client portal (/portal/sign-in): Hana Silva, ${demoClientEmail}, password "${demoClientPassword}"`)
  io.out(`API token of the demo admin (shown once): ${seeded.adminToken}`)
}

/** `careline seed-demo`: fills an empty database with a demo organisation (fictional people and numbers). */
export const seedDemo = (args: ParsedArgs, context: CommandContext) => {
  if (args.positionals.length > 0 || Object.keys(args.options).length > 0) {
    return Promise.reject(new UsageError({ problems: ["seed-demo takes no arguments"], usage }))
  }
  return runCommand(
    "seed-demo",
    context,
    Effect.gen(function* () {
      if (!(yield* databaseIsEmpty)) {
        return yield* new CommandFailed({ reason: "The database already has an organisation; seed-demo only fills an empty database." })
      }
      return yield* seedDemoOrganisation(context.config.crisisWords)
    }),
    (seeded) => printDemo(context.io, seeded)
  )
}
