import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll } from "vitest"
import { launchChromium, signIn } from "./Chromium.js"
import { type DemoServer, startDemoServer } from "./DemoServer.js"

/** Every demo login's password (DemoOrganisation.ts). */
export const demoPassword = "careline-demo"

/** Generous: live events and the outbox dispatcher are quick, but CI machines are slow. */
export const eventually = { timeout: 20_000 }

/** A test file's Chromium and demo server. */
export interface DemoBrowser {
  readonly browser: Browser
  readonly server: DemoServer
  /** Signs a demo staff member in through the sign-in page, with the demo password. */
  readonly signIn: (page: Page, email: string) => Promise<void>
}

/**
 * Launches Chromium and starts the demo server before the file's tests (ahead of its own `beforeAll`
 * hooks, which run in the order they are declared) and closes both after them. Read the fields in
 * hooks and tests only: they are there once the set-up ran.
 *
 * @example
 * ```ts
 * const demo = useDemoBrowser()
 * it("…", async () => {
 *   const page = await (await freshContext(demo.browser)).newPage()
 *   await demo.signIn(page, "therapist@harbour.example")
 * })
 * ```
 */
export const useDemoBrowser = (): DemoBrowser => {
  let browser: Browser | undefined
  let server: DemoServer | undefined
  beforeAll(async () => {
    browser = await launchChromium()
    server = await startDemoServer()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  const started = <A>(value: A | undefined): A => {
    if (value === undefined) throw new Error("The demo browser is used before its set-up ran (use it in hooks and tests only).")
    return value
  }
  return {
    get browser() {
      return started(browser)
    },
    get server() {
      return started(server)
    },
    signIn: (page, email) => signIn(page, started(server).url, email, demoPassword)
  }
}
