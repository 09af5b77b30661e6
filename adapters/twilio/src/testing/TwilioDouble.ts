import { randomBytes } from "node:crypto"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import twilio from "twilio"

/** The account SID a double accepts unless told otherwise. */
export const testAccountSid = "AC00000000000000000000000000000001"
/** The auth token a double accepts unless told otherwise. */
export const testAuthToken = "double-auth-token"

/** A request the double received, whatever it answered. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  /** Whether Basic auth carried the double's account SID and auth token. */
  readonly authorized: boolean
  /** The form fields (the last value wins for a repeated field). */
  readonly params: Readonly<Record<string, string>>
}

/**
 * How the double answers the next Messages request instead of creating a message:
 * a Twilio error document, no answer at all (`Hang`, for timeouts), or a dropped connection.
 */
export type Fault =
  | {
    readonly _tag: "Error"
    readonly status: number
    readonly code?: number
    readonly message?: string
    /** Sent as the `Retry-After` header. */
    readonly retryAfter?: string
  }
  | { readonly _tag: "Hang" }
  | { readonly _tag: "CloseSocket" }

/** A running double; `url` is its base URL, to pass as the adapter's `apiBaseUrl`. */
export interface RunningDouble {
  readonly url: string
  readonly accountSid: string
  readonly authToken: string
  /** Every request so far, in arrival order. */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** Queues faults for the next Messages requests, one each, in order; later requests succeed. */
  readonly fail: (...faults: ReadonlyArray<Fault>) => void
  /** Drops every connection (including hung ones) and stops listening. */
  readonly close: () => Promise<void>
}

/** A Twilio-style SID: two letters, then 32 hex digits. */
export const sid = (prefix: string, n: number): string => `${prefix}${n.toString(16).padStart(32, "0")}`

const randomSid = (prefix: string): string => `${prefix}${randomBytes(16).toString("hex")}`

const messagesPath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/

const errorDocument = (status: number, code: number | undefined, message: string) => ({
  code: code ?? null,
  message,
  more_info: code === undefined ? null : `https://www.twilio.com/docs/errors/${code}`,
  status
})

const messageResource = (accountSid: string, messageSid: string, params: Readonly<Record<string, string>>) => {
  const now = new Date().toUTCString().replace("GMT", "+0000")
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}`
  return {
    account_sid: accountSid,
    api_version: "2010-04-01",
    body: params["Body"] ?? "",
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: "outbound-api",
    error_code: null,
    error_message: null,
    from: params["From"] ?? null,
    messaging_service_sid: params["MessagingServiceSid"] ?? null,
    num_media: "0",
    num_segments: "1",
    price: null,
    price_unit: "USD",
    sid: messageSid,
    status: params["MessagingServiceSid"] === undefined ? "queued" : "accepted",
    subresource_uris: { media: `${uri}/Media.json` },
    to: params["To"] ?? null,
    uri: `${uri}.json`
  }
}

/** Twilio's checks on a create request, as far as tests need them; `undefined` when it is fine. */
const invalidParams = (params: Readonly<Record<string, string>>): Fault | undefined => {
  if (params["To"] === undefined) return { _tag: "Error", status: 400, code: 21604, message: "A 'To' phone number is required." }
  if (!/^\+[1-9]\d{6,14}$/.test(params["To"])) {
    return { _tag: "Error", status: 400, code: 21211, message: `Invalid 'To' Phone Number: ${params["To"]}` }
  }
  if (params["From"] === undefined && params["MessagingServiceSid"] === undefined) {
    return { _tag: "Error", status: 400, code: 21603, message: "A 'From' phone number is required." }
  }
  if (params["Body"] === undefined && params["MediaUrl"] === undefined) {
    return { _tag: "Error", status: 400, code: 21602, message: "Message body is required." }
  }
  return undefined
}

const readBody = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify(body))
}

const answerFault = (req: http.IncomingMessage, res: http.ServerResponse, fault: Fault) => {
  switch (fault._tag) {
    case "Hang":
      return // never answered; close() drops the connection
    case "CloseSocket":
      return req.socket.destroy()
    case "Error":
      return sendJson(
        res,
        fault.status,
        errorDocument(fault.status, fault.code, fault.message ?? `Twilio double: injected error ${fault.code ?? fault.status}`),
        fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter }
      )
  }
}

/**
 * Starts a Twilio-compatible HTTP server on 127.0.0.1 (an ephemeral port) implementing
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`: Basic auth checked, form params read,
 * a Twilio-shaped message resource (`sid` "SM" + 32 hex, `status` "queued") answered with 201.
 *
 * @example
 * const double = await TwilioDouble.start()
 * const live = TwilioSms.layer({ accountSid: double.accountSid, authToken: double.authToken, apiBaseUrl: double.url })
 * double.fail({ _tag: "Error", status: 400, code: 21610 }, { _tag: "Hang" })
 * await double.close()
 */
export const start = async (options: { readonly accountSid?: string; readonly authToken?: string } = {}): Promise<RunningDouble> => {
  const accountSid = options.accountSid ?? testAccountSid
  const authToken = options.authToken ?? testAuthToken
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`
  const requests: Array<RecordedRequest> = []
  const faults: Array<Fault> = []
  let issued = 0

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://double").pathname
    const params = Object.fromEntries(new URLSearchParams(await readBody(req)))
    const authorized = req.headers.authorization === expectedAuth
    requests.push({ method: req.method ?? "", path, authorized, params })
    const match = messagesPath.exec(path)
    if (req.method !== "POST" || match === null) {
      return sendJson(res, 404, errorDocument(404, 20404, `The requested resource ${path} was not found`))
    }
    if (!authorized || match[1] !== accountSid) {
      return sendJson(res, 401, errorDocument(401, 20003, "Authenticate"))
    }
    const fault = faults.shift() ?? invalidParams(params)
    if (fault !== undefined) return answerFault(req, res, fault)
    issued += 1
    sendJson(res, 201, messageResource(accountSid, sid("SM", issued), params))
  }
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy())
  })

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    get requests() {
      return [...requests]
    },
    fail: (...more) => {
      faults.push(...more)
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      })
  }
}

/**
 * The `X-Twilio-Signature` Twilio would send for this webhook, from the package's own
 * `getExpectedTwilioSignature`; sign with a wrong token or change a field to forge one.
 *
 * @example
 * signWebhook(authToken, "https://careline.example.org/webhooks/twilio/inbound", form)
 */
export const signWebhook = (authToken: string, url: string, params: Readonly<Record<string, string>>): string =>
  twilio.getExpectedTwilioSignature(authToken, url, params)

/**
 * A webhook request as Twilio would send it: form-encoded body and signature header, ready for
 * `app.request(url, { method: "POST", body, headers })`.
 */
export const signedWebhook = (input: { readonly authToken: string; readonly url: string; readonly params: Readonly<Record<string, string>> }) => ({
  url: input.url,
  body: new URLSearchParams(input.params).toString(),
  headers: {
    "content-type": "application/x-www-form-urlencoded",
    "x-twilio-signature": signWebhook(input.authToken, input.url, input.params)
  }
})

/**
 * The form Twilio posts for an inbound text (or MMS, with `media`).
 *
 * @example
 * inboundForm({ from: "+15550000002", to: "+15550000001", body: "STOP" })
 */
export const inboundForm = (fields: {
  readonly from: string
  readonly to: string
  readonly body: string
  readonly messageSid?: string
  readonly accountSid?: string
  readonly media?: ReadonlyArray<{ readonly url: string; readonly contentType: string }>
  readonly messagingServiceSid?: string
  readonly optOutType?: "STOP" | "START" | "HELP"
}): Record<string, string> => {
  const media = fields.media ?? []
  const messageSid = fields.messageSid ?? randomSid(media.length === 0 ? "SM" : "MM")
  return {
    ToCountry: "US",
    SmsMessageSid: messageSid,
    NumMedia: String(media.length),
    SmsSid: messageSid,
    SmsStatus: "received",
    Body: fields.body,
    To: fields.to,
    NumSegments: "1",
    MessageSid: messageSid,
    AccountSid: fields.accountSid ?? testAccountSid,
    From: fields.from,
    ApiVersion: "2010-04-01",
    ...Object.fromEntries(media.flatMap((m, i) => [[`MediaUrl${i}`, m.url], [`MediaContentType${i}`, m.contentType]])),
    ...(fields.messagingServiceSid === undefined ? {} : { MessagingServiceSid: fields.messagingServiceSid }),
    ...(fields.optOutType === undefined ? {} : { OptOutType: fields.optOutType })
  }
}

/**
 * The form Twilio posts to a status callback URL.
 *
 * @example
 * statusForm({ messageSid: sid("SM", 1), status: "undelivered", errorCode: "30003" })
 */
export const statusForm = (fields: {
  readonly messageSid: string
  readonly status: string
  readonly errorCode?: string
  readonly from?: string
  readonly to?: string
  readonly accountSid?: string
}): Record<string, string> => ({
  SmsSid: fields.messageSid,
  SmsStatus: fields.status,
  MessageStatus: fields.status,
  To: fields.to ?? "+15550000002",
  MessageSid: fields.messageSid,
  AccountSid: fields.accountSid ?? testAccountSid,
  From: fields.from ?? "+15550000001",
  ApiVersion: "2010-04-01",
  ...(fields.errorCode === undefined ? {} : { ErrorCode: fields.errorCode })
})
