import type { Email } from "@careline/core"

/**
 * The email telling someone a secure message waits for them. It carries the organisation's name and
 * a sign-in link only: never a subject, body, sender, client name or attachment name.
 *
 * @example
 * portalActivityEmail({ to: "casey@example.net", organisationName: "Harbour Care", signInUrl: "https://careline.example.org/portal/sign-in" })
 */
export const portalActivityEmail = (input: { readonly to: string; readonly organisationName: string; readonly signInUrl: string }): Email => ({
  to: input.to,
  subject: `You have a new secure message from ${input.organisationName}`,
  text: [
    `You have a new secure message from ${input.organisationName}.`,
    "",
    "Sign in to read it:",
    input.signInUrl,
    "",
    "For your privacy, this email does not contain the message. If you did not expect it, you can ignore it."
  ].join("\n")
})

/** Where links in emails point: `PUBLIC_BASE_URL`, or this machine's port when it is not set (the demo). */
export const mailBaseUrl = (config: { readonly publicBaseUrl: string | undefined; readonly port: number }): string =>
  config.publicBaseUrl ?? `http://localhost:${config.port}`
