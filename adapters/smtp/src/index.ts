/** A `Mailer` over SMTP (nodemailer). */
export * as SmtpMailer from "./SmtpMailer.js"
export type { SmtpConfig } from "./SmtpMailer.js"
