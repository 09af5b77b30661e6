import { type SmtpTestServer, startSmtpTestServer } from "@careline/adapter-smtp/testing"
import { ChannelId, ClientCredentials, Directory, Notifier, type ParticipantRef, ThreadId } from "@careline/core"
import { Effect } from "effect"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { hashPassword } from "../web/Passwords.js"
import { startTestServer, type TestServer, world } from "../testing/TestServer.js"

let smtp: SmtpTestServer
let server: TestServer
const base = "https://careline.example.org"

beforeAll(async () => {
  smtp = await startSmtpTestServer()
  server = await startTestServer({ SMTP_URL: smtp.url, MAIL_FROM: "Careline <careline@example.org>", PUBLIC_BASE_URL: base })
  // Casey has an email and a portal account; Robin has an email but no account; Sky has an account, no profile email.
  await server.runtime.runPromise(Effect.gen(function* () {
    const directory = yield* Directory
    yield* directory.putClient({ ...world.clients.c1, email: "casey@example.net" })
    yield* directory.putClient({ ...world.clients.c2, email: "robin@example.net" })
    const credentials = yield* ClientCredentials
    const passwordHash = yield* hashPassword("a portal password")
    yield* credentials.setAccount(world.clients.c1.id, "casey@example.net", passwordHash, 0)
    yield* credentials.setAccount(world.clients.c3.id, "sky.signin@example.net", passwordHash, 0)
  }))
})
afterAll(async () => {
  await server.close()
  await smtp.close()
})
afterEach(() => smtp.refuseWith(undefined))

const publish = (recipients: ReadonlyArray<ParticipantRef>, organisationId = world.staff.admin.organisationId) =>
  server.runtime.runPromise(Notifier.use((notifier) => notifier.publish({ _tag: "PortalActivity", organisationId, threadId: ThreadId.make("thread_1"), recipients })))

const client = (c: keyof typeof world.clients): ParticipantRef => ({ _tag: "Client", clientId: world.clients[c].id })
const staff = (s: keyof typeof world.staff): ParticipantRef => ({ _tag: "Staff", staffId: world.staff[s].id })

describe("secure-message emails (PortalActivity), through a real SMTP server", () => {
  it("a client with a portal account and staff get the organisation's notice and a sign-in link, nothing else", async () => {
    const before = smtp.received().length
    await publish([client("c1"), staff("spec1")])
    const got = (await smtp.waitFor(before + 2)).slice(before)
    const byRecipient = Object.fromEntries(got.map((email) => [email.to[0], email]))
    expect(Object.keys(byRecipient).sort()).toEqual(["casey@example.net", "spec_1@example.org"])
    const casey = byRecipient["casey@example.net"]!
    expect(casey.from).toBe("careline@example.org")
    expect(casey.subject).toBe("You have a new secure message from Harbour Care")
    expect(casey.text).toContain(`${base}/portal/sign-in`)
    expect(casey.raw).not.toContain("Casey One")
    expect(casey.raw).not.toContain("thread_1")
    expect(byRecipient["spec_1@example.org"]!.text).toContain(`${base}/sign-in`)
    expect(byRecipient["spec_1@example.org"]!.text).not.toContain("/portal/")
  })

  it("no email for a client without a portal account, inactive staff, or someone of another organisation; an account without a profile email uses the sign-in email", async () => {
    const before = smtp.received().length
    await publish([client("c2"), staff("gone"), client("b1"), staff("adminB"), client("c3")])
    const got = (await smtp.waitFor(before + 1)).slice(before)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(smtp.received().slice(before).map((email) => email.to[0])).toEqual(["sky.signin@example.net"])
    expect(got[0]!.subject).toBe("You have a new secure message from Harbour Care")
  })

  it("publishing never waits for the mail server nor fails with it: a refused email is logged by its code only", async () => {
    smtp.refuseWith(550)
    const started = Date.now()
    await publish([client("c1")])
    expect(Date.now() - started).toBeLessThan(1000)
    await expect.poll(() => server.logs.some((line) => line.message.includes("could not be sent (")), { timeout: 10_000 }).toBe(true)
    const logged = server.logs.map((line) => line.message).join("\n")
    expect(logged).toContain("reply 550")
    expect(logged).not.toMatch(/casey|Casey|Harbour/)
  })

  it("other notifications send no email", async () => {
    const before = smtp.received().length
    await server.runtime.runPromise(Notifier.use((notifier) =>
      notifier.publish({ _tag: "ChannelActivity", organisationId: world.staff.admin.organisationId, channelId: ChannelId.make("ch"), kind: "inbound", staffIds: [world.staff.spec1.id], urgent: false })))
    await publish([client("c1")])
    const got = (await smtp.waitFor(before + 1)).slice(before)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(got).toHaveLength(1)
    expect(smtp.received()).toHaveLength(before + 1)
  })
})
