import type { AddressInfo } from "node:net"
import { SMTPServer } from "smtp-server"

/** An email as the SMTP server received it: the envelope, the raw message, and its decoded subject and text. */
export interface ReceivedEmail {
  readonly from: string
  readonly to: ReadonlyArray<string>
  readonly raw: string
  readonly subject: string
  readonly text: string
}

export interface SmtpTestServer {
  /** `smtp://127.0.0.1:<port>` (plain, no auth): give it to `SMTP_URL`. */
  readonly url: string
  readonly received: () => ReadonlyArray<ReceivedEmail>
  /** Resolves once `count` emails arrived (or rejects after `timeoutMillis`). */
  readonly waitFor: (count: number, timeoutMillis?: number) => Promise<ReadonlyArray<ReceivedEmail>>
  /** Refuse every message from now on with this SMTP reply code (e.g. 550), or accept again with `undefined`. */
  readonly refuseWith: (code: number | undefined) => void
  readonly close: () => Promise<void>
}

const decodeQuotedPrintable = (text: string): string =>
  Buffer.from(
    text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1"
  ).toString("utf8")

/** `=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=` words of a header, decoded. */
const decodeHeader = (value: string): string =>
  value.replace(/\r?\n[ \t]/g, " ").replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, word: string) =>
    kind.toUpperCase() === "B" ? Buffer.from(word, "base64").toString("utf8") : decodeQuotedPrintable(word.replace(/_/g, " ")))

/** Splits a single-part message (what the mailer sends) into its decoded subject and text. */
export const parseEmail = (raw: string): { subject: string; text: string } => {
  const split = raw.search(/\r?\n\r?\n/)
  const head = split < 0 ? raw : raw.slice(0, split)
  const body = split < 0 ? "" : raw.slice(split).replace(/^\r?\n\r?\n/, "")
  const header = (name: string) => {
    const match = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, "im").exec(head)
    return match === null ? "" : decodeHeader(match[1]!.trim())
  }
  const encoding = header("Content-Transfer-Encoding").toLowerCase()
  const text = encoding === "quoted-printable"
    ? decodeQuotedPrintable(body)
    : encoding === "base64"
    ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
    : body
  return { subject: header("Subject"), text: text.replace(/\r\n/g, "\n") }
}

/**
 * A real SMTP server on a free local port, keeping every message it accepts: tests send through
 * `SmtpMailer` (or the whole server with `SMTP_URL`) and read what arrived, as a mail server would.
 *
 * @example
 * const smtp = await startSmtpTestServer()
 * const [email] = await smtp.waitFor(1)
 */
export const startSmtpTestServer = async (): Promise<SmtpTestServer> => {
  const received: Array<ReceivedEmail> = []
  const waiters: Array<() => void> = []
  let refusal: number | undefined
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Array<Buffer> = []
      stream.on("data", (chunk: Buffer) => chunks.push(chunk))
      stream.on("end", () => {
        if (refusal !== undefined) {
          const error = Object.assign(new Error("Refused by the test server"), { responseCode: refusal })
          return callback(error)
        }
        const raw = Buffer.concat(chunks).toString("utf8")
        const envelope = session.envelope
        received.push({
          from: envelope.mailFrom === false ? "" : envelope.mailFrom.address,
          to: envelope.rcptTo.map((address) => address.address),
          raw,
          ...parseEmail(raw)
        })
        waiters.splice(0).forEach((wake) => wake())
        callback()
      })
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => resolve())
  })
  const { port } = server.server.address() as AddressInfo
  const waitFor = (count: number, timeoutMillis = 10_000) =>
    new Promise<ReadonlyArray<ReceivedEmail>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Expected ${count} email(s), got ${received.length}`)), timeoutMillis)
      const check = () => {
        if (received.length >= count) {
          clearTimeout(timer)
          resolve([...received])
        } else waiters.push(check)
      }
      check()
    })
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => [...received],
    waitFor,
    refuseWith: (code) => {
      refusal = code
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
