import { ClientId, ClientListId, createClientList, deleteClientList, listClientLists, renameClientList } from "@careline/core"
import { Effect } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import type { ServerRuntime } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { runPage } from "../clients/ClientAnswers.js"
import { formOf, pageResponse } from "../clients/clientRoutes.js"
import type { BulkForm } from "./BulkPage.js"
import { bulkPage, bulkSubject, texts } from "./bulkRoutes.js"
import { ListsPage } from "./ClientListViews.js"

const listsSubject = { ...bulkSubject, back: { href: "/bulk/lists", label: "Back to your lists" } } as const

const listsPage = (c: Context<WebEnv>, extra: { readonly done?: string; readonly problem?: { readonly listId: string; readonly name: string; readonly message: string } } = {}, status = 200) =>
  Effect.gen(function* () {
    const { staff, csrfToken } = c.get("signedIn")
    const lists = yield* listClientLists({ staffId: staff.id })
    return yield* pageResponse(c, "Saved client lists", "bulk", <ListsPage lists={lists} csrfToken={csrfToken} {...extra} />, status)
  })

const listIdOf = (c: Context<WebEnv>) => ClientListId.make(c.req.param("id") ?? "")

/**
 * Saved client lists for bulk sends (S3 "a list of clients that has been created"): `POST /bulk/lists`
 * saves the clients ticked on `/bulk` under a name; `/bulk/lists` shows the staff member's own lists to
 * use, rename or delete. Everything goes through the core (owner only — another's list is 404 — and
 * audited); using a list is `GET /bulk?list=…`.
 */
export const clientListRoutes = (runtime: ServerRuntime) =>
  new Hono<WebEnv>()
    .get("/bulk/lists", (c) => runPage(c, runtime, listsPage(c, { ...(c.req.query("done") === undefined ? {} : { done: c.req.query("done")! }) }), listsSubject))
    .post("/bulk/lists", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        const raw = yield* formOf(c)
        const lineText = texts(raw["lineId"])[0]
        const form: BulkForm = { clientIds: texts(raw["clientId"]), body: texts(raw["body"])[0] ?? "", ...(lineText === undefined || lineText === "" ? {} : { lineId: lineText }) }
        const listName = texts(raw["listName"])[0] ?? ""
        return yield* createClientList({ staffId: staff.id, name: listName, clientIds: form.clientIds.map((id) => ClientId.make(id)) }).pipe(
          Effect.map((list) => c.redirect(`/bulk?list=${encodeURIComponent(list.id)}&saved=1`, 303)),
          Effect.catchTag("InvalidClientList", (error) => bulkPage(c, form, [error.message], undefined, 422, { listName }))
        )
      }), bulkSubject))
    .post("/bulk/lists/:id/rename", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        const { staff } = c.get("signedIn")
        const listId = listIdOf(c)
        const name = texts((yield* formOf(c))["name"])[0] ?? ""
        return yield* renameClientList({ staffId: staff.id, listId, name }).pipe(
          Effect.map(() => c.redirect("/bulk/lists?done=renamed", 303)),
          Effect.catchTag("InvalidClientList", (error) => listsPage(c, { problem: { listId, name, message: error.message } }, 422))
        )
      }), listsSubject))
    .post("/bulk/lists/:id/delete", (c) =>
      runPage(c, runtime, Effect.gen(function* () {
        yield* deleteClientList({ staffId: c.get("signedIn").staff.id, listId: listIdOf(c) })
        return c.redirect("/bulk/lists?done=deleted", 303)
      }), listsSubject))
