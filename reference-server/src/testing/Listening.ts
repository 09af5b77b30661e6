import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { serverListener } from "../Listener.js"
import type { TestServer } from "./TestServer.js"

export interface Listening {
  /** `http://127.0.0.1:<port>`: the test server over real HTTP, through `careline serve`'s listener. */
  readonly baseUrl: string
  readonly close: () => Promise<void>
}

/** Serves `server` on a free loopback port with the listener `careline serve` uses (`Listener.ts`). */
export const listenOverHttp = async (server: TestServer): Promise<Listening> => {
  const http = createServer(serverListener(server.runtime, server.app))
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve))
  const { port } = http.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve())
        http.closeAllConnections()
      })
  }
}
