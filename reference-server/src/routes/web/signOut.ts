import { Hono } from "hono"
import { runRoute } from "../../http/Respond.js"
import type { ServerRuntime } from "../../Runtime.js"
import { clearSessionCookie } from "../../web/SessionCookie.js"
import { signOut } from "../../web/Sessions.js"
import type { WebEnv } from "../../web/WebEnv.js"
import { Effect } from "effect"

/** `POST /sign-out`: the session ends on the server (a copied cookie stops working too) and the cookie is cleared. */
export const signOutRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>().post("/sign-out", (c) =>
    runRoute(runtime, Effect.sync(() => clearSessionCookie(c, c.get("config"))).pipe(
      Effect.andThen(signOut(c.get("signedIn").sessionHash)),
      Effect.as(c.redirect("/sign-in?why=signed-out", 303))
    )))
