import { LiveNotifier } from "@careline/adapter-memory"
import { ClientCredentials, Directory, Mailer, type Notification, Notifier, type ParticipantRef, type PortalNotification } from "@careline/core"
import { Context, Effect, Layer, Option, Queue } from "effect"
import { portalActivityEmail } from "./PortalEmails.js"

/** Notifications waiting for their emails; past this many (a mail server down for long) the newest are dropped. */
const capacity = 10_000

/** The address to tell, and the page to sign in at; `None` for who gets no email. */
type Addressee = Option.Option<{ readonly to: string; readonly path: "/sign-in" | "/portal/sign-in" }>

/**
 * Who of a thread's participants is emailed: active staff of the organisation with an email, and its
 * clients who have a portal account (at their profile's email, else the one they sign in with).
 */
const addresseeOf = (notification: PortalNotification, ref: ParticipantRef) =>
  Effect.gen(function* () {
    const directory = yield* Directory
    if (ref._tag === "Staff") {
      const staff = yield* directory.getStaff(ref.staffId)
      return Option.flatMap(staff, (s): Addressee =>
        s.active && s.organisationId === notification.organisationId && s.email !== undefined && s.email !== ""
          ? Option.some({ to: s.email, path: "/sign-in" })
          : Option.none())
    }
    const client = yield* directory.getClient(ref.clientId)
    if (Option.isNone(client) || client.value.organisationId !== notification.organisationId) return Option.none() as Addressee
    const account = yield* ClientCredentials.use((credentials) => credentials.accountOf(ref.clientId))
    return Option.map(account, (a) => ({ to: client.value.email ?? a.email, path: "/portal/sign-in" as const })) as Addressee
  })

/** Sends one notification's emails; a failed email is logged (its reason only) and the others still go. */
const emailsFor = (notification: PortalNotification, baseUrl: string) =>
  Effect.gen(function* () {
    const organisation = yield* Directory.use((directory) => directory.getOrganisation(notification.organisationId))
    if (Option.isNone(organisation)) return
    const mailer = yield* Mailer
    for (const ref of notification.recipients) {
      const addressee = yield* addresseeOf(notification, ref)
      if (Option.isNone(addressee)) continue
      yield* mailer.send(portalActivityEmail({ to: addressee.value.to, organisationName: organisation.value.name, signInUrl: `${baseUrl}${addressee.value.path}` })).pipe(
        Effect.catchTag("MailFailed", (failed) => Effect.logWarning(`A secure-message email could not be sent (${failed.reason}); the message itself is delivered.`))
      )
    }
  })

/**
 * Emails for `PortalActivity`, off the request path: `publish` only queues the notification and a
 * background fiber (living as long as the layer) sends the emails, so a slow or failing mail server
 * never delays or fails a send. Other notifications are ignored.
 */
export const makeEmailNotifications = (options: { readonly baseUrl: string }) =>
  Effect.gen(function* () {
    const context = yield* Effect.context<Directory | ClientCredentials | Mailer>()
    const queue = yield* Queue.dropping<PortalNotification>(capacity)
    yield* Effect.forkScoped(Effect.forever(
      Effect.flatMap(Queue.take(queue), (notification) =>
        emailsFor(notification, options.baseUrl).pipe(
          Effect.provideContext(context),
          // The cause is not logged: a storage error could quote what it was reading.
          Effect.catchCause(() => Effect.logError("Secure-message emails could not be prepared; the message itself is delivered."))
        ))
    ))
    return (notification: Notification): Effect.Effect<void> =>
      notification._tag === "PortalActivity" ? Effect.asVoid(Queue.offer(queue, notification)) : Effect.void
  })

/**
 * The server's `Notifier`: the live notifier (the web pages' event streams, read through
 * `LiveEvents`) and the secure-message emails, each told of every notification.
 *
 * @example
 * Layer.provideMerge(EmailNotifier.layer({ baseUrl: "https://careline.example.org" }), storesAndMailer)
 */
export const layer = (options: { readonly baseUrl: string }) =>
  Layer.effectContext(Effect.gen(function* () {
    const live = yield* Layer.build(LiveNotifier.layer)
    const liveNotifier = Context.get(live, Notifier)
    const email = yield* makeEmailNotifications(options)
    return Context.add(live, Notifier, Notifier.of({ publish: (notification) => Effect.andThen(liveNotifier.publish(notification), email(notification)) }))
  }))
