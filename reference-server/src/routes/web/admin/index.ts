import { Hono } from "hono"
import type { ServerRuntime } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { roleGate } from "./AdminKit.js"
import { auditRoutes } from "./auditLog.js"
import { directoryAdminRoutes } from "./directoryAdmin.js"
import { staffAdminRoutes } from "./staffAdmin.js"

/**
 * The admin area (admins only; everyone else gets a 403 page): staff and roles, API tokens,
 * clients, assignments, lines and queues, and the audit log with its CSV export.
 */
export const adminRoutes = (runtime: ServerRuntime) => {
  const gate = roleGate(["admin"], "admin", "admins")
  return new Hono<WebEnv>()
    .use("/admin", gate)
    .use("/admin/*", gate)
    .route("/", staffAdminRoutes(runtime))
    .route("/", directoryAdminRoutes(runtime))
    .route("/", auditRoutes(runtime))
}
