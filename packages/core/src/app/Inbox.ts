import { Effect } from "effect"
import { AccessDenied, canViewColleagueInbox } from "../AccessPolicy.js"
import type { Channel, InboxFilter } from "../Channel.js"
import { contactLabel } from "../Client.js"
import type { ChannelId, LineId, StaffId } from "../Ids.js"
import { Conversations } from "../ports/Conversations.js"
import { Directory } from "../ports/Directory.js"
import { isOrgWideRole, type Staff } from "../Staff.js"
import { audit } from "./Audit.js"
import { requireStaff } from "./Lookup.js"
import { usableLines } from "./Visibility.js"

export interface InboxRow {
  readonly channel: Channel
  /** "Name – Mobile", or the bare number for an unknown contact (S4). */
  readonly contact: string
  readonly unread: boolean
  readonly muted: boolean
}

export interface ListInbox {
  readonly staffId: StaffId
  /**
   * The staff member `staffId` as this request has just read them (e.g. the API's bearer check), so
   * they are not read again; ignored unless it is that staff member.
   */
  readonly viewer?: Staff
  readonly filter?: InboxFilter
  /** A supervisor or admin looking at a colleague's inbox read-only (S3); audited. */
  readonly ofStaffId?: StaffId
  /** Only these of the owner's lines (the queue switcher, S2); lines they may not use are ignored. */
  readonly lineIds?: ReadonlyArray<LineId>
  /** Page size; 50 by default. */
  readonly limit?: number
  /** The last row of the previous page. */
  readonly after?: { readonly lastActivityAt: number; readonly id: ChannelId }
}

/**
 * A page of a staff member's channels, newest activity first, without the ones they hid. The
 * access policy scopes the query itself — their lines, and for a specialist their current
 * assignments — so a page costs one indexed query however large the organisation.
 */
export const listInbox = (input: ListInbox) =>
  Effect.gen(function* () {
    const viewer = input.viewer?.id === input.staffId ? input.viewer : yield* requireStaff(input.staffId)
    const owner = input.ofStaffId === undefined ? viewer : yield* requireStaff(input.ofStaffId)
    if (owner.id !== viewer.id) {
      const decision = canViewColleagueInbox(viewer, owner)
      if (decision._tag === "Denied") return yield* new AccessDenied({ reason: decision.reason })
      yield* audit({
        organisationId: viewer.organisationId,
        actor: { _tag: "Staff", staffId: viewer.id },
        action: "inbox.view_colleague",
        detail: `staff=${owner.id}`
      })
    }
    const usable = yield* usableLines(owner)
    const lines = input.lineIds === undefined ? usable : usable.filter((l) => input.lineIds!.includes(l.id))
    const entries = yield* Conversations.use((c) => c.inbox({
      viewer: owner.id,
      lineIds: lines.map((l) => l.id),
      ...(isOrgWideRole(owner.role) ? {} : { assignedTo: owner.id }),
      filter: input.filter ?? "all",
      limit: input.limit ?? 50,
      ...(input.after === undefined ? {} : { after: input.after })
    }))
    const clientIds = entries.flatMap(({ channel }) => (channel.clientId === undefined ? [] : [channel.clientId]))
    const clients = new Map((yield* Directory.use((d) => d.getClients(clientIds))).map((c) => [c.id, c]))
    return entries.map(({ channel, muted }): InboxRow => ({
      channel,
      contact: contactLabel(channel.clientId === undefined ? undefined : clients.get(channel.clientId), channel.phone),
      unread: channel.status === "unread",
      muted
    }))
  })
