import type { Context } from "hono"
import type { Child } from "hono/jsx"
import type { ContentfulStatusCode } from "hono/utils/http-status"
import { Document, TopBar } from "./Layout.js"
import type { SignedInClient } from "./PortalSessions.js"
import type { PortalEnv } from "./WebEnv.js"

/** The sections of the client portal, in the order of its navigation bar. */
export type PortalSection = "messages" | "sms"

interface PortalNavItem {
  readonly section: PortalSection
  readonly label: string
  readonly href: string
  readonly shows: (signedIn: SignedInClient) => boolean
}

const navigation: ReadonlyArray<PortalNavItem> = [
  { section: "messages", label: "Messages", href: "/portal/messages", shows: () => true },
  { section: "sms", label: "Text messages", href: "/portal/sms", shows: (signedIn) => signedIn.organisation.portalShowsSms === true }
]

/**
 * The client portal's shell: the organisation's name, navigation (Text messages only when the
 * organisation shows SMS in the portal), the client's name and sign-out, the live-event connection
 * (`#live` on `/portal/events`: `secure` and `secure-<threadId>` for the client's own threads), and
 * the CSRF header every htmx request carries.
 */
export const PortalShell = (props: { readonly title: string; readonly section: PortalSection; readonly signedIn: SignedInClient; readonly children: Child }) => (
  <Document title={`${props.title} · ${props.signedIn.organisation.name}`} bodyAttributes={{ class: "portal", "hx-headers:inherited": JSON.stringify({ "x-csrf-token": props.signedIn.csrfToken }) }}>
    <a class="skip-link" href="#main">Skip to content</a>
    <TopBar
      class="top portal-top"
      brand={{ label: props.signedIn.organisation.name, href: "/portal" }}
      navLabel="Portal"
      links={navigation.filter((item) => item.shows(props.signedIn)).map((item) => ({ ...item, current: item.section === props.section }))}
      who={props.signedIn.client.name}
      signOut="/portal/sign-out"
      csrfToken={props.signedIn.csrfToken}
    />
    <div id="live" hx-sse:connect="/portal/events" hx-sse:close="signed-out" hidden></div>
    <main id="main" tabindex={-1}>{props.children}</main>
  </Document>
)

/**
 * Renders a portal page for the request's signed-in client.
 *
 * @example
 * app.get("/portal/sms", (c) => portalPage(c, { title: "Text messages", section: "sms" }, <SmsList … />))
 */
export const portalPage = (c: Context<PortalEnv>, page: { readonly title: string; readonly section: PortalSection }, content: Child, status: ContentfulStatusCode = 200) =>
  c.html(<PortalShell title={page.title} section={page.section} signedIn={c.get("signedInClient")}>{content}</PortalShell>, status)

/** A portal page that does not exist (or that this client may not see: the same answer). */
export const portalNotFound = (c: Context<PortalEnv>) =>
  portalPage(c, { title: "Not found", section: "messages" }, (
    <section class="card stack narrow">
      <h1>Not found</h1>
      <p>This page does not exist, or it is not available to you.</p>
      <p><a href="/portal/messages">Back to your messages</a></p>
    </section>
  ), 404)
