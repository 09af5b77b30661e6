import { AuditLog, ClientLists, Directory } from "@careline/core"
import { T0 } from "@careline/testkit"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { type Browser, startTestServer, type TestServer, world } from "../../../testing/TestServer.js"

let server: TestServer
beforeEach(async () => {
  server = await startTestServer()
})
afterEach(() => server.close())

const saveForm = (name: string, clientIds: ReadonlyArray<string>) => {
  const form = new URLSearchParams({ listName: name, body: "" })
  for (const id of clientIds) form.append("clientId", id)
  return form
}

const post = (browser: Browser, path: string, form: URLSearchParams, withCsrf = true) =>
  server.app.request(path, {
    method: "POST",
    headers: { cookie: browser.cookie, "content-type": "application/x-www-form-urlencoded", ...(withCsrf ? { "x-csrf-token": browser.csrfToken } : {}) },
    body: form.toString()
  })

const listsOf = (who: keyof typeof world.staff) => server.runtime.runPromise(ClientLists.use((l) => l.listsOf(world.staff[who].id)))

/** Saves a list through the page and returns its id, from the redirect to `/bulk?list=…`. */
const saveList = async (browser: Browser, name: string, clientIds: ReadonlyArray<string>) => {
  const answer = await post(browser, "/bulk/lists", saveForm(name, clientIds))
  expect(answer.status).toBe(303)
  const location = new URL(answer.headers.get("location")!, "http://localhost")
  expect(location.pathname).toBe("/bulk")
  expect(location.searchParams.get("saved")).toBe("1")
  return location.searchParams.get("list")!
}

const ticked = (page: string, clientId: string) => new RegExp(`value="${clientId}" checked`).test(page)

describe("saved client lists on the bulk page", () => {
  it("saves the ticked clients as a named list, then ticks them when the list is used", async () => {
    const coordinator = await server.signIn("coordinator")
    const form = await (await coordinator.request("/bulk")).text()
    expect(form).toContain('formaction="/bulk/lists"')
    expect(form).toContain("Save these as a list")
    const listId = await saveList(coordinator, "Tuesday group", [world.clients.c1.id, world.clients.c3.id])
    const page = await (await coordinator.request(`/bulk?list=${listId}&saved=1`)).text()
    expect(page).toContain("Saved the list “Tuesday group”. 2 clients ticked.")
    expect(ticked(page, world.clients.c1.id)).toBe(true)
    expect(ticked(page, world.clients.c3.id)).toBe(true)
    expect(ticked(page, world.clients.c2.id)).toBe(false)
    // Every bulk page offers the saved lists.
    expect(await (await coordinator.request("/bulk")).text()).toContain(`href="/bulk?list=${listId}"`)
    const events = await server.runtime.runPromise(AuditLog.use((log) => log.list(world.staff.admin.organisationId, { action: "client_list.create" })))
    expect(events.map((e) => e.detail)).toEqual([`list=${listId} clients=2`])
    expect(JSON.stringify(events)).not.toMatch(/Casey|Sky|Tuesday/)
  })

  it("uses only the list's clients the staff member can still access, and says how many were left out without naming them", async () => {
    const spec = await server.signIn("spec1")
    const listId = await saveList(spec, "Mine", [world.clients.c1.id])
    // A list that came to name a client spec_1 cannot access (as after an unassignment).
    const stored = (await listsOf("spec1"))[0]!
    await server.runtime.runPromise(ClientLists.use((l) => l.save({ ...stored, clientIds: [world.clients.c1.id, world.clients.c2.id, world.clients.c3.id] })))
    const page = await (await spec.request(`/bulk?list=${listId}`)).text()
    expect(page).toContain("Using the list “Mine”: 1 client ticked.")
    expect(page).toContain("2 clients on this list were left out: you can no longer access those clients")
    expect(ticked(page, world.clients.c1.id)).toBe(true)
    expect(page).not.toContain(world.clients.c2.id)
    expect(page).not.toContain("Robin Two")
    expect(page).not.toContain("Sky Three")
    // Once unassigned from their last client, nothing is ticked and that one is counted too.
    await server.runtime.runPromise(Directory.use((d) => d.endAssignment(world.staff.spec1.id, world.clients.c1.id, T0 + 1)))
    const after = await (await spec.request(`/bulk?list=${listId}`)).text()
    expect(after).toContain("0 clients ticked.")
    expect(after).toContain("3 clients on this list were left out")
    expect(after).not.toContain("Casey One")
  })

  it("saves only clients the staff member may access; a list of none is refused in words (422)", async () => {
    const spec = await server.signIn("spec1")
    const listId = await saveList(spec, "Some", [world.clients.c1.id, world.clients.c2.id, world.clients.b1.id])
    expect((await listsOf("spec1")).map((l) => [l.id, l.clientIds])).toEqual([[listId, [world.clients.c1.id]]])
    const none = await post(spec, "/bulk/lists", saveForm("Others", [world.clients.c2.id]))
    expect(none.status).toBe(422)
    expect(await none.text()).toContain("Pick at least one of your clients for the list.")
    const blank = await post(spec, "/bulk/lists", saveForm("   ", [world.clients.c1.id]))
    expect(blank.status).toBe(422)
    const page = await blank.text()
    expect(page).toContain("Give the list a name.")
    expect(ticked(page, world.clients.c1.id)).toBe(true)
    expect((await listsOf("spec1")).length).toBe(1)
  })

  it("another staff member's list is 404 to use, rename or delete, and stays as it was", async () => {
    const coordinator = await server.signIn("coordinator")
    const listId = await saveList(coordinator, "Coordinator's", [world.clients.c1.id])
    for (const who of ["spec1", "admin", "adminB"] as const) {
      const other = await server.signIn(who)
      const use = await other.request(`/bulk?list=${listId}`)
      expect(use.status).toBe(404)
      expect(await use.text()).not.toContain("Coordinator&#39;s")
      expect((await post(other, `/bulk/lists/${listId}/rename`, new URLSearchParams({ name: "Taken" }))).status).toBe(404)
      expect((await post(other, `/bulk/lists/${listId}/delete`, new URLSearchParams())).status).toBe(404)
      expect(await (await other.request("/bulk/lists")).text()).not.toContain(listId)
    }
    expect((await listsOf("coordinator")).map((l) => l.name)).toEqual(["Coordinator's"])
    expect((await coordinator.request("/bulk?list=lst_nothing")).status).toBe(404)
  })

  it("renames and deletes a list from the lists page; a blank name is refused there (422)", async () => {
    const coordinator = await server.signIn("coordinator")
    const listId = await saveList(coordinator, "Old name", [world.clients.c1.id, world.clients.c2.id])
    const lists = await (await coordinator.request("/bulk/lists")).text()
    expect(lists).toContain("Old name")
    expect(lists).toContain(`action="/bulk/lists/${listId}/rename"`)
    const blank = await post(coordinator, `/bulk/lists/${listId}/rename`, new URLSearchParams({ name: " " }))
    expect(blank.status).toBe(422)
    expect(await blank.text()).toContain("Give the list a name.")
    const renamed = await post(coordinator, `/bulk/lists/${listId}/rename`, new URLSearchParams({ name: "New name" }))
    expect([renamed.status, renamed.headers.get("location")]).toEqual([303, "/bulk/lists?done=renamed"])
    expect(await (await coordinator.request("/bulk/lists?done=renamed")).text()).toContain("The list was renamed.")
    expect((await listsOf("coordinator")).map((l) => l.name)).toEqual(["New name"])
    const deleted = await post(coordinator, `/bulk/lists/${listId}/delete`, new URLSearchParams())
    expect([deleted.status, deleted.headers.get("location")]).toEqual([303, "/bulk/lists?done=deleted"])
    expect(await listsOf("coordinator")).toEqual([])
    const actions = (await server.runtime.runPromise(AuditLog.use((log) => log.list(world.staff.admin.organisationId, {}))))
      .filter((e) => e.action.startsWith("client_list.")).map((e) => [e.action, e.detail])
    expect(actions).toEqual([
      ["client_list.create", `list=${listId} clients=2`],
      ["client_list.update", `list=${listId} renamed`],
      ["client_list.delete", `list=${listId} clients=2`]
    ])
  })

  it("refuses saving, renaming and deleting without the CSRF token (403)", async () => {
    const coordinator = await server.signIn("coordinator")
    expect((await post(coordinator, "/bulk/lists", saveForm("No token", [world.clients.c1.id]), false)).status).toBe(403)
    expect(await listsOf("coordinator")).toEqual([])
    const listId = await saveList(coordinator, "Kept", [world.clients.c1.id])
    expect((await post(coordinator, `/bulk/lists/${listId}/rename`, new URLSearchParams({ name: "Changed" }), false)).status).toBe(403)
    expect((await post(coordinator, `/bulk/lists/${listId}/delete`, new URLSearchParams(), false)).status).toBe(403)
    expect((await listsOf("coordinator")).map((l) => l.name)).toEqual(["Kept"])
  })

  it("renders list names as inert text on the bulk page, the notice and the lists page", async () => {
    const coordinator = await server.signIn("coordinator")
    const name = `<script>alert(1)</script><a hx-get="/x">`
    const listId = await saveList(coordinator, name, [world.clients.c1.id])
    for (const path of ["/bulk", `/bulk?list=${listId}`, "/bulk/lists"]) {
      const page = await (await coordinator.request(path)).text()
      expect(page).not.toContain("<script>alert(1)")
      expect(page).not.toContain('<a hx-get="/x">')
      expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    }
  })
})
