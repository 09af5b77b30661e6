import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { createClient } from "@libsql/client"
import { Logger, Result } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { makeApp } from "../App.js"
import { loadConfig } from "../Config.js"
import { makeRuntime } from "../Runtime.js"
import { runCommandLine } from "./CommandLine.js"

let directory: string
let env: Record<string, string>
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "careline-cli-"))
  // A directory that does not exist yet: the server creates it, as it does ./data.
  env = { DATABASE_URL: pathToFileURL(join(directory, "data", "careline.db")).href }
})
afterEach(() => rmSync(directory, { recursive: true, force: true }))

const silent = { logger: Logger.make(() => undefined) }

/** Runs `careline …`; answers the exit code and what it printed. */
const careline = async (...argv: ReadonlyArray<string>) => {
  const out: Array<string> = []
  const err: Array<string> = []
  const code = await runCommandLine(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) }, silent)
  return { code, out, err, stdout: out.join("\n"), stderr: err.join("\n") }
}

/** A request to the app over the same database, as the server would answer it. */
const request = async (path: string, token: string) => {
  const runtime = makeRuntime(Result.getOrThrow(loadConfig(env)), silent)
  try {
    return await makeApp(runtime).request(path, { headers: { authorization: `Bearer ${token}` } })
  } finally {
    await runtime.dispose()
  }
}

describe("careline (the command line)", () => {
  it("migrate creates the database and its directory", async () => {
    const { code, stdout } = await careline("migrate")
    expect(code).toBe(0)
    expect(stdout).toContain("every migration is applied")
    expect(existsSync(join(directory, "data", "careline.db"))).toBe(true)
  })

  it("sets up an organisation by hand: organisation, staff, a token that works, lines", async () => {
    const org = await careline("create-organisation", "--name", "Harbour Care", "--time-zone", "America/Chicago")
    expect(org.code).toBe(0)
    expect(org.stdout).toMatch(/^org_/)
    const staff = await careline("create-staff", "--email", "sam@example.org", "--name", "Sam Admin", "--role", "admin")
    expect(staff.code).toBe(0)
    const staffId = staff.stdout
    await careline("create-staff", "--email", "pat@example.org", "--name", "Pat", "--role", "specialist")
    const token = await careline("api-token", "--email", "SAM@example.org")
    expect(token.code).toBe(0)
    expect(token.stdout).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(token.stderr).toContain("stores only its hash")
    const me = await request("/api/v1/me", token.stdout)
    expect(me.status).toBe(200)
    expect(((await me.json()) as { staff: { id: string } }).staff.id).toBe(staffId)

    expect((await careline("add-line", "--number", "+13125550100", "--owner-org", "--rate", "3")).code).toBe(0)
    expect((await careline("add-line", "--number", "+13125550101", "--owner-staff", "pat@example.org")).code).toBe(0)
    const queue = await careline("add-line", "--number", "+13125550102", "--queue", "Front desk", "--members", "sam@example.org,pat@example.org")
    expect(queue.code).toBe(0)
    expect(queue.stderr).toContain("Created the queue Front desk with 2 members")
    const lines = await request("/api/v1/lines", token.stdout)
    const numbers = ((await lines.json()) as { lines: ReadonlyArray<{ number: string; ratePerSecond: number }> }).lines
    expect(numbers.map((l) => [l.number, l.ratePerSecond]).sort()).toEqual([["+13125550100", 3], ["+13125550102", 1]])

    const revoked = await careline("revoke-api-tokens", "--email", "sam@example.org")
    expect(revoked.stdout).toBe("Revoked 1 API token of sam@example.org.")
    expect((await request("/api/v1/me", token.stdout)).status).toBe(401)
  })

  it("says what to fix: every bad option at once, with the usage line (exit 2)", async () => {
    await careline("create-organisation", "--name", "Harbour Care")
    const bad = await careline("create-staff", "--email", "not-an-email", "--role", "boss", "--nmae", "Sam")
    expect(bad.code).toBe(2)
    expect(bad.err[0]).toMatch(/^careline create-staff: --/)
    expect(bad.stderr).toContain("--email: an email address, like sam@example.org")
    expect(bad.stderr).toContain("--role: Expected \"specialist\"")
    expect(bad.stderr).toContain("--name: is required but missing")
    expect(bad.stderr).toContain("--nmae: is not known here")
    expect(bad.stderr).toContain("usage: careline create-staff --email <email>")
    const owners = await careline("add-line", "--number", "+13125550100", "--owner-org", "--queue", "Front desk")
    expect(owners.code).toBe(2)
    expect(owners.stderr).toContain("exactly one of --owner-staff <email>, --owner-org or --queue <name>")
    expect((await careline("add-line", "--number", "+13125550100", "--owner-org", "--rate", "0")).stderr).toContain("--rate: texts per second above 0")
  })

  it("refuses what cannot be done, saying why (exit 1)", async () => {
    const noOrganisation = await careline("create-staff", "--email", "sam@example.org", "--name", "Sam", "--role", "admin")
    expect(noOrganisation.code).toBe(1)
    expect(noOrganisation.stderr).toContain("There is no organisation yet: run `careline create-organisation")
    await careline("create-organisation", "--name", "Harbour Care")
    await careline("create-staff", "--email", "sam@example.org", "--name", "Sam", "--role", "admin")
    expect((await careline("create-staff", "--email", "Sam@Example.org", "--name", "Sam", "--role", "admin")).stderr).toContain("already has the email")
    expect((await careline("api-token", "--email", "nobody@example.org")).stderr).toContain("No staff member has the email nobody@example.org")
    await careline("add-line", "--number", "+13125550100", "--owner-org")
    expect((await careline("add-line", "--number", "+13125550100", "--owner-org")).stderr).toContain("+13125550100 is already a line")
    expect((await careline("seed-demo")).stderr).toContain("only fills an empty database")
    const unknown = await careline("teleport")
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('there is no command "teleport"')
  })

  it("seed-demo fills an empty database and prints the staff and the admin's token", async () => {
    const { code, out } = await careline("seed-demo")
    expect(code).toBe(0)
    expect(out[0]).toMatch(/^Demo organisation "Harbour Demo Care" \(org_.+\) with 20 clients and 5 lines\.$/)
    expect(out.filter((l) => /^ {2}(admin|supervisor|coordinator|specialist|front_office) /.test(l))).toHaveLength(6)
    const token = out.at(-1)!.replace("API token of the demo admin (shown once): ", "")
    const clients = await request("/api/v1/clients", token)
    expect(((await clients.json()) as { clients: ReadonlyArray<unknown> }).clients).toHaveLength(20)
  })

  it("backup writes a checked copy, and will not overwrite one", async () => {
    await careline("seed-demo")
    const file = join(directory, "backup.db")
    const first = await careline("backup", file)
    expect(first.code).toBe(0)
    expect(first.stdout).toContain("integrity_check: ok")
    expect(existsSync(file)).toBe(true)
    expect((await careline("backup", file)).stderr).toContain("already exists")
    expect((await careline("backup")).code).toBe(2)
  })

  it("audit verify passes an untouched log and names the row someone changed", async () => {
    await careline("seed-demo")
    const intact = await careline("audit", "verify")
    expect(intact.code).toBe(0)
    expect(intact.stdout).toMatch(/^Audit log intact: \d+ event\(s\) chained\.$/)
    const db = createClient({ url: env["DATABASE_URL"]! })
    try {
      await db.execute("DROP TRIGGER audit_log_no_update")
      await db.execute("UPDATE audit_log SET detail = 'edited' WHERE seq = 3")
    } finally {
      db.close()
    }
    const broken = await careline("audit", "verify")
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/tampered with at row 3 \(event aud_[\w-]+\): its content does not match its hash/)
    expect((await careline("audit")).code).toBe(2)
  })

  it("refuses to start on a bad configuration, listing every problem", async () => {
    env = { ...env, PORT: "0", SMS_PROVIDER: "twilio" }
    const { code, stderr } = await careline("migrate")
    expect(code).toBe(2)
    expect(stderr).toContain("PORT: a port number from 1 to 65535")
    expect(stderr).toContain("TWILIO_AUTH_TOKEN: is required when SMS_PROVIDER is twilio")
  })

  it("serve --demo refuses a real SMS provider", async () => {
    env = {
      ...env,
      SMS_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000001",
      TWILIO_AUTH_TOKEN: "token",
      PUBLIC_BASE_URL: "https://careline.example.org"
    }
    const { code, stderr } = await careline("serve", "--demo")
    expect(code).toBe(2)
    expect(stderr).toContain("use it with SMS_PROVIDER=fake only")
  })
})
