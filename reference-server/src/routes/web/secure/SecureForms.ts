import { ClientId, DraftId, MIN_BODY_LENGTH, type ParticipantRef, StaffId, ThreadId } from "@careline/core"
import { Effect, Schema } from "effect"
import { InvalidRequest } from "../../../http/ApiError.js"
import { IdText } from "../../../http/Input.js"
import { problemsOf } from "../../../SchemaProblems.js"
import type { FolderName } from "./SecureModel.js"

/** A form's fields as the pages read them: every value of each name (checkboxes repeat). */
export type FormFields = Readonly<Record<string, ReadonlyArray<string>>>

/** The fields of a parsed body, whatever shape the parser gave them (`string`, `string[]`, or entries). */
export const fieldsOf = (input: unknown): FormFields => {
  // No prototype: a field named `valueOf`, `constructor` or `__proto__` is a field like any other (else a 500).
  const out = Object.create(null) as Record<string, Array<string>>
  const add = (name: string, value: unknown) => {
    if (typeof value === "string") (out[name] ??= []).push(value)
    else if (Array.isArray(value)) for (const item of value) add(name, item)
  }
  if (input instanceof Map || Array.isArray(input)) {
    for (const [name, value] of input as Iterable<[string, unknown]>) add(name, value)
  } else if (typeof input === "object" && input !== null) {
    for (const [name, value] of Object.entries(input)) add(name, value)
  }
  return out
}

const one = (fields: FormFields, name: string): string | undefined => fields[name]?.[0]

const decoder = <A>(schema: Schema.ConstraintDecoder<A>, subject: string) => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (input: unknown): Effect.Effect<A, InvalidRequest> =>
    decode(input, { errors: "all" }).pipe(Effect.mapError((error) => new InvalidRequest({ problems: problemsOf(error, subject) })))
}

export const FolderQuery = Schema.Literals(["inbox", "sent", "drafts", "archive"])
export const decodeFolderQuery = decoder(Schema.Struct({ folder: Schema.optional(FolderQuery), draft: Schema.optional(IdText) }), "the address")

const RecipientText = Schema.String.check(
  Schema.isPattern(/^(staff|client):[A-Za-z0-9_.:-]{1,128}$/, { message: "a person from the list" })
)

export const refOfValue = (value: string): ParticipantRef => {
  const colon = value.indexOf(":")
  const id = value.slice(colon + 1)
  return value.startsWith("staff:") ? { _tag: "Staff", staffId: StaffId.make(id) } : { _tag: "Client", clientId: ClientId.make(id) }
}

const Subject = Schema.String.check(
  Schema.isMaxLength(200, { message: "at most 200 characters" })
)
const Body = Schema.String.check(Schema.isMaxLength(20_000, { message: "at most 20,000 characters" }))

const ComposeFields = Schema.Struct({
  do: Schema.Literals(["send", "save", "delete"]),
  to: Schema.Array(RecipientText),
  subject: Subject,
  body: Body,
  draftId: Schema.optional(IdText)
})

export interface ComposeInput {
  readonly action: "send" | "save" | "delete"
  /** The picker's values, kept to re-render the form. */
  readonly to: ReadonlyArray<string>
  readonly recipients: ReadonlyArray<ParticipantRef>
  readonly subject: string
  readonly body: string
  readonly draftId?: DraftId
}

const decodeComposeFields = decoder(ComposeFields, "the form")

/** The compose form's fields; "Send" also needs recipients, a subject and a body of 10 characters (said in words). */
export const decodeCompose = (fields: FormFields): Effect.Effect<ComposeInput, InvalidRequest> =>
  Effect.gen(function* () {
    const form = yield* decodeComposeFields({
      do: one(fields, "do") ?? "send",
      to: fields["to"] ?? [],
      subject: one(fields, "subject") ?? "",
      body: one(fields, "body") ?? "",
      ...(one(fields, "draftId") === undefined || one(fields, "draftId") === "" ? {} : { draftId: one(fields, "draftId") })
    })
    if (form.do === "send") {
      const problems = [
        ...(form.to.length === 0 ? ["To: choose at least one person"] : []),
        ...(form.subject.trim() === "" ? ["Subject: required (every recipient sees it)"] : []),
        ...bodyProblems(form.body)
      ]
      if (problems.length > 0) return yield* Effect.fail(new InvalidRequest({ problems }))
    }
    return {
      action: form.do,
      to: form.to,
      recipients: [...new Set(form.to)].map(refOfValue),
      subject: form.subject.trim(),
      body: form.body,
      ...(form.draftId === undefined ? {} : { draftId: DraftId.make(form.draftId) })
    }
  })

const bodyProblems = (body: string) =>
  body.trim().length < MIN_BODY_LENGTH ? [`Message: at least ${MIN_BODY_LENGTH} characters (${body.trim().length} now)`] : []

const ReplyFields = Schema.Struct({ do: Schema.Literals(["send", "save", "delete"]), body: Body, draftId: Schema.optional(IdText) })
const decodeReplyFields = decoder(ReplyFields, "the form")

export interface ReplyInput {
  readonly action: "send" | "save" | "delete"
  readonly body: string
  readonly draftId?: DraftId
}

export const decodeReply = (fields: FormFields): Effect.Effect<ReplyInput, InvalidRequest> =>
  Effect.gen(function* () {
    const draftId = one(fields, "draftId")
    const form = yield* decodeReplyFields({ do: one(fields, "do") ?? "send", body: one(fields, "body") ?? "", ...(draftId === undefined || draftId === "" ? {} : { draftId }) })
    if (form.do === "send") {
      const problems = bodyProblems(form.body)
      if (problems.length > 0) return yield* Effect.fail(new InvalidRequest({ problems }))
    }
    return { action: form.do, body: form.body, ...(form.draftId === undefined ? {} : { draftId: DraftId.make(form.draftId) }) }
  })

const BulkFields = Schema.Struct({
  do: Schema.Literals(["read", "archive", "unarchive"]),
  folder: Schema.optional(FolderQuery),
  thread: Schema.Array(IdText)
})
const decodeBulkFields = decoder(BulkFields, "the form")

export const decodeBulk = (fields: FormFields) =>
  Effect.gen(function* () {
    const folder = one(fields, "folder")
    const form = yield* decodeBulkFields({ do: one(fields, "do") ?? "", thread: fields["thread"] ?? [], ...(folder === undefined ? {} : { folder }) })
    if (form.thread.length === 0) return yield* Effect.fail(new InvalidRequest({ problems: ["Tick at least one message first"] }))
    return { action: form.do, folder: (form.folder ?? "inbox") as FolderName, threadIds: form.thread.map((id) => ThreadId.make(id)) }
  })

const decodeNoteFields = decoder(
  Schema.Struct({
    text: Schema.String.check(
      Schema.isMinLength(1, { message: "the note is empty" }),
      Schema.isMaxLength(100_000, { message: "at most 100,000 characters" })
    )
  }),
  "the note"
)

export const decodeQuickNote = (fields: FormFields) =>
  Effect.map(decodeNoteFields({ text: one(fields, "text") ?? "" }), (form) => form.text)
