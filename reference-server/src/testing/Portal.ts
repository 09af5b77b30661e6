import { CapturedMail } from "@careline/adapter-memory"
import { type ClientId, Directory } from "@careline/core"
import { type Browser, browserOf, type TestServer } from "./TestServer.js"

/** The portal password test clients choose. */
export const portalPassword = "a portal password 1"

/** Gives a client of the test world an email (invitations go to it). */
export const giveEmail = (server: TestServer, clientId: ClientId, email: string) =>
  server.runtime.runPromise(Directory.use((d) => d.updateClient(clientId, (client) => ({ ...client, email }))))

/** The newest invitation link emailed to `email` (through the capturing mailer), as a path. */
export const invitationPathFor = async (server: TestServer, email: string): Promise<string> => {
  const mails = await server.runtime.runPromise(CapturedMail.use((mail) => mail.all))
  const mail = mails.filter((m) => m.to === email).at(-1)
  const path = mail?.text.match(/\/portal\/invite\/[A-Za-z0-9_-]+/)?.[0]
  if (path === undefined) throw new Error(`No invitation was emailed to ${email}`)
  return path
}

const sameSite = { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" }

/** Posts a form the way our own public pages do (same origin, no session). */
export const postPublic = (server: TestServer, path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  Promise.resolve(server.app.request(path, { method: "POST", headers: { ...sameSite, ...headers }, body: new URLSearchParams(form).toString() }))

const portalCookieOf = (response: Response): string => {
  const cookie = response.headers.get("set-cookie")?.split(";")[0]
  if (response.status !== 303 || cookie === undefined || !cookie.startsWith("careline-portal=")) throw new Error(`No portal session: ${response.status}`)
  return cookie
}

/**
 * Invites the client (`staff` presses "Invite to portal" on the profile), then follows the emailed
 * link and sets {@link portalPassword}: a browser signed in to the portal as that client.
 */
export const joinPortal = async (server: TestServer, staff: Browser, clientId: ClientId, email: string): Promise<Browser> => {
  await giveEmail(server, clientId, email)
  const invited = await staff.request(`/clients/${clientId}/portal/invite`, { form: { _csrf: staff.csrfToken } })
  if (invited.status !== 303) throw new Error(`Invite failed: ${invited.status}`)
  const path = await invitationPathFor(server, email)
  return browserOf(server.app, portalCookieOf(await postPublic(server, path, { password: portalPassword, confirm: portalPassword })))
}

/** Signs a client in through `POST /portal/sign-in`. */
export const portalSignIn = async (server: TestServer, email: string, password = portalPassword): Promise<Browser> =>
  browserOf(server.app, portalCookieOf(await postPublic(server, "/portal/sign-in", { email, password })))

