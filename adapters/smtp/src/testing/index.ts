/** A real SMTP server for tests (`smtp-server`), keeping what it receives. */
export { parseEmail, type ReceivedEmail, type SmtpTestServer, startSmtpTestServer } from "./SmtpTestServer.js"
