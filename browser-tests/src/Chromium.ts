import { existsSync, mkdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core"

/** Debian's chromium (`apt-get install chromium`); these tests never download a browser. */
export const chromiumPath = "/usr/bin/chromium"

const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync"
]

/**
 * Debian's Chromium, headless. Playwright gives each launch a fresh temporary `--user-data-dir`
 * (and removes it on close), and each `newContext()` is a fresh, isolated profile on top: no cookie
 * or storage carries over. Fails, never skips, when Chromium is missing: CI installs it.
 */
export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}. Install Debian's package: apt-get install -y --no-install-recommends chromium`)
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: flags })
}

/** A fresh browsing context (cookies, storage) at a laptop's size. */
export const freshContext = (browser: Browser): Promise<BrowserContext> => browser.newContext({ viewport: { width: 1280, height: 800 } })

const screenshotsDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots")

/** Saves `docs/screenshots/<name>.png`, only with `CARELINE_SCREENSHOTS=1` (so CI never rewrites them). */
export const screenshot = async (page: Page, name: string) => {
  if (process.env["CARELINE_SCREENSHOTS"] !== "1") return
  mkdirSync(screenshotsDir, { recursive: true })
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`) })
}

/** Signs a demo staff member in through the sign-in page. */
export const signIn = async (page: Page, baseUrl: string, email: string, password: string) => {
  await page.goto(`${baseUrl}/sign-in`)
  await page.getByLabel("Email").fill(email)
  await page.getByLabel("Password").fill(password)
  await page.getByRole("button", { name: "Sign in" }).click()
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"))
}

/** Every visible form control on the page with no accessible name: what a screen reader could not announce. */
export const unlabelledControls = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((element) => {
        const input = element as HTMLInputElement
        if (input.type === "hidden" || input.offsetParent === null) return false
        return (input.labels?.length ?? 0) === 0 && input.getAttribute("aria-label") === null && input.getAttribute("aria-labelledby") === null
      })
      .map((element) => element.outerHTML.slice(0, 120)))
