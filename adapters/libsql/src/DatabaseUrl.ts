import { accessSync, constants, existsSync, statSync } from "node:fs"
import { dirname, resolve } from "node:path"
import type { DatabaseKind } from "./Pragmas.js"

/** What a database URL points at. */
export interface Target {
  readonly kind: DatabaseKind
  /** The file, for `file:` URLs. */
  readonly path?: string
  readonly redacted: string
}

/** The URL without query (where `authToken` may be) or user info, for messages. */
export const redact = (url: string): string => url.replace(/\?.*$/, "").replace(/\/\/[^/@]*@/, "//")

/** `undefined` for a scheme libSQL does not speak. */
export const classify = (url: string): Target | undefined => {
  const redacted = redact(url)
  if (url === ":memory:" || url.startsWith("file::memory:")) return { kind: "memory", redacted }
  if (/^(libsql|https?|wss?):/i.test(url)) return { kind: "remote", redacted }
  if (!url.startsWith("file:")) return undefined
  let path = url.slice("file:".length).replace(/\?.*$/, "")
  if (path.startsWith("//")) path = path.slice(path.indexOf("/", 2))
  return { kind: "file", path: resolve(decodePath(path)), redacted }
}

const decodePath = (path: string): string => {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/** Why a `file:` database cannot be created or written at `path`, checked before SQLite is asked. */
export const checkPath = (path: string): string | undefined => {
  const directory = dirname(path)
  if (!existsSync(directory) || !statSync(directory).isDirectory()) return `the directory ${directory} does not exist`
  try {
    accessSync(directory, constants.W_OK)
  } catch {
    return `the directory ${directory} is not writable`
  }
  if (!existsSync(path)) return undefined
  try {
    accessSync(path, constants.R_OK | constants.W_OK)
  } catch {
    return "the database file is not readable and writable by this process"
  }
  return undefined
}
