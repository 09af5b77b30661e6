import { createServer, type Server } from "node:http"
import { Cause, Effect, Exit, Option, Result, Schema } from "effect"
import { issueApiToken } from "../ApiTokens.js"
import { makeApp } from "../App.js"
import type { Config } from "../Config.js"
import { serverListener } from "../Listener.js"
import { databaseIsEmpty, demoAdminEmail, demoClientEmail, demoClientPassword, demoPassword, type DemoSeeded, seedDemoOrganisation } from "../DemoOrganisation.js"
import { Roster } from "../Roster.js"
import { makeRuntime, startDispatcher } from "../Runtime.js"
import { decodeOptions, type ParsedArgs, UsageError } from "./Arguments.js"
import { applyCrisisWords, findStaffByEmail } from "./Organisations.js"
import { type CommandContext, type Io } from "./Runner.js"
import { printDemo } from "./seedDemo.js"

export const usage = "serve [--demo]"

const Options = Schema.Struct({ demo: Schema.optional(Schema.Literals(["true"])) })

type DemoStart = { readonly _tag: "Seeded"; readonly seeded: DemoSeeded } | { readonly _tag: "Token"; readonly token: string | undefined }

/** `CRISIS_WORDS`, then with `--demo` the demo organisation on first start, else a fresh token of its admin. */
const prepare = (config: Config, demo: boolean) =>
  Effect.gen(function* () {
    const crisisWordsApplied = yield* applyCrisisWords(config.crisisWords)
    if (!demo) return { crisisWordsApplied, demo: undefined }
    if (yield* databaseIsEmpty) {
      return { crisisWordsApplied, demo: { _tag: "Seeded", seeded: yield* seedDemoOrganisation(config.crisisWords) } satisfies DemoStart }
    }
    for (const organisationId of yield* Roster.use((roster) => roster.organisationIds)) {
      const admin = yield* findStaffByEmail(organisationId, demoAdminEmail)
      if (Option.isSome(admin) && admin.value.active) {
        return { crisisWordsApplied, demo: { _tag: "Token", token: yield* issueApiToken(admin.value.id) } satisfies DemoStart }
      }
    }
    return { crisisWordsApplied, demo: { _tag: "Token", token: undefined } satisfies DemoStart }
  })

const printStarted = (io: Io, config: Config, port: number, token: string | undefined, demo: boolean) => {
  const local = `http://localhost:${port}`
  const base = config.publicBaseUrl ?? local
  io.out(`Careline is running at ${local}${config.publicBaseUrl === undefined ? "" : ` (public URL ${config.publicBaseUrl})`}.`)
  io.out(`  Sign in    ${local}/sign-in`)
  if (demo) io.out(`             as ${demoAdminEmail}, supervisor@, coordinator@, peer@, therapist@ or frontdesk@harbour.example, password "${demoPassword}"`)
  if (demo) io.out(`  Portal     ${local}/portal/sign-in  (play the client) as ${demoClientEmail}, password "${demoClientPassword}"`)
  if (config.sms.provider === "fake") io.out(`  Simulator  ${local}/simulator  (play the client's phone)`)
  if (config.sms.provider === "fake") io.out(`  Mailbox    ${local}/simulator/mail  (the emails Careline sent: invitations, notices)`)
  io.out(
    config.sms.provider === "fake"
      ? "SMS provider: fake (nothing leaves this machine)."
      : `SMS provider: Twilio${config.sms.handlesOptOut ? " (Advanced Opt-Out answers STOP/START/HELP)" : ""}.`
  )
  io.out(config.mail.transport === "smtp" ? `Email: SMTP, from ${config.mail.from}.` : "Email: captured (nothing leaves this machine).")
  io.out(`  JSON API   ${local}/api/v1  (send 'Authorization: Bearer <token>')`)
  io.out(
    config.sms.provider === "fake"
      ? `  Webhooks   POST ${local}/webhooks/fake/messages and ${local}/webhooks/fake/status (JSON, for the phone simulator)`
      : `  Webhooks   ${base}/webhooks/twilio/messages and ${base}/webhooks/twilio/status (set them on your Twilio numbers)`
  )
  io.out(`  Health     ${local}/healthz`)
  if (token !== undefined) io.out(`Try: curl -H "Authorization: Bearer ${token}" ${local}/api/v1/me`)
}

/** Resolves on the first SIGINT or SIGTERM. */
const shutdownSignal = () =>
  new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"))
    process.once("SIGTERM", () => resolve("SIGTERM"))
  })

/**
 * `careline serve`: migrates, applies `CRISIS_WORDS`, starts the outbox dispatcher and listens on
 * `PORT` until SIGINT/SIGTERM, then stops taking requests, lets the dispatcher finish its round and
 * closes the database. `--demo` (fake SMS only) seeds the demo organisation into an empty database
 * and prints a fresh API token of the demo admin.
 */
export const serve = async (args: ParsedArgs, context: CommandContext): Promise<number> => {
  const options = decodeOptions(Options, usage)(args)
  if (Result.isFailure(options)) throw options.failure
  const demo = options.success.demo === "true"
  const { config, io } = context
  if (demo && config.sms.provider !== "fake") {
    throw new UsageError({ problems: ["--demo seeds fictional people and numbers: use it with SMS_PROVIDER=fake only"], usage })
  }
  const runtime = makeRuntime(config, context.runtimeOptions ?? {})
  const prepared = await runtime.runPromiseExit(prepare(config, demo))
  if (Exit.isFailure(prepared)) {
    const error = Cause.findErrorOption(prepared.cause)
    io.err(`careline serve: could not start: ${Option.isSome(error) && error.value instanceof Error ? error.value.message : Cause.pretty(prepared.cause)}`)
    await runtime.dispose()
    return 1
  }
  const { crisisWordsApplied, demo: demoStart } = prepared.value
  if (crisisWordsApplied > 0) io.err(`Crisis words from CRISIS_WORDS applied to ${crisisWordsApplied} organisation(s).`)
  if (demoStart?._tag === "Seeded") printDemo(io, demoStart.seeded)
  const token = demoStart?._tag === "Seeded" ? demoStart.seeded.adminToken : demoStart?.token
  if (demoStart?._tag === "Token") {
    io.out(token === undefined ? `No active ${demoAdminEmail} here, so no demo token.` : `API token of the demo admin (new, shown once): ${token}`)
  }

  const dispatcher = startDispatcher(runtime)
  const app = makeApp(runtime)
  const listening = await new Promise<Server | Error>((resolve) => {
    const server = createServer(serverListener(runtime, app)).listen(config.port, () => resolve(server))
    server.once("error", (error) => resolve(error))
  })
  if (listening instanceof Error) {
    io.err(`careline serve: cannot listen on port ${config.port} (${listening.message}). Set PORT to a free port.`)
    await dispatcher.stop()
    await runtime.dispose()
    return 1
  }
  printStarted(io, config, config.port, token, demo)
  const signal = await shutdownSignal()
  io.err(`${signal}: stopping…`)
  const closed = new Promise<void>((resolve) => listening.close(() => resolve()))
  // Live-event streams never end on their own: end them, or close() would wait for them forever.
  listening.closeAllConnections()
  await closed
  await dispatcher.stop()
  await runtime.dispose()
  io.err("Stopped.")
  return 0
}
