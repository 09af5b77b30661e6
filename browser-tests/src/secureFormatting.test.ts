import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { freshContext } from "./Chromium.js"
import { useDemoBrowser } from "./DemoBrowser.js"

// The formatting bar above a secure message's body (S1), in a real browser: the buttons and Ctrl+B /
// Ctrl+I insert the plain-text markers, and the sent thread shows them formatted.

const demo = useDemoBrowser()

/** Selects `text` (its first occurrence) in the textarea. */
const select = (page: Page, id: string, text: string) =>
  page.evaluate(([id, text]) => {
    const area = document.getElementById(id!) as HTMLTextAreaElement
    const start = area.value.indexOf(text!)
    area.focus()
    area.setSelectionRange(start, start + text!.length)
  }, [id, text])

describe("secure messages: the formatting bar", () => {
  it("Bold and lists by button (mouse and keyboard), italic by Ctrl+I, then the thread shows them formatted", async () => {
    const page = await (await freshContext(demo.browser)).newPage()
    await demo.signIn(page, "therapist@harbour.example")
    await page.goto(`${demo.server.url}/secure/new`)
    await page.locator('input[name="to"]').first().check()
    await page.getByLabel(/^Subject/).fill("Formatting check")
    const body = page.getByLabel(/^Message/)
    await body.fill("Please read this today.\nwalk daily\ncall the group")
    const bar = page.getByRole("group", { name: "Formatting" })

    await select(page, "compose-body", "read this")
    await bar.getByRole("button", { name: "Bold" }).click()
    expect(await body.inputValue()).toBe("Please **read this** today.\nwalk daily\ncall the group")

    await select(page, "compose-body", "today")
    await page.keyboard.press("Control+i")
    expect(await body.inputValue()).toBe("Please **read this** _today_.\nwalk daily\ncall the group")

    // Keyboard: the selection stays while the button has focus; Enter on it, and focus is back in the body.
    await select(page, "compose-body", "walk daily\ncall")
    await bar.getByRole("button", { name: "Bulleted list" }).focus()
    await page.keyboard.press("Enter")
    expect(await body.inputValue()).toBe("Please **read this** _today_.\n- walk daily\n- call the group")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("compose-body")

    await page.getByRole("button", { name: "Send", exact: true }).click()
    await page.getByRole("heading", { level: 1, name: "Formatting check" }).waitFor({ timeout: 20_000 })
    const shown = await page.locator(".secure-message .body.formatted").first().innerHTML()
    expect(shown).toBe("<p>Please <strong>read this</strong> <em>today</em>.</p><ul><li>walk daily</li><li>call the group</li></ul>")
  })
})
