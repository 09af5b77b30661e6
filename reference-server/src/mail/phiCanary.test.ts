import { type ReceivedEmail, type SmtpTestServer, startSmtpTestServer } from "@careline/adapter-smtp/testing"
import { Directory, PortalThreads, type ThreadId } from "@careline/core"
import { Effect } from "effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { postMultipart, threadIdFrom } from "../routes/web/secure/SecureTesting.js"
import { giveEmail, portalPassword, postPublic } from "../testing/Portal.js"
import { type Browser, browserOf, startTestServer, type TestServer, world } from "../testing/TestServer.js"

/**
 * PHI canaries (S1): whatever a secure message holds — its subject, body, the client's name, an
 * attachment's name — never leaves by email, never reaches a log line, and never shows on the error
 * pages of those who may not see it. Through the whole server: the web pages, the core, the libSQL
 * store, the email notifier and a real SMTP server (what it received is what a mailbox would get).
 */
let smtp: SmtpTestServer
let server: TestServer
let spec1: Browser
let spec2: Browser
let casey: Browser
const base = "https://careline.example.org"
const caseyEmail = "casey@example.net"

const portalCookieOf = (response: Response): string => {
  const cookie = response.headers.get("set-cookie")?.split(";")[0]
  if (response.status !== 303 || cookie === undefined) throw new Error(`No portal session: ${response.status}`)
  return cookie
}

beforeAll(async () => {
  smtp = await startSmtpTestServer()
  server = await startTestServer({ SMTP_URL: smtp.url, MAIL_FROM: "Careline <careline@example.org>", PUBLIC_BASE_URL: base })
  spec1 = await server.signIn("spec1")
  spec2 = await server.signIn("spec2")
  // Casey joins the portal through the invitation the SMTP server received.
  await giveEmail(server, world.clients.c1.id, caseyEmail)
  const invited = await spec1.request(`/clients/${world.clients.c1.id}/portal/invite`, { form: { _csrf: spec1.csrfToken } })
  expect(invited.status).toBe(303)
  const [invitation] = await smtp.waitFor(1)
  const path = new RegExp(`${base}(/portal/invite/[A-Za-z0-9_-]+)`).exec(invitation!.text)?.[1]
  expect(path).toBeDefined()
  casey = browserOf(server.app, portalCookieOf(await postPublic(server, path!, { password: portalPassword, confirm: portalPassword }, { origin: base })))
}, 60_000)
afterAll(async () => {
  await server?.close()
  await smtp?.close()
})

const canary = fc.stringMatching(/^[0-9a-f]{12}$/).map((hex) => `PHI${hex}`)
/** Text around a canary: letters, accents, emoji and punctuation (they change how email encodes it). */
const filler = fc.string({ unit: fc.constantFrom("a", "b", " ", "é", "ü", "ß", "—", "😀", ".", ",", "'", "\"", "<", ">", "&", "="), maxLength: 12 })
const planted = (c: fc.Arbitrary<string>) => fc.tuple(filler, c, filler).map(([before, token, after]) => ({ token, text: `${before}${token}${after}` }))

const contains = (haystack: string, needles: ReadonlyArray<string>) => needles.filter((needle) => haystack.includes(needle))
const everything = (email: ReceivedEmail) => `${email.raw}\n${email.subject}\n${email.text}`

/** Resolves once `count` more emails arrived after `before`, or once the notifier logged that many refusals. */
const settle = async (before: number, logsBefore: number, count: number) => {
  await expect.poll(() =>
    smtp.received().length - before + server.logs.slice(logsBefore).filter((line) => line.message.includes("could not be sent")).length,
    { timeout: 15_000, interval: 20 }).toBeGreaterThanOrEqual(count)
}

const runs = Math.max(10, Math.round(Number(process.env.FC_NUM_RUNS ?? 200) / 8))

describe("PHI canaries never leave in email, logs or error pages", () => {
  it("subject, body, client name and attachment name: none in any email received, log line or refusal page", async () => {
    await fc.assert(
      fc.asyncProperty(planted(canary), planted(canary), planted(canary), planted(canary), planted(canary), fc.boolean(), async (subject, body, name, file, reply, mailServerDown) => {
        const canaries = [subject.token, body.token, name.token, file.token, reply.token]
        await server.runtime.runPromise(Directory.use((d) => d.updateClient(world.clients.c1.id, (client) => ({ ...client, name: `Casey ${name.text}` }))))
        const emailsBefore = smtp.received().length
        const logsBefore = server.logs.length
        smtp.refuseWith(mailServerDown ? 550 : undefined)

        const sent = await postMultipart(server, spec1, "/secure/new", {
          do: "send",
          to: [`client:${world.clients.c1.id}`, `staff:${world.staff.coordinator.id}`],
          subject: `Check-in ${subject.text}`,
          body: `Hello Casey, ${body.text} see you soon.`
        }, { files: [{ name: `${file.text.replace(/[<>"]/g, "")}.txt`, content: `notes ${body.token}` }] })
        expect(sent.status).toBe(303)
        const threadId = threadIdFrom(sent) as ThreadId
        const replied = await postMultipart(server, casey, `/portal/messages/threads/${threadId}/reply`, { do: "send", body: `Thanks! ${reply.text} all good.` })
        expect(replied.status).toBe(303)
        // compose: Casey and the coordinator; reply: spec_1 and the coordinator.
        await settle(emailsBefore, logsBefore, 4)
        smtp.refuseWith(undefined)

        const emails = smtp.received().slice(emailsBefore)
        expect(emails.length).toBe(mailServerDown ? 0 : 4)
        for (const email of emails) {
          expect(contains(everything(email), canaries)).toEqual([])
          expect(email.subject).toBe("You have a new secure message from Harbour Care")
        }
        expect(contains(server.logs.map((line) => line.message).join("\n"), canaries)).toEqual([])

        // Those who may not see the thread get the same 404 as for nothing at all: no trace of it.
        const messages = await server.runtime.runPromise(PortalThreads.use((t) => t.messagesOf(threadId)).pipe(Effect.orDie))
        const blobId = messages.flatMap((m) => m.attachments)[0]?.blobId
        expect(blobId).toBeDefined()
        for (const path of [`/secure/threads/${threadId}`, `/secure/threads/${threadId}/files/${blobId}`, `/secure/threads/${threadId}/quick-note`]) {
          const page = await spec2.request(path)
          expect(page.status).toBe(404)
          expect(contains(await page.text(), canaries)).toEqual([])
        }
        // Casey's own pages greet them by name; nothing of the thread is on their 404.
        const elsewhere = await casey.request(`/portal/messages/threads/${threadId}x`)
        expect(elsewhere.status).toBe(404)
        expect(contains(await elsewhere.text(), canaries.filter((c) => c !== name.token))).toEqual([])
      }),
      { numRuns: runs }
    )
  }, 600_000)
})
