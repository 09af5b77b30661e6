import type { Context } from "hono"
import type { Child } from "hono/jsx"
import { type Section, StaffPage } from "./Layout.js"
import type { WebEnv } from "./WebEnv.js"

/**
 * Renders a signed-in page for the request's staff member: the shell (navigation, live events, chat
 * dock) around the content.
 *
 * @example
 * app.get("/clients", (c) => staffPage(c, { title: "Clients", section: "clients" }, <ClientList … />))
 */
export const staffPage = (c: Context<WebEnv>, page: { readonly title: string; readonly section: Section }, content: Child, status: 200 | 400 | 403 | 404 | 413 | 415 | 422 | 500 = 200) => {
  const { staff, csrfToken } = c.get("signedIn")
  return c.html(
    <StaffPage title={page.title} section={page.section} staff={staff} csrfToken={csrfToken} features={{ simulator: c.get("config").sms.provider === "fake" }}>
      {content}
    </StaffPage>,
    status
  )
}
