import { mkdtempSync, rmSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { serve } from "@hono/node-server"
import { loadConfig, makeApp, makeRuntime, seedDemoOrganisation, startDispatcher, type DemoSeeded, type ServerRuntime } from "@careline/reference-server"
import { Result } from "effect"

export interface DemoServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly runtime: ServerRuntime
  readonly seeded: DemoSeeded
  readonly close: () => Promise<void>
}

/**
 * The real server in this process, as `careline serve --demo` runs it: a libSQL file in a fresh
 * temporary directory, the fake SMS provider, the demo organisation, the outbox dispatcher running,
 * listening on a free port.
 */
export const startDemoServer = async (): Promise<DemoServer> => {
  const directory = mkdtempSync(join(tmpdir(), "careline-browser-"))
  const config = Result.getOrThrow(loadConfig({ DATABASE_URL: `file:${join(directory, "careline.db")}`, SMS_PROVIDER: "fake" }))
  const runtime = makeRuntime(config)
  const seeded = await runtime.runPromise(seedDemoOrganisation(undefined))
  const dispatcher = startDispatcher(runtime, "100 millis")
  const app = makeApp(runtime)
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(listening))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    seeded,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Live-event streams never end on their own.
      if ("closeAllConnections" in server) server.closeAllConnections()
      await closed
      await dispatcher.stop()
      await runtime.dispose()
      rmSync(directory, { recursive: true, force: true })
    }
  }
}
