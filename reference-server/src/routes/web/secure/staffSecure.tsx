import type { ServerRuntime } from "../../../Runtime.js"
import { staffPage } from "../../../web/Page.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { secureRoutes } from "./secureRoutes.js"

/** Secure messages for staff (S1) under `/secure`, in the staff shell (navigation, live events, chat dock). */
export const staffSecureRoutes = (runtime: ServerRuntime) =>
  secureRoutes<WebEnv>(runtime, {
    base: "/secure",
    actor: (c) => ({ _tag: "Staff", staff: c.get("signedIn").staff }),
    csrfToken: (c) => c.get("signedIn").csrfToken,
    page: (c, title, content, status) => staffPage(c, { title: `${title} · Secure messages`, section: "secure" }, content, status)
  })
