import { Directory, type OrganisationId, type Staff } from "@careline/core"
import { Effect, Option } from "effect"
import { Roster } from "../Roster.js"
import { CommandFailed } from "./CommandFailed.js"

/**
 * The organisation a command acts on: the one named by `--organisation`, or the only one there is.
 * A self-hosted server usually holds exactly one.
 */
export const organisationFor = (named: string | undefined) =>
  Effect.gen(function* () {
    const ids = yield* Roster.use((roster) => roster.organisationIds)
    if (named !== undefined) {
      const found = ids.find((id) => id === named)
      if (found !== undefined) return found
      return yield* new CommandFailed({ reason: `There is no organisation ${named}. Organisations: ${ids.join(", ") || "none"}.` })
    }
    if (ids[0] === undefined) {
      return yield* new CommandFailed({
        reason: "There is no organisation yet: run `careline create-organisation --name <name>` first (or `careline seed-demo` to try Careline)."
      })
    }
    if (ids.length > 1) {
      return yield* new CommandFailed({ reason: `There are ${ids.length} organisations; say which with --organisation <id>: ${ids.join(", ")}.` })
    }
    return ids[0]
  })

const sameEmail = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase()

/** The staff member of the organisation with this email (any case), if there is one. */
export const findStaffByEmail = (organisationId: OrganisationId, email: string) =>
  Effect.map(Directory.use((d) => d.listStaff(organisationId)), (staff) => Option.fromUndefinedOr(staff.find((s) => sameEmail(s.email, email))))

/** The staff member with this email, or a failure saying there is none. */
export const requireStaffByEmail = (organisationId: OrganisationId, email: string) =>
  Effect.flatMap(findStaffByEmail(organisationId, email), (found) =>
    Option.match(found, {
      onNone: () => Effect.fail(new CommandFailed({ reason: `No staff member has the email ${email}. Create one with \`careline create-staff\`.` })),
      onSome: (staff: Staff) => Effect.succeed(staff)
    }))

/**
 * With `CRISIS_WORDS` set, every organisation's crisis words become that list (the environment is
 * the deployment's configuration); unset, each keeps its own. Answers how many were changed.
 */
export const applyCrisisWords = (crisisWords: ReadonlyArray<string> | undefined) =>
  Effect.gen(function* () {
    if (crisisWords === undefined) return 0
    const directory = yield* Directory
    let changed = 0
    for (const id of yield* Roster.use((roster) => roster.organisationIds)) {
      const organisation = yield* directory.getOrganisation(id)
      if (Option.isNone(organisation)) continue
      yield* directory.putOrganisation({ ...organisation.value, crisisWords })
      changed += 1
    }
    return changed
  })
