import { describe, it } from "vitest"
import { freshContext, screenshot } from "./Chromium.js"
import { eventually, useDemoBrowser } from "./DemoBrowser.js"

// The demo organisation's people (DemoOrganisation.ts).
const demo = useDemoBrowser()

describe("staff chat in the dock (S4)", () => {
  it("two colleagues chat live: Pat finds Theo as Chat, Enter sends, Theo sees the unread count and the message arrive, answers, Pat sees it live", async () => {
    const patContext = await freshContext(demo.browser)
    const theoContext = await freshContext(demo.browser)
    try {
      const pat = await patContext.newPage()
      const theo = await theoContext.newPage()
      await demo.signIn(pat, "peer@harbour.example")
      await demo.signIn(theo, "therapist@harbour.example")
      await theo.goto(`${demo.server.url}/clients`)
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
