import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { freshContext, unlabelledControls } from "./Chromium.js"
import { demoPassword, eventually, useDemoBrowser } from "./DemoBrowser.js"

const demo = useDemoBrowser()

/** Presses Tab until `matches` holds for the focused element (at most `limit` times); fails if it never does. */
const tabTo = async (page: Page, matches: (element: Element) => boolean, limit = 80) => {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab")
    if (await page.evaluate(`(${matches.toString()})(document.activeElement)`)) return
  }
  throw new Error("Tab never reached the element")
}

describe("keyboard and labels", () => {
  it("signs in, opens a conversation and sends a text with the keyboard alone", async () => {
    const context = await freshContext(demo.browser)
    try {
      const page = await context.newPage()
      await page.goto(`${demo.server.url}/sign-in`)
      // The email field has focus on arrival (autofocus may land just after the load event on a busy machine).
      await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "email", undefined, eventually)
      await page.keyboard.type("peer@harbour.example")
      await page.keyboard.press("Tab")
      await page.keyboard.type(demoPassword)
      await page.keyboard.press("Enter")
      await expect.poll(() => new URL(page.url()).pathname, eventually).toBe("/messages")

      // The first Tab stop from the top of the loaded page skips straight to the content.
      await page.waitForLoadState("load")
      await page.locator("#inbox-list").waitFor()
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
      await page.keyboard.press("Tab")
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content")

      await tabTo(page, (element) => element.tagName === "A" && element.closest("#inbox-list") !== null && (element.textContent ?? "").includes("Alex Rivera"))
      await page.keyboard.press("Enter")
      await page.locator("#composer textarea").waitFor(eventually)
      await tabTo(page, (element) => element.tagName === "TEXTAREA" && element.closest("#composer") !== null)
      const text = "Typed and sent without a mouse."
      await page.keyboard.type(text)
      await tabTo(page, (element) => element.tagName === "BUTTON" && element.textContent === "Send", 5)
      await page.keyboard.press("Enter")
      await page.locator("#channel-panes").getByText(text, { exact: true }).waitFor(eventually)
    } finally {
      await context.close()
    }
  })

  it("every form control on the main pages has a label", async () => {
    const context = await freshContext(demo.browser)
    try {
      const page = await context.newPage()
      await page.goto(`${demo.server.url}/sign-in`)
      expect(await unlabelledControls(page)).toEqual([])
      await demo.signIn(page, "admin@harbour.example")
      for (const path of ["/messages", "/clients", "/bulk", "/settings", "/admin", "/admin/audit", "/admin/lines", "/simulator"]) {
        await page.goto(`${demo.server.url}${path}`)
        expect(await unlabelledControls(page), path).toEqual([])
      }
      await page.goto(`${demo.server.url}/clients`)
      await page.getByRole("link", { name: "Alex Rivera", exact: true }).click()
      await page.getByRole("heading", { level: 1, name: "Alex Rivera" }).waitFor()
      expect(await unlabelledControls(page), "client profile").toEqual([])
    } finally {
      await context.close()
    }
  })
})
