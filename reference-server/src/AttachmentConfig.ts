import { dirname, join } from "node:path"
import { Redacted } from "effect"

/** Where attachment bytes go: memory (a `:memory:` database: tests) or a directory. */
export type BlobConfig = { readonly store: "memory" } | { readonly store: "files"; readonly directory: string }

/** Where notes for the clinical record go: memory (tests), FHIR R4 files in a directory, or an EHR's webhook. */
export type ChartConfig =
  | { readonly sink: "memory" }
  | { readonly sink: "fhir"; readonly directory: string }
  | { readonly sink: "webhook"; readonly url: string; readonly secret: Redacted.Redacted<string> | undefined }

export interface AttachmentEnvironment {
  readonly DATABASE_URL?: string | undefined
  readonly BLOB_DIRECTORY?: string | undefined
  readonly CHART_WEBHOOK_URL?: string | undefined
  readonly CHART_WEBHOOK_SECRET?: string | undefined
  readonly CHART_FHIR_DIR?: string | undefined
}

const isMemory = (url: string) => url === ":memory:" || url.startsWith("file::memory:")

/**
 * The data directory: beside a `file:` database, `./data` for a remote one, none for `:memory:`
 * (whose blobs and notes then stay in memory, as tests want).
 */
export const dataDirectoryOf = (databaseUrl: string): string | undefined => {
  if (isMemory(databaseUrl)) return undefined
  if (!databaseUrl.startsWith("file:")) return "data"
  let path = databaseUrl.slice("file:".length).replace(/\?.*$/, "")
  if (path.startsWith("//")) path = path.slice(path.indexOf("/", 2))
  return dirname(decodeURIComponent(path))
}

export const blobConfigOf = (environment: AttachmentEnvironment, databaseUrl: string): BlobConfig => {
  if (environment.BLOB_DIRECTORY !== undefined) return { store: "files", directory: environment.BLOB_DIRECTORY }
  const data = dataDirectoryOf(databaseUrl)
  return data === undefined ? { store: "memory" } : { store: "files", directory: join(data, "blobs") }
}

export const chartConfigOf = (environment: AttachmentEnvironment, databaseUrl: string): ChartConfig => {
  if (environment.CHART_WEBHOOK_URL !== undefined) {
    return { sink: "webhook", url: environment.CHART_WEBHOOK_URL, secret: environment.CHART_WEBHOOK_SECRET === undefined ? undefined : Redacted.make(environment.CHART_WEBHOOK_SECRET) }
  }
  if (environment.CHART_FHIR_DIR !== undefined) return { sink: "fhir", directory: environment.CHART_FHIR_DIR }
  const data = dataDirectoryOf(databaseUrl)
  return data === undefined ? { sink: "memory" } : { sink: "fhir", directory: join(data, "chart") }
}

/** Combinations that cannot work, each naming its variable. */
export const attachmentProblems = (picked: Readonly<Record<string, unknown>>): ReadonlyArray<string> => [
  ...(picked["CHART_WEBHOOK_URL"] !== undefined && picked["CHART_FHIR_DIR"] !== undefined
    ? ["CHART_FHIR_DIR: set either CHART_WEBHOOK_URL (an EHR's webhook) or CHART_FHIR_DIR (FHIR files), not both"]
    : []),
  ...(picked["CHART_WEBHOOK_SECRET"] !== undefined && picked["CHART_WEBHOOK_URL"] === undefined
    ? ["CHART_WEBHOOK_SECRET: is used only with CHART_WEBHOOK_URL, which is not set"]
    : [])
]
