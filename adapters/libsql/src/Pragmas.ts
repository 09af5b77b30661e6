import type { Client } from "@libsql/client"

/** Where the database lives: a local file, an in-memory test database, or a remote sqld. */
export type DatabaseKind = "file" | "memory" | "remote"

const NAMES = ["journal_mode", "synchronous", "busy_timeout", "foreign_keys"] as const
type PragmaName = (typeof NAMES)[number]
export type Pragmas = Record<PragmaName, unknown>

/** What a `file:` database is refused without (2 is FULL); read back after they are set. */
export const FILE_PRAGMAS = { journal_mode: "wal", synchronous: 2, busy_timeout: 5_000, foreign_keys: 1 } as const
export const BUSY_TIMEOUT_MS = FILE_PRAGMAS.busy_timeout

export const pragma = async (client: Client, name: PragmaName): Promise<unknown> =>
  (await client.execute(`PRAGMA ${name}`)).rows[0]?.[0]

/** The current values of the pragmas Careline depends on, as SQLite reports them. */
export const readPragmas = async (client: Client): Promise<Pragmas> => {
  const values: Partial<Pragmas> = {}
  for (const name of NAMES) values[name] = await pragma(client, name)
  return values as Pragmas
}

/** Per-connection settings (and WAL, which sticks to the file), as statements. Remote servers manage their own. */
export const pragmaStatements = (kind: DatabaseKind, foreignKeys: boolean): ReadonlyArray<string> => [
  ...(kind === "file" ? ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"] : []),
  `PRAGMA busy_timeout=${BUSY_TIMEOUT_MS}`,
  // 64 MiB of page cache instead of SQLite's 2 MiB: inbox and channel pages stay in memory.
  "PRAGMA cache_size=-65536",
  // Deleted rows are zeroed, not just unlinked: a deleted secure message leaves no text in the file.
  "PRAGMA secure_delete=ON",
  `PRAGMA foreign_keys=${foreignKeys ? "ON" : "OFF"}`
]

/** Applies {@link pragmaStatements} to the client's connection. */
export const applyPragmas = async (client: Client, kind: DatabaseKind, foreignKeys: boolean) => {
  if (kind === "remote") return
  for (const statement of pragmaStatements(kind, foreignKeys)) await client.execute(statement)
}

/** Reads the pragmas back; says which did not take, or `undefined` when all did. */
export const verifyPragmas = async (client: Client, kind: DatabaseKind, foreignKeys: boolean): Promise<string | undefined> => {
  if (kind === "remote") return undefined
  const actual = await readPragmas(client)
  const expected: Partial<Pragmas> =
    kind === "file"
      ? { ...FILE_PRAGMAS, foreign_keys: foreignKeys ? 1 : 0 }
      : { busy_timeout: BUSY_TIMEOUT_MS, foreign_keys: foreignKeys ? 1 : 0 }
  const wrong = NAMES.filter((name) => name in expected && actual[name] !== expected[name])
  if (wrong.length === 0) return undefined
  const details = wrong.map((name) => `${name} is ${String(actual[name])}, needs ${String(expected[name])}`)
  return `the connection settings did not take (${details.join("; ")})`
}
