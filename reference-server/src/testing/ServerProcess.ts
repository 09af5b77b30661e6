import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"

const careline = fileURLToPath(new URL("../../bin/careline.js", import.meta.url))

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))))
    })
  })

/** Runs `careline <args>` to its end; its standard output, or a failure with everything it printed. */
export const runCareline = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [careline, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    child.stdout.on("data", (chunk) => (out += chunk))
    child.stderr.on("data", (chunk) => (err += chunk))
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`careline ${args.join(" ")} exited ${code}: ${out}${err}`))))
  })

/** A `careline serve` in its own process, to be killed like a real one. */
export interface ServerProcess {
  readonly port: number
  readonly child: ChildProcess
  /** `kill -9`: no shutdown code runs. */
  readonly crash: () => Promise<void>
  /** SIGTERM: the orderly shutdown. */
  readonly stop: () => Promise<void>
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())))

/** Starts `careline serve` on a free port and resolves once it says it is running. */
export const startServerProcess = async (env: Record<string, string>): Promise<ServerProcess> => {
  const port = await freePort()
  const child = spawn(process.execPath, [careline, "serve"], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] })
  await new Promise<void>((resolve, reject) => {
    let printed = ""
    const onData = (chunk: Buffer) => {
      printed += chunk.toString()
      if (printed.includes("Careline is running")) resolve()
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.once("exit", (code) => reject(new Error(`careline serve exited ${code} before it was ready: ${printed}`)))
  })
  return {
    port,
    child,
    crash: async () => {
      child.kill("SIGKILL")
      await exited(child)
    },
    stop: async () => {
      child.kill("SIGTERM")
      await exited(child)
    }
  }
}
