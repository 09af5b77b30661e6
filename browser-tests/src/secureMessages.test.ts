import { Directory } from "@careline/core"
import { Effect, Option } from "effect"
import type { BrowserContext, Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { freshContext, screenshot, unlabelledControls } from "./Chromium.js"
import { eventually, useDemoBrowser } from "./DemoBrowser.js"

// The demo organisation (DemoOrganisation.ts): Theo Therapist is assigned Kai Larsen, who has no portal account yet.
const therapist = "therapist@harbour.example"
const client = "Kai Larsen"
const clientEmail = "kai.larsen@example.org"
const clientPassword = "a long portal password"

/** Marks the loaded page, so that {@link notReloaded} can tell whether it was loaded again since. */
const markLoaded = (page: Page) => page.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true })
const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true)

const demo = useDemoBrowser()
let staff: BrowserContext
let portal: BrowserContext
beforeAll(async () => {
  staff = await freshContext(demo.browser)
  portal = await freshContext(demo.browser)
  // Kai needs an email address to be invited to the portal.
  await demo.server.runtime.runPromise(Directory.use((directory) =>
    Effect.gen(function* () {
      const clients = yield* directory.listClients(demo.server.seeded.organisation.id)
      const kai = Option.getOrThrow(Option.fromUndefinedOr(clients.find((c) => c.name === client)))
      yield* directory.putClient({ ...kai, email: clientEmail })
    })))
})

describe("secure messages (S1): therapist and client through the portal", () => {
  it("compose → the client is invited and signs in → reads → replies → the therapist sees the reply live, and the client the answer", async () => {
    const page = await staff.newPage()
    await demo.signIn(page, therapist)

    // The therapist writes to Kai from Secure messages.
    await page.getByRole("link", { name: "Secure messages" }).click()
    await page.getByRole("heading", { level: 1, name: "Secure messages" }).waitFor()
    await page.getByRole("link", { name: "New message" }).first().click()
    await page.getByLabel(`${client} (client)`).check()
    await page.getByLabel(/^Subject/).fill("Your plan for next week")
    await page.getByLabel(/^Message/).fill("Hi Kai, here is the plan we agreed on for next week.")
    await page.getByRole("button", { name: "Send", exact: true }).click()
    await page.getByRole("heading", { level: 1, name: "Your plan for next week" }).waitFor(eventually)
    await page.getByText("Message sent.").waitFor()

    // …and invites Kai to the portal from the profile.
    await page.goto(`${demo.server.url}/clients`)
    await page.getByRole("link", { name: client, exact: true }).click()
    await page.getByRole("heading", { level: 1, name: client }).waitFor()
    await page.getByRole("button", { name: "Invite to portal" }).click()
    await page.getByText(/Invitation sent/).waitFor(eventually)

    // Kai finds the invitation in the demo mailbox, sets a password and is signed in.
    const kai = await portal.newPage()
    await kai.goto(`${demo.server.url}/simulator/mail`)
    await kai.getByRole("link", { name: /\/portal\/invite\// }).first().click()
    await kai.getByLabel("New password").fill(clientPassword)
    await kai.getByLabel("Repeat the password").fill(clientPassword)
    await kai.getByRole("button", { name: "Set password and sign in" }).click()
    await kai.waitForURL((url) => url.pathname.startsWith("/portal"))

    // Kai reads the message (unread in bold in her inbox) and replies.
    await kai.goto(`${demo.server.url}/portal/messages`)
    const row = kai.locator(".secure-row.unread", { hasText: "Your plan for next week" })
    await row.waitFor(eventually)
    await row.getByRole("link").click()
    await kai.getByText("Hi Kai, here is the plan we agreed on for next week.").waitFor()
    await screenshot(kai, "portal-thread")

    // The therapist waits on the inbox; the page is not reloaded from here on.
    const listening = page.waitForResponse((response) => new URL(response.url()).pathname === "/events")
    await page.goto(`${demo.server.url}/secure`)
    await listening
    await markLoaded(page)

    const reply = "Thanks Theo, that plan works for me. See you Wednesday."
    await kai.getByLabel(/^Your reply/).fill(reply)
    await kai.getByRole("button", { name: "Send reply" }).click()
    await kai.getByText("Reply sent.").waitFor(eventually)
    await kai.locator(".secure-message", { hasText: reply }).waitFor()

    // The inbox bolds the thread live; opening it shows the reply.
    const unread = page.locator(".secure-row.unread", { hasText: "Your plan for next week" })
    await unread.waitFor(eventually)
    expect(await notReloaded(page)).toBe(true)
    await screenshot(page, "secure-inbox")
    await unread.getByRole("link").click()
    await page.locator(".secure-message", { hasText: reply }).waitFor()

    // With the thread open, a second reply appears in it live.
    await markLoaded(page)
    const again = "One more thing: can we start at 3pm instead?"
    await kai.getByLabel(/^Your reply/).fill(again)
    await kai.getByRole("button", { name: "Send reply" }).click()
    await page.locator(".secure-message", { hasText: again }).waitFor(eventually)
    expect(await notReloaded(page)).toBe(true)
    await screenshot(page, "secure-thread")

    // Kai keeps the thread open in the portal (her own live stream, /portal/events): the therapist's
    // answer appears in it without a reload.
    const kaiListening = kai.waitForResponse((response) => new URL(response.url()).pathname === "/portal/events")
    await kai.reload()
    await kaiListening
    await markLoaded(kai)
    const answer = "3pm on Wednesday is fine. See you then, Kai."
    await page.getByLabel(/^Your reply/).fill(answer)
    await page.getByRole("button", { name: "Send reply" }).click()
    await kai.locator(".secure-message", { hasText: answer }).waitFor(eventually)
    expect(await notReloaded(kai)).toBe(true)
  })

  it("a client who signs out in another tab stops hearing live events, and the open page does not keep reconnecting", async () => {
    const kaiElsewhere = await freshContext(demo.browser)
    const kai = await kaiElsewhere.newPage()
    await kai.goto(`${demo.server.url}/portal/sign-in`)
    await kai.getByLabel("Email").fill(clientEmail)
    await kai.getByLabel("Password").fill(clientPassword)
    const listening = kai.waitForResponse((response) => new URL(response.url()).pathname === "/portal/events")
    await kai.getByRole("button", { name: "Sign in" }).click()
    await kai.getByRole("heading", { level: 1, name: "Secure messages" }).waitFor(eventually)
    await listening
    const streams: Array<string> = []
    kai.on("request", (request) => { if (new URL(request.url()).pathname === "/portal/events") streams.push(request.url()) })
    // Kai signs out in a second tab; the first tab's page stays open.
    const tab = await kaiElsewhere.newPage()
    await tab.goto(`${demo.server.url}/portal/messages`)
    await tab.getByRole("button", { name: "Sign out" }).click()
    await tab.waitForURL((url) => url.pathname === "/portal/sign-in")
    // The therapist writes again: the stream finds the session ended, says 'signed-out' and closes; no reconnects follow.
    const page = await staff.newPage()
    await page.goto(`${demo.server.url}/secure`)
    await page.locator(".secure-row a", { hasText: "Your plan for next week" }).click()
    await page.getByLabel(/^Your reply/).fill("Are you still there, Kai?")
    await page.getByRole("button", { name: "Send reply" }).click()
    await page.getByText("Reply sent.").waitFor(eventually)
    await kai.waitForTimeout(3_000)
    expect(streams).toEqual([])
    expect(await kai.locator(".secure-row", { hasText: "Your plan for next week" }).count()).toBe(1)
    await kaiElsewhere.close()
  })

  it("every control of the secure-message pages has a label, for staff and in the portal", async () => {
    const page = await staff.newPage()
    for (const path of ["/secure", "/secure/new", "/secure?folder=drafts", "/secure?folder=archive"]) {
      await page.goto(`${demo.server.url}${path}`)
      expect(await unlabelledControls(page), path).toEqual([])
    }
    await page.goto(`${demo.server.url}/secure`)
    await page.locator(".secure-row a").first().click()
    await page.locator(".secure-message").first().waitFor()
    expect(await unlabelledControls(page), "a thread").toEqual([])
    const client = await portal.newPage()
    for (const path of ["/portal/messages", "/portal/messages/new"]) {
      await client.goto(`${demo.server.url}${path}`)
      expect(await unlabelledControls(client), path).toEqual([])
    }
  })
})
