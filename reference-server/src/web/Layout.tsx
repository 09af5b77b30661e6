import type { Staff } from "@careline/core"
import type { Child } from "hono/jsx"
import { raw } from "hono/html"
import { DockLauncher } from "../routes/web/dock/DockView.js"

/** The sections of the staff app, in the order of the navigation bar. */
export type Section = "messages" | "secure" | "clients" | "bulk" | "settings" | "admin" | "simulator"

interface NavItem {
  readonly section: Section
  readonly label: string
  readonly href: string
  readonly shows: (staff: Staff, features: Features) => boolean
}

/** What this deployment offers beyond the basics (the simulator exists only with the fake SMS provider). */
export interface Features {
  readonly simulator: boolean
}

const supervising = (staff: Staff) => staff.role === "supervisor" || staff.role === "admin"

const navigation: ReadonlyArray<NavItem> = [
  { section: "messages", label: "Messages", href: "/messages", shows: () => true },
  { section: "secure", label: "Secure messages", href: "/secure", shows: () => true },
  { section: "clients", label: "Clients", href: "/clients", shows: () => true },
  { section: "bulk", label: "Bulk send", href: "/bulk", shows: () => true },
  { section: "settings", label: "Settings", href: "/settings", shows: supervising },
  { section: "admin", label: "Admin", href: "/admin", shows: (staff) => staff.role === "admin" },
  { section: "simulator", label: "Phone simulator", href: "/simulator", shows: (_, features) => features.simulator }
]

/** The document around every page: our own script and style only (the CSP allows nothing inline). */
export const Document = (props: { readonly title: string; readonly children: Child; readonly bodyAttributes?: Record<string, string> }) => (
  <>
  {raw("<!DOCTYPE html>")}
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="htmx-config" content='{"includeIndicatorCSS": false}' />
      <title>{props.title} · Careline</title>
      <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/assets/app.css" />
      <script src="/assets/htmx.js" defer></script>
      <script src="/assets/hx-sse.js" defer></script>
      <script src="/assets/app.js" defer></script>
    </head>
    <body {...props.bodyAttributes}>{props.children}</body>
  </html>
  </>
)

/** A link of a top bar's navigation; `current` marks the page's own section. */
export interface TopBarLink {
  readonly label: string
  readonly href: string
  readonly current: boolean
}

/** The top bar of a signed-in page, staff or portal: the brand, the navigation, who is signed in and sign-out. */
export const TopBar = (props: {
  readonly class: string
  readonly brand: { readonly label: string; readonly href: string }
  /** The navigation's accessible name. */
  readonly navLabel: string
  readonly links: ReadonlyArray<TopBarLink>
  readonly who: string
  /** Where the sign-out form posts. */
  readonly signOut: string
  readonly csrfToken: string
}) => (
  <header class={props.class}>
    <a class="brand" href={props.brand.href}>{props.brand.label}</a>
    <nav aria-label={props.navLabel}>
      <ul>
        {props.links.map((link) => (
          <li>
            <a href={link.href} aria-current={link.current ? "page" : undefined}>{link.label}</a>
          </li>
        ))}
      </ul>
    </nav>
    <div class="who">
      <span>{props.who}</span>
      <form method="post" action={props.signOut}>
        <CsrfField token={props.csrfToken} />
        <button type="submit" class="link">Sign out</button>
      </form>
    </div>
  </header>
)

export interface StaffPageProps {
  readonly title: string
  readonly section: Section
  readonly staff: Staff
  readonly csrfToken: string
  readonly features: Features
  readonly children: Child
}

/**
 * A signed-in page: navigation for the staff member's role, sign-out, the live-event connection
 * (`#live`: server-sent events that listeners pick up with `hx-trigger="<event> from:#live"`), the
 * CSRF header every htmx request carries, and the chat dock slot.
 */
export const StaffPage = (props: StaffPageProps) => (
  <Document title={props.title} bodyAttributes={{ "hx-headers:inherited": JSON.stringify({ "x-csrf-token": props.csrfToken }) }}>
    <a class="skip-link" href="#main">Skip to content</a>
    <TopBar
      class="top"
      brand={{ label: "Careline", href: "/messages" }}
      navLabel="Main"
      links={navigation.filter((item) => item.shows(props.staff, props.features)).map((item) => ({ ...item, current: item.section === props.section }))}
      who={props.staff.name}
      signOut="/sign-out"
      csrfToken={props.csrfToken}
    />
    <div id="live" hx-sse:connect="/events" hx-sse:close="signed-out" hidden></div>
    <main id="main" tabindex={-1}>{props.children}</main>
    <div id="chat-dock" class="chat-dock" aria-live="polite"><DockLauncher /></div>
  </Document>
)

/** A hidden field with the CSRF token, for plain (non-htmx) forms. */
export const CsrfField = (props: { readonly token: string }) => <input type="hidden" name="_csrf" value={props.token} />
