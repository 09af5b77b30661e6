import { InboxFilter, MessageId } from "@careline/core"
import { Effect, Schema } from "effect"
import { InvalidRequest } from "../../../http/ApiError.js"
import { IdText } from "../../../http/Input.js"
import { problemsOf } from "../../../SchemaProblems.js"

/** Decodes a query or a form, reporting every problem in words (fields the page does not use are ignored). */
const decoder = <A>(schema: Schema.ConstraintDecoder<A>, subject: string) => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (input: unknown): Effect.Effect<A, InvalidRequest> =>
    decode(input, { errors: "all" }).pipe(Effect.mapError((error) => new InvalidRequest({ problems: problemsOf(error, subject) })))
}

export const decodeInboxQuery = decoder(
  Schema.Struct({
    filter: Schema.optional(InboxFilter),
    q: Schema.optional(Schema.String.check(Schema.isMaxLength(200, { message: "at most 200 characters" }))),
    queue: Schema.optional(IdText),
    open: Schema.optional(IdText)
  }),
  "the address"
)

/** `before` is the oldest message shown: its time and id. */
export const decodeOlderQuery = decoder(
  Schema.Struct({
    before: Schema.String.check(Schema.isPattern(/^\d{1,16}\.[A-Za-z0-9_.:-]{1,128}$/, { message: "the oldest message shown" }))
  }),
  "the address"
)

export const parseCursor = (cursor: string) => {
  const dot = cursor.indexOf(".")
  return { at: Number(cursor.slice(0, dot)), id: MessageId.make(cursor.slice(dot + 1)) }
}

export const decodeStatusForm = decoder(Schema.Struct({ status: Schema.Literals(["open", "done"]) }), "the form")

const YesNo = Schema.Literals(["true", "false"])
export const decodeArchiveForm = decoder(Schema.Struct({ archived: YesNo }), "the form")
export const decodeMuteForm = decoder(Schema.Struct({ muted: YesNo }), "the form")
export const decodeRepliesForm = decoder(Schema.Struct({ allowed: YesNo }), "the form")
export const decodeBlockForm = decoder(Schema.Struct({ blocked: YesNo }), "the form")
export const decodeReplyLinkForm = decoder(Schema.Struct({ do: Schema.Literals(["renew", "revoke"]) }), "the form")

export const decodeSendForm = decoder(
  Schema.Struct({
    body: Schema.String.check(Schema.isMaxLength(1600, { message: "at most 1600 characters (the most one SMS can carry)" })),
    /** One of the staff member's lines; the channel's own line when absent or empty. */
    lineId: Schema.optional(Schema.Union([Schema.Literal(""), IdText])),
    /** "email" sends it by email to the client (S3); a text otherwise. */
    medium: Schema.optional(Schema.Literals(["sms", "email"]))
  }),
  "the form"
)

export const decodeColleagueQuery = decoder(Schema.Struct({ staffId: IdText }), "the form")
