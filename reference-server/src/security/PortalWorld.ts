import { createHash } from "node:crypto"
import {
  BlobId,
  BlobStore,
  ChatRoomId,
  type Client,
  ClientId,
  composeThread,
  Directory,
  DraftId,
  type DraftId as DraftIdType,
  Ids,
  isChatMember,
  type ParticipantRef,
  type PortalActor,
  PortalThreads,
  replyToThread,
  sameRef,
  saveDraft,
  type Staff,
  StaffChats,
  startChat,
  type StoredFile,
  type Thread,
  ThreadId,
  type ThreadParticipant,
  type ThreadRecord
} from "@careline/core"
import { Effect, Option } from "effect"
import { joinPortal } from "../testing/Portal.js"
import { type Browser, world } from "../testing/TestServer.js"
import type { SecurityWorld, Who } from "./SecurityWorld.js"

/**
 * Issue 6 on top of the security world: every client of both organisations signed in to the portal
 * (their own cookie), secure-message threads of every shape (one client, two clients, staff only,
 * started by a client, another organisation's) each with an attachment and messages by several
 * authors, drafts of staff and clients (new messages and replies), and staff chat rooms (a pair, a
 * group). What each person may do is read from the core's rules at the moment of the request.
 */

export type ClientWho = "casey" | "robin" | "sky" | "bea"
export const portalClients: ReadonlyArray<ClientWho> = ["casey", "robin", "sky", "bea"]
const clientOfWho: Record<ClientWho, Client> = { casey: world.clients.c1, robin: world.clients.c2, sky: world.clients.c3, bea: world.clients.b1 }

/** Anyone who can be signed in: a staff member (staff pages) or a client (the portal). */
export type Person = { readonly _tag: "Staff"; readonly who: Who } | { readonly _tag: "Client"; readonly who: ClientWho }

export interface PortalWorld {
  readonly w: SecurityWorld
  readonly clientBrowsers: Record<ClientWho, Browser>
  /** Threads by name, and a well-formed id that names none. */
  readonly threads: Record<string, ThreadId>
  readonly missingThread: ThreadId
  /** Drafts by name (whose, what), and an id that names none. */
  readonly drafts: Record<string, DraftIdType>
  readonly missingDraft: DraftIdType
  /** Chat rooms by name, and an id that names none. */
  readonly rooms: Record<string, ChatRoomId>
  readonly missingRoom: ChatRoomId
  /** Every staff member and client, each with their browser. */
  readonly people: ReadonlyArray<Person>
}

const run = <A, E>(w: SecurityWorld, effect: Effect.Effect<A, E, any>) => w.server.runtime.runPromise(effect as Effect.Effect<A, E, never>)

export const clientEmail = (who: ClientWho) => `${who}@portal.example.org`

/** A PDF attachment stored as an upload would store it. */
const storedPdf = (name: string) =>
  Effect.gen(function* () {
    const bytes = new TextEncoder().encode(`%PDF-1.4\n${name}\n`)
    const blobId = BlobId.make(yield* Ids.use((ids) => ids.next("blob")))
    yield* BlobStore.use((b) => b.put(blobId, bytes))
    return { blobId, name, contentType: "application/pdf", size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") } satisfies StoredFile
  })

const staffActor = (staff: Staff): PortalActor => ({ _tag: "Staff", staff })
const clientActor = (who: ClientWho): PortalActor => ({ _tag: "Client", client: clientOfWho[who] })
const staffRef = (staff: Staff): ParticipantRef => ({ _tag: "Staff", staffId: staff.id })
const clientRef = (who: ClientWho): ParticipantRef => ({ _tag: "Client", clientId: clientOfWho[who].id })

export const startPortalWorld = async (w: SecurityWorld): Promise<PortalWorld> => {
  const s = w.staff
  const clientBrowsers = {
    casey: await joinPortal(w.server, w.browsers.coordinator, world.clients.c1.id, clientEmail("casey")),
    robin: await joinPortal(w.server, w.browsers.coordinator, world.clients.c2.id, clientEmail("robin")),
    sky: await joinPortal(w.server, w.browsers.coordinator, world.clients.c3.id, clientEmail("sky")),
    bea: await joinPortal(w.server, w.browsers.adminB, world.clients.b1.id, clientEmail("bea"))
  }
  const compose = (actor: PortalActor, recipients: ReadonlyArray<ParticipantRef>, subject: string) =>
    Effect.gen(function* () {
      const file = yield* storedPdf(`${subject}.pdf`)
      return yield* composeThread(actor, { recipients, subject, body: `Secret body of ${subject}`, attachments: [file] })
    })
  const reply = (actor: PortalActor, threadId: ThreadId, text: string) =>
    Effect.gen(function* () {
      const file = yield* storedPdf(`${text}.pdf`)
      return yield* replyToThread(actor, threadId, { body: `Secret reply: ${text}`, attachments: [file] })
    })
  const threads = await run(w, Effect.gen(function* () {
    // One client (spec_1's Casey) with the coordinator: replies from everyone.
    const oneClient = yield* compose(staffActor(s.spec1), [clientRef("casey"), staffRef(s.coordinator)], "One client")
    yield* reply(clientActor("casey"), oneClient, "casey answers")
    yield* reply(staffActor(s.coordinator), oneClient, "coordinator answers")
    // Two clients: nobody may reply (the clients' privacy).
    const twoClients = yield* compose(staffActor(s.coordinator), [clientRef("casey"), clientRef("robin")], "Two clients")
    // Staff only: no quick note.
    const staffOnly = yield* compose(staffActor(s.coordinator), [staffRef(s.spec2), staffRef(s.sup)], "Staff only")
    yield* reply(staffActor(s.spec2), staffOnly, "spec2 answers")
    // Started by a client: no staff member may delete it.
    const byClient = yield* compose(clientActor("sky"), [staffRef(s.spec2), staffRef(s.frontOffice)], "From a client")
    yield* reply(staffActor(s.frontOffice), byClient, "front office answers")
    // Another organisation's.
    const otherOrganisation = yield* compose(staffActor(s.adminB), [clientRef("bea")], "Other organisation")
    yield* reply(clientActor("bea"), otherOrganisation, "bea answers")
    // The admin's own, with Casey and spec_1 (what the CSRF suite posts to).
    const admins = yield* compose(staffActor(s.admin), [clientRef("casey"), staffRef(s.spec1)], "Admin's")
    yield* reply(clientActor("casey"), admins, "casey answers the admin")
    return { oneClient, twoClients, staffOnly, byClient, otherOrganisation, admins }
  }))
  const drafts = await run(w, Effect.gen(function* () {
    const draft = (actor: PortalActor, recipients: ReadonlyArray<ParticipantRef>, subject: string, replyTo?: ThreadId) =>
      saveDraft(actor, { recipients, subject, body: `Secret draft ${subject}`, ...(replyTo === undefined ? {} : { replyTo }) })
    return {
      spec1New: yield* draft(staffActor(s.spec1), [clientRef("casey")], "spec1 new"),
      spec1Reply: yield* draft(staffActor(s.spec1), [], "spec1 reply", threads.oneClient),
      coordinatorNew: yield* draft(staffActor(s.coordinator), [staffRef(s.spec2)], "coordinator new"),
      adminNew: yield* draft(staffActor(s.admin), [staffRef(s.spec2)], "admin new"),
      caseyNew: yield* draft(clientActor("casey"), [staffRef(s.spec1)], "casey new"),
      caseyReply: yield* draft(clientActor("casey"), [], "casey reply", threads.oneClient),
      adminBNew: yield* draft(staffActor(s.adminB), [clientRef("bea")], "adminB new"),
      beaNew: yield* draft(clientActor("bea"), [], "bea new")
    }
  }))
  const rooms = await run(w, Effect.gen(function* () {
    const pair = yield* startChat({ staffId: s.spec1.id, with: [s.spec2.id] })
    const group = yield* startChat({ staffId: s.coordinator.id, with: [s.spec1.id, s.frontOffice.id] })
    const admins = yield* startChat({ staffId: s.admin.id, with: [s.spec1.id] })
    return { pair: pair.id, group: group.id, admins: admins.id }
  }))
  const people: ReadonlyArray<Person> = [
    ...(Object.keys(w.browsers) as ReadonlyArray<Who>).map((who): Person => ({ _tag: "Staff", who })),
    ...portalClients.map((who): Person => ({ _tag: "Client", who }))
  ]
  return {
    w,
    clientBrowsers,
    threads,
    missingThread: ThreadId.make("thr_missing_0"),
    drafts,
    missingDraft: DraftId.make("drf_missing_0"),
    rooms,
    missingRoom: ChatRoomId.make("chr_missing_0"),
    people
  }
}

export const browserOfPerson = (p: PortalWorld, person: Person): Browser =>
  person._tag === "Staff" ? p.w.browsers[person.who] : p.clientBrowsers[person.who]

export const actorOf = (p: PortalWorld, person: Person): PortalActor =>
  person._tag === "Staff" ? staffActor(p.w.staff[person.who]) : clientActor(person.who)

/** Where the person's secure messages live: `/secure` for staff, `/portal/messages` for clients. */
export const baseOf = (person: Person) => (person._tag === "Staff" ? "/secure" : "/portal/messages")

export const refOfPerson = (p: PortalWorld, person: Person): ParticipantRef =>
  person._tag === "Staff" ? staffRef(p.w.staff[person.who]) : clientRef(person.who)

const organisationOfPerson = (p: PortalWorld, person: Person) =>
  person._tag === "Staff" ? p.w.staff[person.who].organisationId : clientOfWho[person.who].organisationId

export const threadOf = (p: PortalWorld, id: string): Promise<ThreadRecord | undefined> =>
  run(p.w, PortalThreads.use((t) => t.getThread(ThreadId.make(id)))).then(Option.getOrUndefined)

/**
 * The core's participant rule (`participantThread`): the thread exists, is of the person's
 * organisation, and the person takes part in it. Anything else is the same 404.
 */
export const takesPart = async (p: PortalWorld, person: Person, id: string): Promise<boolean> => {
  const thread = await threadOf(p, id)
  const me = refOfPerson(p, person)
  return thread !== undefined && thread.organisationId === organisationOfPerson(p, person) && thread.participants.some((r) => sameRef(r, me))
}

/** A participant as the rules see them now (role, active), from the directory. */
const ruleParticipantOf = (p: PortalWorld, ref: ParticipantRef) =>
  run(p.w, Effect.gen(function* () {
    const directory = yield* Directory
    if (ref._tag === "Staff") {
      const staff = Option.getOrUndefined(yield* directory.getStaff(ref.staffId))
      return { _tag: "Staff", staffId: ref.staffId, role: staff?.role ?? "specialist" } satisfies ThreadParticipant
    }
    const client = Option.getOrUndefined(yield* directory.getClient(ref.clientId))
    return { _tag: "Client", clientId: ref.clientId, active: client?.active ?? false } satisfies ThreadParticipant
  }))

/** The stored thread as the pure rules of `Thread.ts` take it. */
export const ruleThreadOf = async (p: PortalWorld, thread: ThreadRecord): Promise<Thread> => ({
  id: thread.id,
  organisationId: thread.organisationId,
  subject: thread.subject,
  startedBy: await ruleParticipantOf(p, thread.startedBy),
  participants: await Promise.all(thread.participants.map((r) => ruleParticipantOf(p, r))),
  createdAt: thread.createdAt
})

export const rulePersonOf = (p: PortalWorld, person: Person) => ruleParticipantOf(p, refOfPerson(p, person))

export const messagesOfThread = (p: PortalWorld, id: string) =>
  run(p.w, PortalThreads.use((t) => t.messagesOf(ThreadId.make(id))))

/** A draft is its author's alone (same organisation); anyone else's — or none — is 404. */
export const ownsDraft = async (p: PortalWorld, person: Person, id: string): Promise<boolean> => {
  const draft = Option.getOrUndefined(await run(p.w, PortalThreads.use((t) => t.getDraft(DraftId.make(id)))))
  return draft !== undefined && sameRef(draft.author, refOfPerson(p, person)) && draft.organisationId === organisationOfPerson(p, person)
}

export const draftOf = (p: PortalWorld, id: string) =>
  run(p.w, PortalThreads.use((t) => t.getDraft(DraftId.make(id)))).then(Option.getOrUndefined)

/** `isChatMember` over the stored room; a room that does not exist has no members (clients are never members). */
export const inRoom = async (p: PortalWorld, person: Person, id: string): Promise<boolean> => {
  if (person._tag !== "Staff") return false
  const room = Option.getOrUndefined(await run(p.w, StaffChats.use((c) => c.getRoom(ChatRoomId.make(id)))))
  return room !== undefined && isChatMember(room, p.w.staff[person.who])
}

export const personName = (person: Person) => `${person._tag === "Staff" ? "" : "client "}${person.who}`

export const clientIdOf = (who: ClientWho): ClientId => ClientId.make(clientOfWho[who].id)
