/**
 * What the secure-message pages show, independent of who looks: a staff member under `/secure` or a
 * client under `/portal/messages` see the same views, built from the core's answers for their actor.
 */

export type FolderName = "inbox" | "sent" | "drafts" | "archive"

export const folders: ReadonlyArray<{ readonly name: FolderName; readonly label: string }> = [
  { name: "inbox", label: "Inbox" },
  { name: "sent", label: "Sent" },
  { name: "drafts", label: "Drafts" },
  { name: "archive", label: "Archive" }
]

/** Where the pages live and who looks at them. */
export interface SecureContext {
  /** `/secure` for staff, `/portal/messages` for clients. */
  readonly base: string
  readonly actor: "staff" | "client"
  readonly csrfToken: string
  readonly timeZone: string
  readonly now: number
}

export interface FolderRow {
  readonly id: string
  readonly subject: string
  /** Everyone else in the thread, by name. */
  readonly with: string
  readonly at: number
  readonly unread: boolean
}

export interface DraftRow {
  readonly id: string
  readonly subject: string
  readonly to: string
  readonly at: number
  /** A reply's draft opens on its thread. */
  readonly replyTo?: string
}

export interface AttachmentModel {
  readonly blobId: string
  readonly name: string
  readonly size: number
}

export interface MessageModel {
  readonly id: string
  readonly authorName: string
  readonly mine: boolean
  readonly body: string
  readonly at: number
  readonly attachments: ReadonlyArray<AttachmentModel>
  readonly charted: boolean
  readonly deletable: boolean
}

export interface ThreadModel {
  readonly id: string
  readonly subject: string
  /** Everyone else taking part, by name (a client never sees the other clients of a group message). */
  readonly participants: ReadonlyArray<string>
  readonly messages: ReadonlyArray<MessageModel>
  /** Why this person cannot reply, in words; absent when they may. */
  readonly replyRefusal?: string
  readonly quickNoteAllowed: boolean
  readonly canDeleteThread: boolean
}

/** A recipient as the To picker shows it: `staff:<id>` or `client:<id>`. */
export interface RecipientOption {
  readonly value: string
  readonly label: string
}

export interface RecipientGroups {
  readonly staff: ReadonlyArray<RecipientOption>
  readonly clients: ReadonlyArray<RecipientOption>
}

/** The compose form's content: empty, a draft, or what was typed before a refusal. */
export interface ComposeModel {
  readonly draftId?: string
  readonly recipients: ReadonlyArray<string>
  readonly subject: string
  readonly body: string
  readonly problems?: ReadonlyArray<string>
  readonly notice?: string
}

/** "2.4 MB", "830 KB", "12 bytes". */
export const sizeText = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`
