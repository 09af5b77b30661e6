import type { BrowserContext, Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { freshContext, screenshot } from "./Chromium.js"
import { eventually, useDemoBrowser } from "./DemoBrowser.js"

// The demo organisation's people (DemoOrganisation.ts).
const peer = "peer@harbour.example"
const therapist = "therapist@harbour.example"
const supervisor = "supervisor@harbour.example"

const demo = useDemoBrowser()
let staff: BrowserContext
let phone: BrowserContext
beforeAll(async () => {
  staff = await freshContext(demo.browser)
  phone = await freshContext(demo.browser)
})

/** Opens the simulator as `client`'s phone talking to the line whose description mentions `lineOwner`. */
const openPhone = async (page: Page, client: string, lineOwner: string) => {
  await page.goto(`${demo.server.url}/simulator`)
  const number = await page.locator('select[name="phone"] option', { hasText: client }).first().getAttribute("value")
  const line = await page.locator('select[name="line"] option', { hasText: lineOwner }).first().getAttribute("value")
  await page.getByLabel("Client phone").selectOption(number!)
  await page.getByLabel("Careline line to text").selectOption(line!)
  await page.getByRole("button", { name: "Open this phone" }).click()
  await page.locator("#sim-thread").waitFor()
}

/** Opens a client's profile from the client list, on its Messages (SMS) tab. */
const openClientSms = async (page: Page, name: string) => {
  await page.goto(`${demo.server.url}/clients`)
  await page.getByRole("link", { name, exact: true }).click()
  await page.getByRole("heading", { level: 1, name }).waitFor()
  await page.getByRole("link", { name: "Messages (SMS)" }).click()
  await page.locator("#sms-tab").waitFor()
}

describe("main path (peer specialist and a client's phone)", () => {
  it("sign in → text a client → the phone receives it → the client replies → the inbox bolds it live → open → mark done", async () => {
    const page = await staff.newPage()
    await page.goto(`${demo.server.url}/sign-in`)
    await screenshot(page, "sign-in")
    await demo.signIn(page, peer)
    await expect.poll(() => new URL(page.url()).pathname).toBe("/messages")
    await page.locator("#inbox-list").getByText("Bea Chen").waitFor()
    await screenshot(page, "inbox")

    // Staff texts Eli from the client's profile.
    await openClientSms(page, "Eli Haddad")
    const outbound = "Hi Eli, this is Pat. Are you free for a call tomorrow?"
    await page.getByLabel(/^Message to Eli Haddad/).fill(outbound)
    await page.locator("#sms-tab").getByRole("button", { name: "Send" }).click()
    await page.locator("#sms-tab").getByText(outbound).waitFor(eventually)
    await screenshot(page, "client-profile")

    // The phone simulator receives it once the outbox hands it to the (fake) provider.
    const handset = await phone.newPage()
    await openPhone(handset, "Eli Haddad", "Pat Peer")
    await handset.locator("#sim-thread .sim-theirs", { hasText: outbound }).waitFor(eventually)

    // The staff member waits on the inbox; the page is never reloaded from here on.
    const listening = page.waitForResponse((response) => new URL(response.url()).pathname === "/events")
    await page.goto(`${demo.server.url}/messages`)
    await page.locator("#inbox-list").waitFor()
    await listening
    await page.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true })

    const reply = "Yes, after 3pm works for me."
    await handset.getByLabel("Text message").fill(reply)
    await handset.getByRole("button", { name: "Send" }).click()
    await handset.locator("#sim-thread .sim-mine", { hasText: reply }).waitFor(eventually)
    await screenshot(handset, "simulator")

    const row = page.locator("#inbox-list li.unread", { hasText: "Eli Haddad" })
    await row.waitFor(eventually)
    expect(Number(await row.locator(".name").evaluate((element) => getComputedStyle(element).fontWeight))).toBeGreaterThanOrEqual(600)
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
    expect(await page.locator("#inbox-list li").first().textContent()).toContain("Eli Haddad")

    await row.getByRole("link").click()
    await page.locator("#channel-panes").getByText(reply, { exact: true }).waitFor(eventually)
    await screenshot(page, "channel")

    // Staff answers from the conversation; the open phone shows it live (its page is never reloaded).
    await handset.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true })
    const answer = "Great, I'll call you at 3:30."
    await page.locator("#composer").getByLabel(/^Message to Eli Haddad/).fill(answer)
    await page.locator("#composer").getByRole("button", { name: "Send" }).click()
    await handset.locator("#sim-thread .sim-theirs", { hasText: answer }).waitFor(eventually)
    expect(await handset.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)

    const actions = page.locator("#channel-actions")
    await actions.getByRole("button", { name: "Mark done" }).click()
    await expect.poll(() => actions.locator("#status-title").textContent(), eventually).toContain("Done")
    await expect.poll(() => page.locator("#inbox-list li", { hasText: "Eli Haddad" }).getAttribute("class"), eventually).not.toContain("unread")
    await page.close()
    await handset.close()
  })

  it("texting a client who has not opted in is refused, and the page says why", async () => {
    const context = await freshContext(demo.browser)
    try {
      const page = await context.newPage()
      await demo.signIn(page, therapist)
      await openClientSms(page, "Mo Farah")
      await page.getByLabel(/^Message to Mo Farah/).fill("Hello Mo, checking in.")
      await page.locator("#sms-tab").getByRole("button", { name: "Send" }).click()
      // The core's reason, in words, where the person is looking.
      await page.getByRole("alert").filter({ hasText: /has not opted in/ }).waitFor(eventually)
    } finally {
      await context.close()
    }
  })

  it("the chat dock starts a conversation from any page and answers without leaving it", async () => {
    const context = await freshContext(demo.browser)
    const page = await context.newPage()
    await demo.signIn(page, peer)
    await page.goto(`${demo.server.url}/clients`)
    const path = new URL(page.url()).pathname
    await page.getByRole("button", { name: "Open chat" }).click()
    await page.getByLabel("Client, colleague, contact or number").fill("Bea")
    await page.locator("#dock-results").getByRole("button", { name: /Bea Chen/ }).click()
    const dock = page.locator("#chat-dock")
    await dock.getByText("Running about 10 minutes late").waitFor(eventually)
    await dock.getByLabel("Message").fill("No problem, see you soon!")
    await dock.getByRole("button", { name: "Send" }).click()
    await dock.locator(".dock-messages").getByText("No problem, see you soon!").waitFor(eventually)
    expect(new URL(page.url()).pathname).toBe(path)

    // Bea answers from her phone: the dock shows it live.
    const handset = await phone.newPage()
    await openPhone(handset, "Bea Chen", "Pat Peer")
    await handset.getByLabel("Text message").fill("Thanks Pat!")
    await handset.getByRole("button", { name: "Send" }).click()
    await dock.locator(".dock-messages").getByText("Thanks Pat!").waitFor(eventually)
    await handset.close()
    await screenshot(page, "chat-dock")

    // The open conversation survives a page load; minimise hides it, close puts the launcher back.
    await page.goto(`${demo.server.url}/messages`)
    await dock.getByText("No problem, see you soon!").waitFor(eventually)
    await dock.getByRole("button", { name: "Minimise chat" }).click()
    await expect.poll(() => dock.locator(".dock-body").isVisible()).toBe(false)
    await dock.getByRole("button", { name: "Close chat" }).click()
    await dock.getByRole("button", { name: "Open chat" }).waitFor()
    await context.close()
  })

  it("reply link round trip: allow replies, open the link with no account, reply, and the staff channel shows it live", async () => {
    const context = await freshContext(demo.browser)
    const page = await context.newPage()
    await demo.signIn(page, peer)
    await page.goto(`${demo.server.url}/messages`)
    await page.locator("#inbox-list li", { hasText: "Alex Rivera" }).getByRole("link").click()
    const actions = page.locator("#channel-actions")
    await actions.getByRole("heading", { name: "Alex Rivera" }).waitFor(eventually)
    // Replies may already be on; turn them on if not (the switch flips whatever it shows).
    if ((await actions.getByRole("switch", { name: "Allow replies" }).getAttribute("aria-checked")) !== "true") {
      await actions.getByRole("switch", { name: "Allow replies" }).click()
    }
    await expect.poll(() => actions.getByRole("switch", { name: "Allow replies" }).getAttribute("aria-checked"), eventually).toBe("true")
    if ((await actions.getByLabel("Reply link").count()) === 0) await actions.getByRole("button", { name: "Create reply link" }).click()
    const link = await actions.getByLabel("Reply link").inputValue({ timeout: eventually.timeout })
    expect(new URL(link).pathname).toMatch(/^\/r\/.+/)

    // The client, in a browser that never signed in.
    const client = await freshContext(demo.browser)
    try {
      const replyPage = await client.newPage()
      await replyPage.goto(link)
      await replyPage.getByRole("heading", { name: "Messages with Harbour Demo Care" }).waitFor()
      await replyPage.getByText("Hi Alex, yes: 6pm in the community room as usual. See you there!").waitFor()
      const reply = "Thanks! Could you send me the address again?"
      await replyPage.getByLabel("Your reply").fill(reply)
      await replyPage.getByRole("button", { name: "Send reply" }).click()
      await replyPage.getByRole("status").filter({ hasText: "Your reply was sent." }).waitFor(eventually)
      await page.locator("#channel-panes").getByText(reply, { exact: true }).waitFor(eventually)
    } finally {
      await client.close()
    }
    await context.close()
  })

  it("settings (supervisor)", async () => {
    const context = await freshContext(demo.browser)
    try {
      const page = await context.newPage()
      await demo.signIn(page, supervisor)
      await page.goto(`${demo.server.url}/settings`)
      await page.getByRole("heading", { level: 1 }).waitFor()
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toMatch(/Settings/)
      await screenshot(page, "settings")
    } finally {
      await context.close()
    }
  })
})
