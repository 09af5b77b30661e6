import {
  archiveThreads,
  composeThread,
  deleteDraft,
  deleteThread,
  deleteThreadMessage,
  DraftId,
  listDrafts,
  listFolder,
  markThreadsRead,
  openDraft,
  openThread,
  type ParticipantRef,
  PortalThreads,
  quickNoteText,
  recipientChoices,
  replyToThread,
  saveDraft,
  sendQuickNote,
  threadAttachment,
  ThreadId,
  unarchiveThreads,
  unreadThreadCount
} from "@careline/core"
import { Effect, Exit, Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { clients, staff } from "./Scenario.js"
import {
  auditTrail,
  blobExists,
  ChartLog,
  clientActor,
  makeThreadWorld,
  portalNotifications,
  setClientActive,
  staffActor,
  type ThreadWorld,
  type ThreadWorldServices,
  upload
} from "./secureMessages/ThreadWorld.js"
import { outcomeTag } from "./World.js"

let world: ThreadWorld
beforeEach(async () => {
  world = await makeThreadWorld()
})
afterEach(() => world.dispose())

const S = (staffId: (typeof staff)[keyof typeof staff]): ParticipantRef => ({ _tag: "Staff", staffId })
const C = (clientId: (typeof clients)[number]): ParticipantRef => ({ _tag: "Client", clientId })
const body = "Hello, your appointment is confirmed for Tuesday."
const refusal = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(exit) ? Option.match(Exit.findErrorOption(exit), { onNone: () => "defect", onSome: (e) => (e as { reason?: string; _tag: string }).reason ?? (e as { _tag: string })._tag }) : "ok"

/** spec1 writes to client 1 (assigned to them) and the front office. */
const spec1ToClient1 = (extra: Partial<Parameters<typeof composeThread>[1]> = {}) =>
  Effect.gen(function* () {
    const actor = yield* staffActor(staff.spec1)
    return yield* composeThread(actor, { recipients: [C(clients[0]), S(staff.front)], subject: "Appointment", body, attachments: [], ...extra })
  })

describe("secure messages: sending and reading (S1)", () => {
  it("a staff message reaches the client's inbox unread, the sender's sent folder, notifies the others by id and audits without content", async () => {
    const threadId = await world.run(spec1ToClient1())
    const client = await world.run(clientActor(clients[0]))
    const spec1 = await world.run(staffActor(staff.spec1))
    const inbox = await world.run(listFolder(client, "inbox"))
    expect(inbox.map((s) => [s.thread.id, s.thread.subject, s.unread])).toEqual([[threadId, "Appointment", true]])
    expect(inbox[0]!.participants.map((p) => p.name).sort()).toEqual([staff.front, staff.spec1].sort())
    expect(await world.run(unreadThreadCount(client))).toBe(1)
    expect((await world.run(listFolder(spec1, "sent"))).map((s) => s.thread.id)).toEqual([threadId])
    expect(await world.run(listFolder(spec1, "inbox"))).toEqual([])
    expect(await world.run(portalNotifications)).toEqual([
      { _tag: "PortalActivity", organisationId: "org_1", threadId, recipients: [C(clients[0]), S(staff.front)] }
    ])
    const [event] = (await world.run(auditTrail)).filter((e) => e.action === "thread.send")
    expect(event).toMatchObject({ actor: { _tag: "Staff", staffId: staff.spec1 }, clientId: clients[0] })
    expect(event!.detail).not.toMatch(/Appointment|Hello/)
  })

  it("opening marks it read for the opener only (audited thread.read); a reply makes it unread for the others", async () => {
    const threadId = await world.run(spec1ToClient1())
    const client = await world.run(clientActor(clients[0]))
    const view = await world.run(openThread(client, threadId))
    expect(view.messages.map((m) => [m.authorName, m.body, m.deletable])).toEqual([[staff.spec1, body, false]])
    expect(view.replyRefusal).toBeUndefined()
    expect(view).toMatchObject({ quickNoteAllowed: false, canDeleteThread: false })
    expect(await world.run(unreadThreadCount(client))).toBe(0)
    const reads = (await world.run(auditTrail)).filter((e) => e.action === "thread.read")
    expect(reads.map((e) => [e.actor, e.clientId, e.detail])).toEqual([[{ _tag: "Client" }, clients[0], `thread=${threadId}`]])

    await world.run(replyToThread(client, threadId, { body: "Thank you, I will be there.", attachments: [] }))
    const spec1 = await world.run(staffActor(staff.spec1))
    const front = await world.run(staffActor(staff.front))
    expect((await world.run(listFolder(spec1, "inbox"))).map((s) => [s.thread.id, s.unread])).toEqual([[threadId, true]])
    expect(await world.run(unreadThreadCount(front))).toBe(1)
    expect(await world.run(unreadThreadCount(client))).toBe(0)
    expect((await world.run(listFolder(client, "sent"))).map((s) => s.thread.id)).toEqual([threadId])
    const staffView = await world.run(openThread(spec1, threadId))
    expect(staffView.messages.map((m) => [m.authorName, m.deletable])).toEqual([[staff.spec1, true], ["Client 1", false]])
    expect(staffView).toMatchObject({ quickNoteAllowed: true, canDeleteThread: true })
    expect((await world.run(portalNotifications)).at(-1)).toMatchObject({ threadId, recipients: [S(staff.spec1), S(staff.front)] })
  })

  it("refuses a short body, a missing subject, control characters, a NUL, no recipient", async () => {
    const spec1 = await world.run(staffActor(staff.spec1))
    const to = [C(clients[0])]
    const attempt = (subject: string, text: string, recipients = to) => world.exit(composeThread(spec1, { recipients, subject, body: text, attachments: [] }))
    expect(refusal(await attempt("Hi", "too short"))).toBe("InvalidMessage")
    expect(refusal(await attempt("Hi", "          123456789   "))).toBe("InvalidMessage")
    expect(refusal(await attempt("   ", body))).toBe("InvalidMessage")
    expect(refusal(await attempt("Line\nbreak", body))).toBe("InvalidMessage")
    expect(refusal(await attempt("Hi", `${body}\u0000`))).toBe("InvalidMessage")
    expect(refusal(await attempt("Hi", body, []))).toBe("NoRecipients")
    expect(refusal(await attempt("Hi", body, [S(staff.spec1)]))).toBe("NoRecipients")
    expect(refusal(await attempt("Hi", "exactly10!"))).toBe("ok")
  })
})

describe("secure messages: who may write to whom", () => {
  it("staff address active colleagues and the clients they may access; clients their assigned staff and front office", async () => {
    const spec1 = await world.run(staffActor(staff.spec1))
    const choices = await world.run(recipientChoices(spec1))
    expect(choices.clients.map((c) => c.clientId)).toEqual([clients[0]])
    expect(choices.staff.map((s) => s.staffId).sort()).toEqual([staff.admin, staff.coord, staff.front, staff.spec2, staff.sup].sort())
    const coord = await world.run(staffActor(staff.coord))
    expect((await world.run(recipientChoices(coord))).clients.map((c) => c.clientId)).toEqual([...clients])
    const client1 = await world.run(clientActor(clients[0]))
    expect((await world.run(recipientChoices(client1))).staff.map((s) => s.staffId).sort()).toEqual([staff.front, staff.spec1].sort())
    const client2 = await world.run(clientActor(clients[1]))
    expect((await world.run(recipientChoices(client2))).staff.map((s) => s.staffId)).toEqual([staff.front])

    const send = (actor: typeof spec1, recipients: ReadonlyArray<ParticipantRef>) =>
      world.exit(composeThread(actor, { recipients, subject: "Hi", body, attachments: [] }))
    expect(refusal(await send(spec1, [C(clients[1])]))).toBe("RecipientNotAllowed")
    expect(refusal(await send(spec1, [S(staff.outsider)]))).toBe("RecipientNotAllowed")
    expect(refusal(await send(client2, [S(staff.spec1)]))).toBe("RecipientNotAllowed")
    expect(refusal(await send(client1, [C(clients[1])]))).toBe("RecipientNotAllowed")
    expect(refusal(await send(client1, [S(staff.spec1)]))).toBe("ok")
    expect(refusal(await send(client2, [S(staff.front)]))).toBe("ok")
  })

  it("an inactive client may write to front office only, and to their provider again once active", async () => {
    await world.run(setClientActive(clients[0], false))
    const inactive = await world.run(clientActor(clients[0]))
    expect((await world.run(recipientChoices(inactive))).staff.map((s) => s.staffId)).toEqual([staff.front])
    const exit = await world.exit(composeThread(inactive, { recipients: [S(staff.spec1), S(staff.front)], subject: "Hi", body, attachments: [] }))
    expect(refusal(exit)).toBe("InactiveClientToProvider")
    expect(refusal(await world.exit(composeThread(inactive, { recipients: [S(staff.front)], subject: "Bill", body, attachments: [] })))).toBe("ok")

    const threadId = await world.run(spec1ToClient1())
    const view = await world.run(openThread(inactive, threadId))
    expect(view.replyRefusal).toBe("InactiveClientToProvider")
    expect(refusal(await world.exit(replyToThread(inactive, threadId, { body, attachments: [] })))).toBe("InactiveClientToProvider")
    await world.run(setClientActive(clients[0], true))
    expect(refusal(await world.exit(replyToThread(inactive, threadId, { body, attachments: [] })))).toBe("ok")
  })

  it("nobody may reply to a thread with two clients; the page says why", async () => {
    const coord = await world.run(staffActor(staff.coord))
    const threadId = await world.run(composeThread(coord, { recipients: [C(clients[0]), C(clients[1])], subject: "Group", body, attachments: [] }))
    for (const actor of [coord, await world.run(clientActor(clients[0]))]) {
      const view = await world.run(openThread(actor, threadId))
      expect(view.replyRefusal).toBe("GroupWithSeveralClients")
      expect(view.replyRefusalMessage).toBe("Messages to more than one client cannot be replied to, for privacy: start a new message instead.")
      expect(refusal(await world.exit(replyToThread(actor, threadId, { body, attachments: [] })))).toBe("GroupWithSeveralClients")
    }
    const client1 = await world.run(clientActor(clients[0]))
    const seen = await world.run(openThread(client1, threadId))
    expect(seen.participants.map((p) => p.ref)).toEqual([S(staff.coord), C(clients[0])])
    expect((await world.run(listFolder(client1, "inbox")))[0]!.participants.map((p) => p.name)).toEqual([staff.coord])
    expect(refusal(await world.exit(quickNoteText(coord, threadId)))).toBe("NeedsExactlyOneClient")
  })

  it("a non-participant (staff of the organisation, another organisation, another client) gets NotFound for every action", async () => {
    const file = await world.run(upload(1, "lab results"))
    const threadId = await world.run(spec1ToClient1({ attachments: [file] }))
    const messageId = (await world.run(PortalThreads.use((t) => t.messagesOf(threadId))))[0]!.id
    for (const actor of [await world.run(staffActor(staff.sup)), await world.run(staffActor(staff.outsider)), await world.run(clientActor(clients[1]))]) {
      for (const action of [
        openThread(actor, threadId),
        replyToThread(actor, threadId, { body, attachments: [] }),
        deleteThreadMessage(actor, threadId, messageId),
        deleteThread(actor, threadId),
        quickNoteText(actor, threadId),
        sendQuickNote(actor, threadId, "note text here"),
        threadAttachment(actor, threadId, file.blobId),
        saveDraft(actor, { recipients: [], subject: "", body: "", replyTo: threadId })
      ]) {
        expect(outcomeTag(await world.exit(action as Effect.Effect<unknown, { readonly _tag: string }, ThreadWorldServices>))).toBe("NotFound")
      }
      await world.run(archiveThreads(actor, [threadId]))
      await world.run(markThreadsRead(actor, [threadId]))
    }
    const client = await world.run(clientActor(clients[0]))
    expect(await world.run(unreadThreadCount(client))).toBe(1)
    expect(await world.run(threadAttachment(client, threadId, file.blobId))).toEqual(file)
    expect(outcomeTag(await world.exit(openThread(client, ThreadId.make("thr_none"))))).toBe("NotFound")
  })
})

describe("secure messages: folders and drafts", () => {
  it("archive and mark read act on the actor's own state; a new message brings an archived thread back", async () => {
    const threadId = await world.run(spec1ToClient1())
    const client = await world.run(clientActor(clients[0]))
    await world.run(archiveThreads(client, [threadId]))
    expect(await world.run(listFolder(client, "inbox"))).toEqual([])
    expect((await world.run(listFolder(client, "archive"))).map((s) => [s.thread.id, s.unread])).toEqual([[threadId, true]])
    expect(await world.run(unreadThreadCount(client))).toBe(0)
    await world.run(unarchiveThreads(client, [threadId]))
    await world.run(markThreadsRead(client, [threadId]))
    expect((await world.run(listFolder(client, "inbox"))).map((s) => s.unread)).toEqual([false])
    await world.run(archiveThreads(client, [threadId]))
    const spec1 = await world.run(staffActor(staff.spec1))
    await world.run(replyToThread(spec1, threadId, { body: "One more thing: bring your card.", attachments: [] }))
    expect((await world.run(listFolder(client, "inbox"))).map((s) => [s.thread.id, s.unread])).toEqual([[threadId, true]])
    const actions = (await world.run(auditTrail)).filter((e) => e.action === "thread.archive" || e.action === "thread.mark_read").map((e) => e.action)
    expect(actions).toEqual(["thread.archive", "thread.archive", "thread.mark_read", "thread.archive"])
  })

  it("drafts are their author's alone; sending from one deletes it", async () => {
    const spec1 = await world.run(staffActor(staff.spec1))
    const draftId = await world.run(saveDraft(spec1, { recipients: [C(clients[0])], subject: "Later", body: "half" }))
    const again = await world.run(saveDraft(spec1, { draftId, recipients: [C(clients[0]), S(staff.front)], subject: "Later", body: "half written" }))
    expect(again).toBe(draftId)
    expect((await world.run(listDrafts(spec1))).map((d) => [d.id, d.body, d.recipients.length])).toEqual([[draftId, "half written", 2]])
    const coord = await world.run(staffActor(staff.coord))
    expect(outcomeTag(await world.exit(openDraft(coord, draftId)))).toBe("NotFound")
    expect(outcomeTag(await world.exit(deleteDraft(coord, draftId)))).toBe("NotFound")
    expect(outcomeTag(await world.exit(saveDraft(coord, { draftId, recipients: [], subject: "", body: "" })))).toBe("NotFound")
    expect(refusal(await world.exit(saveDraft(spec1, { recipients: [C(clients[1])], subject: "", body: "" })))).toBe("RecipientNotAllowed")
    expect((await world.run(openDraft(spec1, draftId))).subject).toBe("Later")
    await world.run(composeThread(spec1, { recipients: [C(clients[0])], subject: "Later", body, attachments: [], draftId }))
    expect(await world.run(listDrafts(spec1))).toEqual([])
    const other = await world.run(saveDraft(spec1, { recipients: [], subject: "", body: "" }))
    await world.run(deleteDraft(spec1, other))
    expect(outcomeTag(await world.exit(openDraft(spec1, DraftId.make(other))))).toBe("NotFound")
    const actions = (await world.run(auditTrail)).filter((e) => e.action.startsWith("thread.draft")).map((e) => e.action)
    expect(actions).toEqual(["thread.draft_save", "thread.draft_save", "thread.draft_save", "thread.draft_delete"])
  })
})

describe("secure messages: deleting (S1: permanent, audit stays)", () => {
  it("only the staff author deletes a message; its bytes leave the blob store", async () => {
    const file = await world.run(upload(1, "private letter"))
    const threadId = await world.run(spec1ToClient1({ attachments: [file] }))
    const client = await world.run(clientActor(clients[0]))
    await world.run(replyToThread(client, threadId, { body: "Here is my reply to you.", attachments: [] }))
    const [first, second] = await world.run(PortalThreads.use((t) => t.messagesOf(threadId)))
    const front = await world.run(staffActor(staff.front))
    const spec1 = await world.run(staffActor(staff.spec1))
    expect(refusal(await world.exit(deleteThreadMessage(client, threadId, first!.id)))).toBe("ClientsCannotDelete")
    expect(refusal(await world.exit(deleteThreadMessage(front, threadId, first!.id)))).toBe("NotTheAuthor")
    expect(refusal(await world.exit(deleteThreadMessage(spec1, threadId, second!.id)))).toBe("NotTheAuthor")
    await world.run(deleteThreadMessage(spec1, threadId, first!.id))
    expect((await world.run(openThread(client, threadId))).messages.map((m) => m.id)).toEqual([second!.id])
    expect(await world.run(blobExists(file.blobId))).toBe(false)
    expect(outcomeTag(await world.exit(threadAttachment(client, threadId, file.blobId)))).toBe("NotFound")
    const deleted = (await world.run(auditTrail)).filter((e) => e.action === "thread.delete_message")
    expect(deleted.map((e) => e.detail)).toEqual([`thread=${threadId} message=${first!.id} attachments=1`])
  })

  it("only the staff member who started a thread deletes it, with its drafts and attachments", async () => {
    const file = await world.run(upload(2, "scan"))
    const threadId = await world.run(spec1ToClient1())
    const client = await world.run(clientActor(clients[0]))
    await world.run(replyToThread(client, threadId, { body: "A reply with a file attached.", attachments: [file] }))
    await world.run(saveDraft(client, { recipients: [], subject: "", body: "draft reply", replyTo: threadId }))
    const front = await world.run(staffActor(staff.front))
    expect(refusal(await world.exit(deleteThread(front, threadId)))).toBe("NotTheStarter")
    expect(refusal(await world.exit(deleteThread(client, threadId)))).toBe("ClientsCannotDelete")
    await world.run(deleteThread(await world.run(staffActor(staff.spec1)), threadId))
    expect(outcomeTag(await world.exit(openThread(client, threadId)))).toBe("NotFound")
    expect(await world.run(listFolder(client, "inbox"))).toEqual([])
    expect(await world.run(listDrafts(client))).toEqual([])
    expect(await world.run(blobExists(file.blobId))).toBe(false)
    expect((await world.run(auditTrail)).filter((e) => e.action === "thread.delete").map((e) => e.detail)).toEqual([`thread=${threadId} messages=2`])
  })
})

describe("secure messages: quick note to the chart", () => {
  it("proposes the thread as text, sends the edited note to the chart sink and marks the messages charted", async () => {
    const threadId = await world.run(spec1ToClient1())
    const spec1 = await world.run(staffActor(staff.spec1))
    const client = await world.run(clientActor(clients[0]))
    expect(refusal(await world.exit(quickNoteText(client, threadId)))).toBe("StaffOnly")
    const text = await world.run(quickNoteText(spec1, threadId))
    expect(text).toContain("Secure message: Appointment")
    expect(text).toContain(body)
    await world.run(Effect.flatMap(ChartLog, (log) => log.setFailing(true)))
    expect(outcomeTag(await world.exit(sendQuickNote(spec1, threadId, `${text}\nSeen.`)))).toBe("ChartSinkFailed")
    expect((await world.run(openThread(spec1, threadId))).messages.map((m) => m.chartedAt)).toEqual([undefined])
    await world.run(Effect.flatMap(ChartLog, (log) => log.setFailing(false)))
    await world.run(sendQuickNote(spec1, threadId, `${text}\nSeen.`))
    const notes = await world.run(Effect.flatMap(ChartLog, (log) => log.notes))
    expect(notes).toMatchObject([{ organisationId: "org_1", clientId: clients[0], author: staff.spec1, text: `${text}\nSeen.` }])
    expect((await world.run(openThread(spec1, threadId))).messages.every((m) => m.chartedAt !== undefined)).toBe(true)
    const [event] = (await world.run(auditTrail)).filter((e) => e.action === "thread.quick_note")
    expect(event).toMatchObject({ clientId: clients[0], detail: `thread=${threadId} messages=1` })
    expect(refusal(await world.exit(sendQuickNote(spec1, threadId, "   ")))).toBe("InvalidMessage")
  })
})
