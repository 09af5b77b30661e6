import { Context, Redacted, Result, Schema } from "effect"
import { attachmentProblems, type BlobConfig, blobConfigOf, type ChartConfig, chartConfigOf } from "./AttachmentConfig.js"
import { problemsOf } from "./SchemaProblems.js"

const nonEmpty = (what: string) => Schema.String.check(Schema.isNonEmpty({ message: `${what}; it is empty` }))

const isHttpUrl = (s: string): boolean => {
  try {
    const url = new URL(s)
    return (url.protocol === "https:" || url.protocol === "http:") && url.search === "" && url.hash === ""
  } catch {
    return false
  }
}
const HttpUrl = (example: string) =>
  Schema.String.check(Schema.makeFilter(isHttpUrl, { message: `an http(s) URL without query or fragment, like ${example}` }))

const isSmtpUrl = (s: string): boolean => {
  try {
    const url = new URL(s)
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== ""
  } catch {
    return false
  }
}

const address = /^[^\s@<>"]+@[^\s@<>"]+\.?[^\s@<>"]*$/
/** `addr@host` or `Name <addr@host>`, on one line. */
const isMailFrom = (s: string): boolean => {
  if (/[\r\n\0]/.test(s)) return false
  const named = /^[^<>"]*<([^<>]+)>$/.exec(s.trim())
  return address.test(named === null ? s.trim() : named[1]!)
}

const booleanWords = ["true", "false", "1", "0", "yes", "no"] as const

/** The environment variables Careline reads, each checked on its own; combinations are checked after. */
const Environment = Schema.Struct({
  PORT: Schema.optional(
    Schema.String.check(
      Schema.makeFilter((s: string) => /^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65_535, {
        message: "a port number from 1 to 65535"
      })
    )
  ),
  DATABASE_URL: Schema.optional(
    Schema.String.check(
      Schema.isPattern(/^(file:|libsql:|https?:|wss?:|:memory:$)/, {
        message: 'a libSQL URL: "file:./data/careline.db", "libsql://…", "https://…" or ":memory:"'
      })
    )
  ),
  DATABASE_AUTH_TOKEN: Schema.optional(nonEmpty("the remote database's token")),
  DATABASE_ENCRYPTION_KEY: Schema.optional(nonEmpty("the key that encrypts the database file")),
  SMS_PROVIDER: Schema.optional(Schema.Literals(["fake", "twilio"])),
  TWILIO_ACCOUNT_SID: Schema.optional(
    Schema.String.check(
      Schema.isPattern(/^AC[0-9a-fA-F]{32}$/, { message: "a Twilio Account SID: \"AC\" then 32 hex characters, as shown in the Twilio Console" })
    )
  ),
  TWILIO_AUTH_TOKEN: Schema.optional(nonEmpty("the account's Auth Token from the Twilio Console")),
  TWILIO_AUTH_TOKEN_SECONDARY: Schema.optional(nonEmpty("the secondary Auth Token, while rotating")),
  TWILIO_API_BASE_URL: Schema.optional(HttpUrl("https://api.twilio.com")),
  PUBLIC_BASE_URL: Schema.optional(HttpUrl("https://careline.example.org")),
  TWILIO_HANDLES_OPT_OUT: Schema.optional(
    Schema.String.check(
      Schema.makeFilter((s: string) => (booleanWords as ReadonlyArray<string>).includes(s.toLowerCase()), {
        message: "true or false"
      })
    )
  ),
  CRISIS_WORDS: Schema.optional(Schema.String),
  BLOB_DIRECTORY: Schema.optional(nonEmpty("the directory attachments are stored in")),
  CHART_WEBHOOK_URL: Schema.optional(HttpUrl("https://ehr.example.org/careline")),
  CHART_WEBHOOK_SECRET: Schema.optional(nonEmpty("the secret sent to the clinical record webhook")),
  CHART_FHIR_DIR: Schema.optional(nonEmpty("the directory FHIR notes are written to")),
  SMTP_URL: Schema.optional(
    Schema.String.check(
      Schema.makeFilter(isSmtpUrl, { message: "an SMTP URL like smtp://user:password@mail.example.org:587 or smtps://mail.example.org:465" })
    )
  ),
  MAIL_FROM: Schema.optional(
    Schema.String.check(
      Schema.makeFilter(isMailFrom, { message: "the sender's email address, like careline@example.org or Careline <careline@example.org>" })
    )
  )
})
type Environment = typeof Environment.Type

/** How Careline sends email: captured in memory (the demo's `/simulator/mail`; nothing leaves) or over SMTP. */
export type MailConfig =
  | { readonly transport: "capture" }
  | { readonly transport: "smtp"; readonly url: Redacted.Redacted<string>; readonly from: string }

/** How Careline talks SMS: the fake provider (nothing leaves the machine) or Twilio. */
export type SmsConfig =
  | { readonly provider: "fake" }
  | {
    readonly provider: "twilio"
    readonly accountSid: string
    readonly authToken: Redacted.Redacted<string>
    /** Accepted for webhook signatures too, so the Auth Token can be rotated without dropping webhooks. */
    readonly secondaryAuthToken: Redacted.Redacted<string> | undefined
    readonly apiBaseUrl: string | undefined
    /**
     * Twilio's Advanced Opt-Out (on by default for Messaging Services and many numbers) answers
     * STOP / START / HELP itself and blocks sends to numbers that texted STOP. When true, Careline
     * still records every keyword in the consent ledger but does not send its own confirmation,
     * welcome or help text, so a client never gets two. Set false only when Advanced Opt-Out is off.
     */
    readonly handlesOptOut: boolean
  }

export interface Config {
  readonly port: number
  readonly databaseUrl: string
  readonly databaseAuthToken: Redacted.Redacted<string> | undefined
  readonly databaseEncryptionKey: Redacted.Redacted<string> | undefined
  /** Where the world reaches this server, without a trailing slash; Twilio signs webhooks against it. */
  readonly publicBaseUrl: string | undefined
  readonly sms: SmsConfig
  /** Replaces every organisation's crisis words at start when set (see `applyCrisisWords`). */
  readonly crisisWords: ReadonlyArray<string> | undefined
  /** Attachment bytes: under the data directory (`BLOB_DIRECTORY` to move them), in memory for `:memory:`. */
  readonly blobs: BlobConfig
  /** The clinical record: an EHR webhook, FHIR files (the data directory's `chart` unless `CHART_FHIR_DIR`), memory for `:memory:`. */
  readonly chart: ChartConfig
  readonly mail: MailConfig
}

/** The configuration could not be used; `problems` names each variable and what it needs (never its value). */
export class ConfigInvalid extends Schema.TaggedError<ConfigInvalid>()("ConfigInvalid", {
  problems: Schema.Array(Schema.String)
}) {
  override get message() {
    return [
      `Careline cannot start: ${this.problems.length === 1 ? "one setting needs" : `${this.problems.length} settings need`} fixing (environment variables):`,
      ...this.problems.map((problem) => `  - ${problem}`)
    ].join("\n")
  }
}

export const defaultDatabaseUrl = "file:./data/careline.db"

const twilioRequires = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL"] as const

const redacted = (value: string | undefined) => (value === undefined ? undefined : Redacted.make(value))

const toConfig = (environment: Environment): Config => ({
  port: Number(environment.PORT ?? "3000"),
  databaseUrl: environment.DATABASE_URL ?? defaultDatabaseUrl,
  databaseAuthToken: redacted(environment.DATABASE_AUTH_TOKEN),
  databaseEncryptionKey: redacted(environment.DATABASE_ENCRYPTION_KEY),
  publicBaseUrl: environment.PUBLIC_BASE_URL?.replace(/\/+$/, ""),
  sms: environment.SMS_PROVIDER === "twilio"
    ? {
      provider: "twilio",
      accountSid: environment.TWILIO_ACCOUNT_SID!,
      authToken: Redacted.make(environment.TWILIO_AUTH_TOKEN!),
      secondaryAuthToken: redacted(environment.TWILIO_AUTH_TOKEN_SECONDARY),
      apiBaseUrl: environment.TWILIO_API_BASE_URL,
      handlesOptOut: ["true", "1", "yes"].includes((environment.TWILIO_HANDLES_OPT_OUT ?? "true").toLowerCase())
    }
    : { provider: "fake" },
  crisisWords: environment.CRISIS_WORDS === undefined
    ? undefined
    : environment.CRISIS_WORDS.split(",").map((word) => word.trim()).filter((word) => word.length > 0),
  blobs: blobConfigOf(environment, environment.DATABASE_URL ?? defaultDatabaseUrl),
  chart: chartConfigOf(environment, environment.DATABASE_URL ?? defaultDatabaseUrl),
  mail: environment.SMTP_URL === undefined
    ? { transport: "capture" }
    : { transport: "smtp", url: Redacted.make(environment.SMTP_URL), from: environment.MAIL_FROM!.trim() }
})

/**
 * Reads Careline's settings from the environment and checks all of them at once: the error lists
 * every problem, each naming its variable and what it needs, never the value (some are secrets).
 * An empty variable counts as unset.
 *
 * @example
 * const config = Result.getOrThrow(loadConfig(process.env))
 */
export const loadConfig = (env: Readonly<Record<string, string | undefined>>): Result.Result<Config, ConfigInvalid> => {
  const picked = Object.fromEntries(
    Object.keys(Environment.fields).flatMap((name) => {
      const value = env[name]
      return value === undefined || value === "" ? [] : [[name, value]]
    })
  )
  const decoded = Schema.decodeUnknownResult(Environment, { errors: "all" })(picked)
  const problems = Result.isFailure(decoded) ? problemsOf(decoded.failure, "the environment") : []
  if (picked["SMS_PROVIDER"] === "twilio") {
    for (const name of twilioRequires) {
      if (picked[name] === undefined) problems.push(`${name}: is required when SMS_PROVIDER is twilio`)
    }
  }
  if (picked["SMTP_URL"] !== undefined && picked["MAIL_FROM"] === undefined) {
    problems.push("MAIL_FROM: is required when SMTP_URL is set (the address emails come from)")
  }
  problems.push(...attachmentProblems(picked))
  if (Result.isFailure(decoded) || problems.length > 0) return Result.fail(new ConfigInvalid({ problems }))
  return Result.succeed(toConfig(decoded.success))
}

/** The settings the server runs with, for the routes that need them (webhook URLs and tokens). */
export class ServerConfig extends Context.Service<ServerConfig, Config>()("@careline/reference-server/ServerConfig") {}
