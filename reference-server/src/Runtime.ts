import { mkdirSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { FakeSms } from "@careline/adapter-fake-sms"
import { type DatabaseOpenFailed, LibsqlStores } from "@careline/adapter-libsql"
import { type CapturedMail, type LiveEvents, MemoryMailer, RandomIds } from "@careline/adapter-memory"
import { SmtpMailer } from "@careline/adapter-smtp"
import { type TwilioConfigInvalid, TwilioSms } from "@careline/adapter-twilio"
import { type Ids, InboundProcessor, inboundProcessorLayer, type Mailer, makeOutboxDispatcher, type Notifier, ProviderAnswersKeywords, type SmsProvider } from "@careline/core"
import { Duration, Effect, Fiber, Layer, Logger, ManagedRuntime, Redacted } from "effect"
import { attachmentLayer, type AttachmentServices, type AttachmentStartFailed } from "./AttachmentServices.js"
import { type Config, ServerConfig } from "./Config.js"
import * as EmailNotifier from "./mail/EmailNotifier.js"
import { mailBaseUrl } from "./mail/PortalEmails.js"
import * as Roster from "./Roster.js"

/** Everything the routes and commands run against. */
export type ServerServices =
  | LibsqlStores.StoresWithDatabase
  | Ids
  | Notifier
  | LiveEvents
  | SmsProvider
  | ServerConfig
  | Roster.Roster
  | InboundProcessor
  | AttachmentServices
  | Mailer
  | CapturedMail

/** Why the server could not be built: the database would not open, the Twilio settings are unusable, or a data directory is. */
export type ServerStartFailed = DatabaseOpenFailed | TwilioConfigInvalid | AttachmentStartFailed

export type ServerRuntime = ManagedRuntime.ManagedRuntime<ServerServices, ServerStartFailed>

export interface RuntimeOptions {
  /** Replaces the console logger (tests collect what is logged). */
  readonly logger?: Logger.Logger<unknown, unknown>
}

/** A `file:` database's directory is created if missing (e.g. `./data` on first start). */
const ensureDatabaseDirectory = (url: string) =>
  Effect.sync(() => {
    if (!url.startsWith("file:") || url.startsWith("file::memory:")) return
    let path = url.slice("file:".length).replace(/\?.*$/, "")
    if (path.startsWith("//")) path = path.slice(path.indexOf("/", 2))
    mkdirSync(dirname(resolve(decodeURIComponent(path))), { recursive: true })
  })

const storesLayer = (config: Config) =>
  Layer.unwrap(
    Effect.as(
      ensureDatabaseDirectory(config.databaseUrl),
      LibsqlStores.layerWithDatabase({
        url: config.databaseUrl,
        ...(config.databaseEncryptionKey === undefined ? {} : { encryptionKey: Redacted.value(config.databaseEncryptionKey) }),
        ...(config.databaseAuthToken === undefined ? {} : { authToken: Redacted.value(config.databaseAuthToken) })
      })
    )
  )

const smsLayer = (config: Config): Layer.Layer<SmsProvider, TwilioConfigInvalid> => {
  const sms = config.sms
  if (sms.provider === "fake") return FakeSms.layer
  return Layer.merge(
    TwilioSms.layer({
      accountSid: sms.accountSid,
      authToken: Redacted.value(sms.authToken),
      ...(sms.apiBaseUrl === undefined ? {} : { apiBaseUrl: sms.apiBaseUrl }),
      ...(config.publicBaseUrl === undefined ? {} : { statusCallbackBaseUrl: config.publicBaseUrl })
    }),
    // Twilio's Advanced Opt-Out sends its own STOP / START / HELP replies (see `SmsConfig`).
    Layer.succeed(ProviderAnswersKeywords, sms.handlesOptOut)
  )
}

/** SMTP when `SMTP_URL` is set; otherwise the capturing mailer (the demo's `/simulator/mail`, tests). */
const mailLayer = (config: Config): Layer.Layer<Mailer | CapturedMail> =>
  config.mail.transport === "smtp"
    ? Layer.merge(SmtpMailer.layer({ url: config.mail.url, from: config.mail.from }), MemoryMailer.notCapturing)
    : MemoryMailer.layer

/**
 * The server's services: libSQL stores and credentials from `DATABASE_URL` (migrated on open) with the
 * roster, random ids, the fake or Twilio provider, attachments and the clinical record (see
 * `AttachmentServices`), the mailer, the notifier (the web pages' event streams and secure-message
 * emails) and the inbound processor.
 *
 * @example
 * const runtime = ManagedRuntime.make(serverLayer(config))
 */
export const serverLayer = (config: Config, options: RuntimeOptions = {}): Layer.Layer<ServerServices, ServerStartFailed> => {
  const stores = storesLayer(config)
  const base = Layer.mergeAll(
    Layer.provideMerge(Roster.layer, stores),
    RandomIds.layer,
    smsLayer(config),
    attachmentLayer(config),
    mailLayer(config),
    Layer.succeed(ServerConfig, config)
  )
  // The live notifier and the secure-message emails (sent by a background fiber, off the request path).
  const notified = Layer.provideMerge(EmailNotifier.layer({ baseUrl: mailBaseUrl(config) }), base)
  const services = Layer.provideMerge(inboundProcessorLayer(inboundProcessing), notified)
  // Provided (not merged) so that fibers started while building, like the email sender, log there too.
  return options.logger === undefined ? services : Layer.provideMerge(services, Logger.layer([options.logger]))
}

/**
 * Received texts processed at once (their writes share group commits), stored texts waiting for them
 * at most (the rest wait in the inbound log), and the rate of webhooks above which answering them
 * comes first: in a burst (and with a backlog), the router stores one logged text a second and the
 * rest of the backlog is processed once it has passed (see `InboundProcessorOptions`). The rate sits
 * below what processing keeps up with (~170 texts a second on the benchmark's 2 cores), so a steady
 * busy day is processed as it arrives and only a flood is held back.
 */
const inboundProcessing = { workers: 16, capacity: 2_000, burstPerSecond: 50 }

/** A runtime over {@link serverLayer}; dispose it to close the database and the provider's sockets. */
export const makeRuntime = (config: Config, options: RuntimeOptions = {}): ServerRuntime =>
  ManagedRuntime.make(serverLayer(config, options))

/** Every this many rounds the loop also processes received texts nobody processed (a full queue, a crash). */
const sweepEveryRounds = 25

/**
 * The outbox loop with recovery: claims whose lease ended (their worker died mid-send) are marked
 * `unknown` (never sent twice) at start-up and in every round, texts stored but not processed are
 * processed at start-up and every few seconds, and due sends are handed over every `interval`. Each
 * round runs to its end even when the loop is stopped, so a stop never leaves a claim behind.
 * Several server instances may share one database: claims carry leases (each line's rate is then
 * per instance).
 */
export const dispatcherLoop = (interval: Duration.Input = "200 millis") =>
  Effect.gen(function* () {
    const dispatcher = yield* makeOutboxDispatcher
    const interrupted = yield* dispatcher.recoverInterrupted
    if (interrupted > 0) {
      yield* Effect.logWarning(`${interrupted} send(s) whose worker stopped mid-send are marked unknown for staff to check; none is sent again.`)
    }
    const processor = yield* InboundProcessor
    const processed = yield* processor.sweep
    if (processed > 0) yield* Effect.logInfo(`${processed} received text(s) left unprocessed by the last shutdown were processed.`)
    const round = dispatcher.dispatchDue().pipe(
      Effect.catchCause((cause) => Effect.logError("The outbox dispatcher failed a round; it tries again.", cause))
    )
    let rounds = 0
    const sweepNowAndThen = Effect.suspend(() => (++rounds % sweepEveryRounds === 0 ? Effect.asVoid(processor.sweepWhenIdle) : Effect.void))
    return yield* Effect.forever(Effect.andThen(Effect.uninterruptible(Effect.andThen(round, sweepNowAndThen)), Effect.sleep(interval)))
  })

/** A running dispatcher; `stop` waits for the round in progress, then ends the loop. */
export interface RunningDispatcher {
  readonly stop: () => Promise<void>
}

export const startDispatcher = (runtime: ServerRuntime, interval: Duration.Input = "200 millis"): RunningDispatcher => {
  const fiber = runtime.runFork(
    dispatcherLoop(interval).pipe(
      Effect.catchCause((cause) => Effect.logError("The outbox dispatcher stopped: nothing more is sent until a restart.", cause))
    )
  )
  return { stop: () => Effect.runPromise(Fiber.interrupt(fiber)) }
}
