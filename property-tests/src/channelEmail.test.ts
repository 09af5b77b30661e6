import { CapturedMail, MemoryMailer } from "@careline/adapter-memory"
import {
  type ChannelId,
  Conversations,
  Directory,
  Mailer,
  MailFailed,
  readChannel,
  readViaLink,
  sendChannelEmail,
  sendSms,
  setRepliesAllowed
} from "@careline/core"
import { type Context, Effect, Layer, Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { clients, org, seedScenario, staff } from "./Scenario.js"
import { auditTrail, optIn } from "./scenarios/Harness.js"
import { makeWorld, outcomeTag, type World, type WorldServices } from "./World.js"

let world: World
let mail: Context.Context<Mailer | CapturedMail>
beforeEach(async () => {
  world = await makeWorld(seedScenario)
  mail = await Effect.runPromise(Effect.scoped(Layer.build(MemoryMailer.layer)))
})
afterEach(() => world.dispose())

const withMail = <A, E>(effect: Effect.Effect<A, E, WorldServices | Mailer | CapturedMail>, context: Context.Context<Mailer | CapturedMail> = mail) =>
  Effect.provide(effect, context)
const run = <A, E>(effect: Effect.Effect<A, E, WorldServices | Mailer | CapturedMail>) => world.run(withMail(effect))
const exit = <A, E>(effect: Effect.Effect<A, E, WorldServices | Mailer | CapturedMail>) => world.exit(withMail(effect))
const captured = () => run(CapturedMail.use((m) => m.all))
const replyUrl = (token: string) => `https://careline.example.org/r/${token}`

const withEmail = (email: string | undefined, clientId = clients[0]) =>
  Directory.use((d) => d.updateClient(clientId, (c) => {
    const { email: _old, ...rest } = c
    return email === undefined ? rest : { ...rest, email }
  }))

/** The coordinator texts client 1 from their own line: the channel the emails go into. */
const channel = async (): Promise<ChannelId> => {
  await world.run(optIn(clients[0]))
  return (await world.run(sendSms({ staffId: staff.coord, clientId: clients[0], body: "Hello by text" }))).channelId
}

const body = "Your appointment moved to Tuesday 3pm, room 4."

describe("channel messages by email (S3)", () => {
  it("by default the email says a message is waiting and carries the reply link (issued when missing), never the text", async () => {
    const channelId = await channel()
    await run(withEmail("casey@example.net"))
    const message = await run(sendChannelEmail({ staffId: staff.coord, channelId, body, replyUrl }))
    expect(message).toMatchObject({ direction: "outbound", medium: "email", status: "sent", body, author: { _tag: "Staff", staffId: staff.coord } })
    const [email] = await captured()
    const stored = Option.getOrThrow(await run(Conversations.use((c) => c.getChannel(channelId))))
    expect(stored.replyToken).toBeDefined()
    expect(email).toMatchObject({ to: "casey@example.net", subject: `New message from ${(await run(Directory.use((d) => d.getOrganisation(org)))).pipe(Option.getOrThrow).name}` })
    expect(email!.text).toContain(replyUrl(stored.replyToken!))
    expect(email!.text).not.toContain("Tuesday")
    // The client reads it through the link; the channel shows it, marked as an email.
    const seen = await run(readViaLink({ token: stored.replyToken! }))
    expect(seen.messages.map((m) => m.body)).toContain(body)
    const { messages } = await run(readChannel({ staffId: staff.coord, channelId }))
    expect(messages.map((m) => m.medium ?? "sms")).toEqual(["email", "sms"])
    const trail = await run(auditTrail)
    const send = trail.filter((e) => e.action === "message.send" && e.detail?.includes("medium=email"))
    expect(send).toHaveLength(1)
    expect(send[0]).toMatchObject({ channelId, clientId: clients[0], actor: { _tag: "Staff", staffId: staff.coord } })
    expect(trail.some((e) => e.action === "channel.replies" && e.detail === "link=renewed")).toBe(true)
    expect(JSON.stringify(trail)).not.toContain("Tuesday")
  })

  it("uses the channel's existing reply link, and with emailCarriesContent the text is in the email", async () => {
    const channelId = await channel()
    const linked = await world.run(setRepliesAllowed({ staffId: staff.coord, channelId, allowed: true }))
    await run(withEmail("casey@example.net"))
    await run(Directory.use((d) => Effect.flatMap(Effect.map(d.getOrganisation(org), Option.getOrThrow), (o) => d.putOrganisation({ ...o, emailCarriesContent: true }))))
    await run(sendChannelEmail({ staffId: staff.coord, channelId, body, replyUrl }))
    const [email] = await captured()
    expect(email!.text).toContain(body)
    expect(email!.text).toContain(replyUrl(linked.replyToken!))
    expect(Option.getOrThrow(await run(Conversations.use((c) => c.getChannel(channelId)))).replyToken).toBe(linked.replyToken)
  })

  it("refuses when the client has no email, is blocked, the text is empty, or the staff member may not see the channel: nothing sent or stored", async () => {
    const channelId = await channel()
    expect(outcomeTag(await exit(sendChannelEmail({ staffId: staff.coord, channelId, body, replyUrl })))).toBe("NoClientEmail")
    await run(withEmail("casey@example.net"))
    expect(outcomeTag(await exit(sendChannelEmail({ staffId: staff.coord, channelId, body: "   ", replyUrl })))).toBe("InvalidMessage")
    expect(outcomeTag(await exit(sendChannelEmail({ staffId: staff.spec1, channelId, body, replyUrl })))).toBe("AccessDenied")
    expect(outcomeTag(await exit(sendChannelEmail({ staffId: staff.outsider, channelId, body, replyUrl })))).toMatch(/AccessDenied|NotFound/)
    await run(Directory.use((d) => d.updateClient(clients[0], (c) => ({ ...c, blocked: true }))))
    expect(outcomeTag(await exit(sendChannelEmail({ staffId: staff.coord, channelId, body, replyUrl })))).toBe("ClientBlocked")
    expect(await captured()).toEqual([])
    const { messages } = await run(readChannel({ staffId: staff.coord, channelId }))
    expect(messages.map((m) => m.body)).toEqual(["Hello by text"])
  })

  it("a mail server's refusal is MailFailed and stores nothing", async () => {
    const channelId = await channel()
    await run(withEmail("casey@example.net"))
    const failing = await Effect.runPromise(Effect.scoped(Layer.build(Layer.merge(
      Layer.succeed(Mailer, Mailer.of({ send: () => Effect.fail(new MailFailed({ reason: "ECONNECTION" })) })),
      MemoryMailer.notCapturing
    ))))
    expect(outcomeTag(await world.exit(withMail(sendChannelEmail({ staffId: staff.coord, channelId, body, replyUrl }), failing)))).toBe("MailFailed")
    const { messages } = await run(readChannel({ staffId: staff.coord, channelId }))
    expect(messages.map((m) => m.medium ?? "sms")).toEqual(["sms"])
  })
})
