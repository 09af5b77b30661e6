import { Directory, Ids, type Line, LineId, PhoneNumber, type Queue, QueueId } from "@careline/core"
import { Effect, Option, Result, Schema } from "effect"
import { decodeOptions, type ParsedArgs } from "./Arguments.js"
import { CommandFailed } from "./CommandFailed.js"
import { Email } from "./createStaff.js"
import { organisationFor, requireStaffByEmail } from "./Organisations.js"
import { type CommandContext, runCommand } from "./Runner.js"

export const usage =
  "add-line --number <+E.164> (--owner-staff <email> | --owner-org | --queue <name> [--members <email,…>]) [--rate <texts per second>] [--organisation <id>]"

const Options = Schema.Struct({
  number: PhoneNumber,
  "owner-staff": Schema.optional(Email),
  "owner-org": Schema.optional(Schema.Literals(["true"])),
  queue: Schema.optional(Schema.String.check(Schema.makeFilter((s: string) => s.trim().length > 0, { message: "the queue's name" }))),
  members: Schema.optional(Schema.String),
  rate: Schema.optional(
    Schema.String.check(
      Schema.makeFilter((s: string) => /^\d+(\.\d+)?$/.test(s) && Number(s) > 0 && Number(s) <= 1000, {
        message: "texts per second above 0: 1 for a long code, 3 for toll-free, 100 for a short code"
      })
    )
  ),
  organisation: Schema.optional(Schema.String)
}).check(
  Schema.makeFilter((o) => {
    const owners = [o["owner-staff"], o["owner-org"], o.queue].filter((x) => x !== undefined).length
    if (owners !== 1) return "say who owns the line with exactly one of --owner-staff <email>, --owner-org or --queue <name>"
    if (o.members !== undefined && o.queue === undefined) return "--members goes with --queue"
    return true
  })
)

/** The queue with this name (any case), created with `members` (emails) if there is none yet. */
const queueNamed = (organisationId: Line["organisationId"], name: string, members: string | undefined) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    const existing = (yield* directory.listQueues(organisationId)).find((q) => q.name.toLowerCase() === name.trim().toLowerCase())
    if (existing !== undefined) {
      if (members !== undefined) {
        return yield* new CommandFailed({ reason: `The queue ${existing.name} already exists; --members only sets the members of a new queue.` })
      }
      return { queue: existing, created: false }
    }
    const emails = (members ?? "").split(",").map((e) => e.trim()).filter((e) => e.length > 0)
    const staff = yield* Effect.forEach(emails, (email) => requireStaffByEmail(organisationId, email))
    const queue: Queue = {
      id: QueueId.make(yield* Ids.use((ids) => ids.next("que"))),
      organisationId,
      name: name.trim(),
      members: [...new Set(staff.map((s) => s.id))]
    }
    yield* directory.putQueue(queue)
    return { queue, created: true }
  })

/**
 * `careline add-line`: a number the organisation holds at the provider, owned by a staff member, the
 * organisation or a queue (created if new). `--rate` is the number's carrier throughput (default 1/s,
 * a long code). Prints the line's id.
 */
export const addLine = (args: ParsedArgs, context: CommandContext) => {
  const options = decodeOptions(Options, usage)(args)
  if (Result.isFailure(options)) return Promise.reject(options.failure)
  const input = options.success
  return runCommand(
    "add-line",
    context,
    Effect.gen(function* () {
      const organisationId = yield* organisationFor(input.organisation)
      const directory = yield* Directory
      const taken = yield* directory.findLineByNumber(input.number)
      if (Option.isSome(taken)) return yield* new CommandFailed({ reason: `${input.number} is already a line (${taken.value.id}).` })
      let note: string | undefined
      let owner: Line["owner"] = { _tag: "Organisation" }
      if (input["owner-staff"] !== undefined) {
        owner = { _tag: "Staff", staffId: (yield* requireStaffByEmail(organisationId, input["owner-staff"])).id }
      } else if (input.queue !== undefined) {
        const { queue, created } = yield* queueNamed(organisationId, input.queue, input.members)
        owner = { _tag: "Queue", queueId: queue.id }
        if (created) note = `Created the queue ${queue.name} with ${queue.members.length} member${queue.members.length === 1 ? "" : "s"}.`
      }
      const line: Line = {
        id: LineId.make(yield* Ids.use((ids) => ids.next("lin"))),
        organisationId,
        number: input.number,
        owner,
        ratePerSecond: input.rate === undefined ? 1 : Number(input.rate)
      }
      yield* directory.putLine(line)
      return { id: line.id, note }
    }),
    ({ id, note }) => {
      context.io.out(id)
      if (note !== undefined) context.io.err(note)
    }
  )
}
