/** Flags, paths and printing shared by the seed and the benchmarks. */
import { dirname, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

/** The bench package's folder (bench/), wherever the script is started from. */
export const benchRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..")

export const defaultDatabasePath = resolve(benchRoot, "data", "large.db")

export const fileUrl = (path: string): string => pathToFileURL(path).href

/** `--name value`, `--name=value` and bare `--flag`; numbers may use `_` or `,` (`--messages 2_000_000`). */
export const parseFlags = (argv: ReadonlyArray<string>): Map<string, string | true> => {
  const flags = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith("--")) throw new Error(`unexpected argument ${JSON.stringify(arg)} (flags look like --clients 10000)`)
    const eq = arg.indexOf("=")
    if (eq > 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1))
    } else {
      const next = argv[i + 1]
      if (next !== undefined && !next.startsWith("--")) {
        flags.set(arg.slice(2), next)
        i++
      } else {
        flags.set(arg.slice(2), true)
      }
    }
  }
  return flags
}

export const intFlag = (flags: Map<string, string | true>, name: string, fallback: number): number => {
  const value = flags.get(name)
  if (value === undefined) return fallback
  const n = Number(String(value).replaceAll(/[_,]/g, ""))
  if (value === true || !Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a whole number, got ${String(value)}`)
  return n
}

export const stringFlag = (flags: Map<string, string | true>, name: string, fallback: string): string => {
  const value = flags.get(name)
  if (value === undefined) return fallback
  if (value === true) throw new Error(`--${name} needs a value`)
  return value
}

/** Refuses flags nobody reads, so a typo does not silently run the default. */
export const checkKnown = (flags: Map<string, string | true>, known: ReadonlyArray<string>) => {
  const unknown = [...flags.keys()].filter((name) => !known.includes(name))
  if (unknown.length > 0) throw new Error(`unknown flag(s): ${unknown.map((n) => `--${n}`).join(", ")}; known: ${known.map((n) => `--${n}`).join(", ")}`)
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString("en-US")

export const fmtSeconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

export const log = (message: string) => {
  process.stdout.write(`${message}\n`)
}

/** True when this module is the script node was started with (not when imported). */
export const isMain = (moduleUrl: string): boolean => process.argv[1] !== undefined && moduleUrl === pathToFileURL(resolve(process.argv[1])).href
