import type { Child } from "hono/jsx"

export type AdminTab = "staff" | "clients" | "assignments" | "lines" | "audit"

const tabs: ReadonlyArray<readonly [AdminTab, string, string]> = [
  ["staff", "Staff and roles", "/admin"],
  ["clients", "Clients", "/admin/clients"],
  ["assignments", "Assignments", "/admin/assignments"],
  ["lines", "Lines and queues", "/admin/lines"],
  ["audit", "Audit log", "/admin/audit"]
]

/** The admin area: its tabs (links, so each is a page of its own) and the current tab's content. */
export const AdminFrame = (props: { readonly tab: AdminTab; readonly children: Child }) => (
  <div class="stack admin">
    <h1>Admin</h1>
    <nav aria-label="Admin sections" class="tabs">
      {tabs.map(([tab, label, href]) => <a href={href} aria-current={tab === props.tab ? "page" : undefined}>{label}</a>)}
    </nav>
    {props.children}
  </div>
)
