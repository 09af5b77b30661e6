import { type Schema, SchemaIssue } from "effect"

const format = SchemaIssue.makeFormatterStandardSchemaV1({
  leafHook: (issue) => {
    switch (issue._tag) {
      case "MissingKey":
        return "is required but missing"
      case "UnexpectedKey":
        return "is not known here (check the spelling)"
      default:
        return SchemaIssue.defaultLeafHook(issue)
    }
  }
})

/**
 * One line per problem, `field: what is wrong`, never echoing the value (it may be a secret, a
 * phone number or a message). `subject` names the whole input when the problem is with it as a whole.
 *
 * @example
 * problemsOf(error, "the body") // ["phones.0.number: a phone number in international form, like +15551234567"]
 */
export const problemsOf = (error: Schema.SchemaError, subject = "the input"): Array<string> =>
  format(error.issue).issues.map(({ message, path }) => {
    const field = (path ?? []).map((key) => String(typeof key === "object" ? key.key : key)).join(".")
    return `${field === "" ? subject : field}: ${message}`
  })
