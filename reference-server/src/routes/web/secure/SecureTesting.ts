import { AuditLog } from "@careline/core"
import { expect } from "vitest"
import { joinPortal } from "../../../testing/Portal.js"
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

/** Sends a new thread through the compose form (`to`: `client:<id>` / `staff:<id>`), which must succeed; its id. */
export const sendThread = async (server: TestServer, from: Browser, to: ReadonlyArray<string>, subject: string, body: string, base = "/secure") => {
  const sent = await postMultipart(server, from, `${base}/new`, { do: "send", to, subject, body })
  expect(sent.status).toBe(303)
  return threadIdFrom(sent)
}

/** Casey One (assigned to spec_1) joins the portal on spec_1's invitation: both signed in. */
export const caseyJoinsPortal = async (server: TestServer) => {
  const staff = await server.signIn("spec1")
  const client = await joinPortal(server, staff, world.clients.c1.id, "casey@example.org")
  return { staff, client }
}
