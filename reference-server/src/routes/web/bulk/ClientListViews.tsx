import type { ClientList } from "@careline/core"
import { CLIENT_LIST_NAME_MAX } from "@careline/core"
import { CsrfField } from "../../../web/Layout.js"

const clientCount = (n: number) => `${n} client${n === 1 ? "" : "s"}`

/** Inside the bulk form: pick a saved list (a link per list), and save the ticked clients as a new one. */
export const ListTools = (props: { readonly lists: ReadonlyArray<ClientList>; readonly listName?: string }) => (
  <div class="list-tools stack">
    <nav aria-label="Saved client lists" class="saved-lists">
      <span class="muted small">Use a saved list:</span>
      {props.lists.length === 0 ? <span class="muted small"> none yet</span> : (
        <ul class="plain-list row">
          {props.lists.map((list) => <li><a class="button" href={`/bulk?list=${encodeURIComponent(list.id)}`}>{list.name}</a></li>)}
        </ul>
      )}
      <a href="/bulk/lists" class="small">Manage lists</a>
    </nav>
    <div class="row save-list">
      <label class="grow">Save the ticked clients as a list
        <input type="text" name="listName" maxlength={CLIENT_LIST_NAME_MAX} placeholder="List name, e.g. Tuesday group" value={props.listName ?? ""} autocomplete="off" />
      </label>
      {/* Saving needs no message: skip the form's own validation for this button. */}
      <button type="submit" formaction="/bulk/lists" formnovalidate>Save these as a list</button>
    </div>
  </div>
)

/** What using a list did: how many clients it ticked, and how many were left out (never who). */
export const ListNotice = (props: { readonly list: ClientList; readonly used: number; readonly leftOut: number; readonly saved: boolean }) => (
  <div class="notice" role="status">
    <p>
      {props.saved ? `Saved the list “${props.list.name}”. ` : `Using the list “${props.list.name}”: `}
      {clientCount(props.used)} ticked.
    </p>
    {props.leftOut === 0 ? null : (
      <p>{clientCount(props.leftOut)} on this list {props.leftOut === 1 ? "was" : "were"} left out: you can no longer access {props.leftOut === 1 ? "that client" : "those clients"} (for example, you are no longer assigned).</p>
    )}
  </div>
)

const done: Record<string, string> = { renamed: "The list was renamed.", deleted: "The list was deleted." }

/** `/bulk/lists`: the staff member's lists, each to use, rename or delete. */
export const ListsPage = (props: {
  readonly lists: ReadonlyArray<ClientList>
  readonly csrfToken: string
  readonly done?: string
  /** A refused rename: which list, what was typed and why. */
  readonly problem?: { readonly listId: string; readonly name: string; readonly message: string }
}) => (
  <section class="card stack client-lists" aria-labelledby="lists-title">
    <h1 id="lists-title">Saved client lists</h1>
    <p class="muted">Your own lists for bulk sends; nobody else sees them. To make one, tick clients on <a href="/bulk">Bulk send</a> and choose “Save these as a list”.</p>
    {props.done === undefined || done[props.done] === undefined ? null : <p class="notice" role="status">{done[props.done]}</p>}
    {props.problem === undefined ? null : <p class="error" role="alert">{props.problem.message}</p>}
    {props.lists.length === 0 ? <p class="muted">You have no saved lists.</p> : (
      <div class="table-scroll">
        <table>
          <thead><tr><th scope="col">List</th><th scope="col">Clients</th><th scope="col">Rename</th><th scope="col">Delete</th></tr></thead>
          <tbody>
            {props.lists.map((list) => {
              const refused = props.problem?.listId === list.id ? props.problem : undefined
              return (
                <tr>
                  <td><a href={`/bulk?list=${encodeURIComponent(list.id)}`}>{list.name}</a></td>
                  <td>{list.clientIds.length}</td>
                  <td>
                    <form method="post" action={`/bulk/lists/${encodeURIComponent(list.id)}/rename`} class="row">
                      <CsrfField token={props.csrfToken} />
                      <label class="grow">New name for {list.name}
                        <input type="text" name="name" required maxlength={CLIENT_LIST_NAME_MAX} value={refused?.name ?? list.name} aria-invalid={refused === undefined ? undefined : "true"} />
                      </label>
                      <button type="submit">Rename</button>
                    </form>
                  </td>
                  <td>
                    <form method="post" action={`/bulk/lists/${encodeURIComponent(list.id)}/delete`}>
                      <CsrfField token={props.csrfToken} />
                      <button type="submit" class="danger" aria-label={`Delete ${list.name}`}>Delete</button>
                    </form>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    )}
  </section>
)
