import { type Schema, SchemaIssue } from "effect"

const format = SchemaIssue.makeFormatterStandardSchemaV1({
  leafHook: (issue) => (issue._tag === "MissingKey" ? "is required but missing" : SchemaIssue.defaultLeafHook(issue))
})

/**
 * One readable line per problem, `field: what is wrong`, never echoing the value (it may be a
 * phone number or a secret).
 *
 * @example
 * problemsOf(error) // ["MessageSid: is required but missing", "From: a phone number in international form, like +15551234567"]
 */
export const problemsOf = (error: Schema.SchemaError): Array<string> =>
  format(error.issue).issues.map(({ message, path }) => {
    const field = (path ?? []).map((key) => String(typeof key === "object" ? key.key : key)).join(".")
    return field === "" ? message : `${field}: ${message}`
  })
