import { listFolder, openThread, type Staff } from "@careline/core"
import { Effect, Result } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { loadConfig } from "./Config.js"
import { type DemoSeeded, seedDemoOrganisation } from "./DemoOrganisation.js"
import { makeRuntime, type ServerRuntime } from "./Runtime.js"

let runtime: ServerRuntime
let seeded: DemoSeeded
beforeEach(async () => {
  runtime = makeRuntime(Result.getOrThrow(loadConfig({ DATABASE_URL: ":memory:" })))
  seeded = await runtime.runPromise(seedDemoOrganisation(undefined))
})
afterEach(() => runtime.dispose())

const actorNamed = (name: string) => ({ _tag: "Staff", staff: seeded.staff.find((s) => s.name === name) as Staff }) as const

describe("demo secure messages", () => {
  it("the therapist's inbox shows Hana's reply and Jo's question unread; the group notice refuses replies", async () => {
    const theo = actorNamed("Theo Therapist")
    const inbox = await runtime.runPromise(listFolder(theo, "inbox"))
    const rows = inbox.map((s) => ({ subject: s.thread.subject, unread: s.unread }))
    expect(rows).toContainEqual({ subject: "Worksheet for Wednesday", unread: true })
    expect(rows).toContainEqual({ subject: "Question about the breathing exercise", unread: true })
    expect(rows).toContainEqual({ subject: "Rescheduling next week's session", unread: true })
    const group = inbox.find((s) => s.thread.subject === "Thursday group moves to the community room")!
    const view = await runtime.runPromise(openThread(theo, group.thread.id))
    expect(view.replyRefusal).toBe("GroupWithSeveralClients")
    const worksheet = await runtime.runPromise(Effect.flatMap(listFolder(theo, "sent"), (sent) => openThread(theo, sent.find((s) => s.thread.subject === "Worksheet for Wednesday")!.thread.id)))
    expect(worksheet.messages.map((m) => m.authorName)).toEqual(["Theo Therapist", "Hana Silva"])
    expect(worksheet.quickNoteAllowed).toBe(true)
  })
})
