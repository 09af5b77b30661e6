import type { Client, PortalStatus } from "@careline/core"
import { CsrfField } from "../../../web/Layout.js"

const day = (at: number) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(at)

const invitationText = (status: PortalStatus): string | undefined => {
  const latest = status.latestInvitation
  if (latest === undefined) return undefined
  switch (latest.standing) {
    case "usable":
      return `Invitation sent ${day(latest.createdAt)}; the link works until ${day(latest.expiresAt)}.`
    case "expired":
      return `The invitation of ${day(latest.createdAt)} expired unused.`
    case "used":
      return `Invitation of ${day(latest.createdAt)} accepted.`
    default:
      return undefined
  }
}

/**
 * The client profile's "Secure portal" card (S1): whether the client has a portal account, the
 * latest invitation, "Invite to portal" (needs an email on the profile) and "Remove portal access".
 */
export const PortalAccessCard = (props: { readonly client: Client; readonly status: PortalStatus; readonly csrfToken: string }) => {
  const base = `/clients/${props.client.id}/portal`
  const invitation = invitationText(props.status)
  const hasEmail = props.client.email !== undefined && props.client.email.trim() !== ""
  return (
    <section class="card stack" aria-labelledby="portal-title">
      <h2 id="portal-title">Secure portal</h2>
      <p>{props.status.hasAccount ? "This client has a portal account and can sign in to read and send secure messages." : "This client has no portal account yet."}</p>
      {invitation === undefined ? null : <p class="muted small">{invitation}</p>}
      {props.client.blocked ? <p class="muted small">Blocked clients cannot use the portal.</p> : !hasEmail ? (
        <p class="muted small">Add an email address to this client to invite them.</p>
      ) : (
        <form method="post" action={`${base}/invite`} class="inline-form">
          <CsrfField token={props.csrfToken} />
          <button type="submit">{props.status.hasAccount || props.status.latestInvitation !== undefined ? "Send a new invitation" : "Invite to portal"}</button>
        </form>
      )}
      {props.status.hasAccount ? (
        <form method="post" action={`${base}/remove`} class="inline-form">
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="danger">Remove portal access</button>
        </form>
      ) : null}
    </section>
  )
}
