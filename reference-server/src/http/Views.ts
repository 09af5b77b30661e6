import type { Assignment, Channel, Client } from "@careline/core"

/** A channel as the API shows it: without its reply-link secret, which is shared only on purpose. */
export const channelView = (channel: Channel) => {
  const { replyToken: _secret, ...view } = channel
  return view
}

/** A client with the staff currently assigned to them. */
export const clientView = (client: Client, assignments: ReadonlyArray<Assignment>) => ({
  ...client,
  assignedStaffIds: assignments.filter((a) => a.until === undefined && a.clientId === client.id).map((a) => a.staffId)
})
