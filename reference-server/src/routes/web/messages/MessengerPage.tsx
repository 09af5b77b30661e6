import type { Child } from "hono/jsx"
import type { InboxRow, Queue, Staff } from "@careline/core"
import { ColleagueSwitcher, Filters, InboxList, NotificationCentre, QueueSwitcher, type RowContext, SearchBox } from "./InboxPane.js"

/**
 * The three-pane messenger (S3): inbox | conversation | actions. The middle and right panes live in
 * `#channel-panes` (a `display: contents` wrapper), which a click on an inbox row swaps.
 */
export const Messenger = (props: {
  readonly heading: Child
  readonly rows: ReadonlyArray<InboxRow>
  readonly context: RowContext
  readonly queues?: ReadonlyArray<Queue>
  readonly colleagues?: ReadonlyArray<Staff>
  readonly colleague?: Staff
  readonly notifications?: ReadonlyArray<InboxRow>
  readonly readOnly: boolean
  readonly panes: Child
}) => (
  <>
    <div class="messenger-head row">
      {props.heading}
      {props.notifications === undefined || props.context.csrfToken === undefined
        ? null
        : <NotificationCentre rows={props.notifications} csrfToken={props.context.csrfToken} />}
    </div>
    <div class="messenger">
      <section class="card inbox-pane" aria-label="Inbox">
        {props.colleagues === undefined || props.colleagues.length === 0 ? null : <ColleagueSwitcher colleagues={props.colleagues} {...(props.colleague === undefined ? {} : { current: props.colleague })} />}
        {props.queues === undefined ? null : <QueueSwitcher queues={props.queues} params={props.context.params} />}
        {props.readOnly ? null : <SearchBox params={props.context.params} />}
        <Filters base={props.context.base} params={props.context.params} />
        <InboxList rows={props.rows} context={props.context} live={!props.readOnly} />
      </section>
      <div id="channel-panes" class="channel-panes">{props.panes}</div>
    </div>
  </>
)

/** The middle pane when no channel is open. */
export const NothingOpen = (props: { readonly readOnly: boolean }) => (
  <section class="card conversation empty-pane">
    <p class="muted">{props.readOnly ? "Pick a conversation to read it." : "Pick a conversation on the left to read and reply."}</p>
  </section>
)
