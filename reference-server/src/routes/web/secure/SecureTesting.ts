import { AuditLog } from "@careline/core"
import type { Browser, TestServer } from "../../../testing/TestServer.js"
import { world } from "../../../testing/TestServer.js"

/** A file to attach: its name and text content. */
export interface TestFile {
  readonly name: string
  readonly content: string | Uint8Array
}

/**
 * Posts a multipart form as the browser's htmx does (the CSRF token in the header unless `csrf:
 * false`); `fields` values that are arrays repeat the field (checkboxes).
 */
export const postMultipart = (
  server: TestServer,
  browser: Browser,
  path: string,
  fields: Record<string, string | ReadonlyArray<string>>,
  options: { readonly files?: ReadonlyArray<TestFile>; readonly csrf?: boolean; readonly htmx?: boolean } = {}
) => {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) {
    for (const one of typeof value === "string" ? [value] : value) form.append(name, one)
  }
  for (const file of options.files ?? []) form.append("attachments", new Blob([file.content]), file.name)
  return Promise.resolve(server.app.request(path, {
    method: "POST",
    headers: {
      cookie: browser.cookie,
      ...(options.csrf === false ? {} : { "x-csrf-token": browser.csrfToken }),
      ...(options.htmx === true ? { "hx-request": "true" } : {})
    },
    body: form
  }))
}

/** The thread id a successful send redirected to. */
export const threadIdFrom = (response: Response): string => {
  const location = response.headers.get("location") ?? response.headers.get("hx-redirect") ?? ""
  const match = /\/threads\/([^/?#]+)/.exec(location)
  if (match === null) throw new Error(`No thread in the redirect (${response.status} ${location})`)
  return decodeURIComponent(match[1]!)
}

export const auditOf = (server: TestServer) =>
  server.runtime.runPromise(AuditLog.use((log) => log.list(world.staff.admin.organisationId, {})))
