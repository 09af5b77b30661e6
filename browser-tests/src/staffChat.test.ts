import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, it } from "vitest"
import { freshContext, launchChromium, screenshot, signIn } from "./Chromium.js"
import { type DemoServer, startDemoServer } from "./DemoServer.js"

// The demo organisation's people (DemoOrganisation.ts); every demo login has the same password.
const password = "careline-demo"
const eventually = { timeout: 20_000 }

let server: DemoServer
let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
  server = await startDemoServer()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe("staff chat in the dock (S4)", () => {
  it("two colleagues chat live: Pat finds Theo as Chat, Enter sends, Theo sees the unread count and the message arrive, answers, Pat sees it live", async () => {
    const patContext = await freshContext(browser)
    const theoContext = await freshContext(browser)
    try {
      const pat = await patContext.newPage()
      const theo = await theoContext.newPage()
      await signIn(pat, server.url, "peer@harbour.example", password)
      await signIn(theo, server.url, "therapist@harbour.example", password)
      await theo.goto(`${server.url}/clients`)
      await theo.locator("#live").waitFor({ state: "attached" })

      // Pat: the finder lists Theo as a colleague to chat with (never SMS).
      await pat.getByRole("button", { name: "Open chat" }).click()
      await pat.getByLabel("Client, colleague, contact or number").fill("Theo")
      const theoMatch = pat.locator("#dock-results").getByRole("button", { name: /Theo Therapist.*Chat/ })
      await theoMatch.waitFor(eventually)
      await screenshot(pat, "staff-chat-finder")
      await theoMatch.click()
      const patDock = pat.locator("#chat-dock")
      await patDock.getByText("No messages yet. Say hello.").waitFor(eventually)
      await patDock.getByLabel("Message").fill("Theo, can you take the 4pm group?")
      await patDock.getByLabel("Message").press("Enter")
      await patDock.locator(".dock-messages").getByText("Theo, can you take the 4pm group?").waitFor(eventually)

      // Theo, on another page: the launcher counts the unread message live; the recent chats list has it.
      await theo.locator(".dock-launcher .dock-unread").getByText("1").waitFor(eventually)
      await theo.getByRole("button", { name: "Open chat" }).click()
      await theo.locator("#dock-chat-list").getByRole("button", { name: /Pat Peer/ }).click()
      const theoDock = theo.locator("#chat-dock")
      await theoDock.locator(".dock-messages").getByText("Theo, can you take the 4pm group?").waitFor(eventually)
      await theoDock.getByLabel("Message").fill("Yes, I've got it.")
      await theoDock.getByLabel("Message").press("Enter")

      // Pat's open chat shows the answer without reloading.
      await patDock.locator(".dock-messages").getByText("Yes, I've got it.").waitFor(eventually)
      await screenshot(pat, "staff-chat")
    } finally {
      await patContext.close()
      await theoContext.close()
    }
  })
})
