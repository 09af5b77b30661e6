import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { freshContext, launchChromium, signIn } from "./Chromium.js"
import { type DemoServer, startDemoServer } from "./DemoServer.js"

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

/** Presses Tab until `matches` holds for the focused element (at most `limit` times); fails if it never does. */
const tabTo = async (page: Page, matches: (element: Element) => boolean, limit = 80) => {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab")
    if (await page.evaluate(`(${matches.toString()})(document.activeElement)`)) return
  }
  throw new Error("Tab never reached the element")
}

/** Every visible form control on the page with no accessible name: what a screen reader could not announce. */
const unlabelledControls = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((element) => {
        const input = element as HTMLInputElement
        if (input.type === "hidden" || input.offsetParent === null) return false
        const labelled = (input.labels?.length ?? 0) > 0 || input.getAttribute("aria-label") !== null || input.getAttribute("aria-labelledby") !== null
        return !labelled
      })
      .map((element) => element.outerHTML.slice(0, 120)))

describe("keyboard and labels", () => {
  it("signs in, opens a conversation and sends a text with the keyboard alone", async () => {
    const context = await freshContext(browser)
    try {
      const page = await context.newPage()
      await page.goto(`${server.url}/sign-in`)
      // The email field has focus on arrival.
      await page.keyboard.type("peer@harbour.example")
      await page.keyboard.press("Tab")
      await page.keyboard.type(password)
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
    const context = await freshContext(browser)
    try {
      const page = await context.newPage()
      await page.goto(`${server.url}/sign-in`)
      expect(await unlabelledControls(page)).toEqual([])
      await signIn(page, server.url, "admin@harbour.example", password)
      for (const path of ["/messages", "/clients", "/bulk", "/settings", "/admin", "/admin/audit", "/admin/lines", "/simulator"]) {
        await page.goto(`${server.url}${path}`)
        expect(await unlabelledControls(page), path).toEqual([])
      }
      await page.goto(`${server.url}/clients`)
      await page.getByRole("link", { name: "Alex Rivera", exact: true }).click()
      await page.getByRole("heading", { level: 1, name: "Alex Rivera" }).waitFor()
      expect(await unlabelledControls(page), "client profile").toEqual([])
    } finally {
      await context.close()
    }
  })
})
