import { Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import { type Config, defaultDatabaseUrl, loadConfig } from "./Config.js"

const ok = (env: Record<string, string>): Config => Result.getOrThrow(loadConfig(env))
const problems = (env: Record<string, string>) => {
  const result = loadConfig(env)
  if (Result.isSuccess(result)) throw new Error("expected the configuration to be refused")
  return result.failure
}

const twilio = {
  SMS_PROVIDER: "twilio",
  TWILIO_ACCOUNT_SID: "AC0123456789abcdef0123456789abcdef",
  TWILIO_AUTH_TOKEN: "super-secret-token",
  PUBLIC_BASE_URL: "https://careline.example.org/"
}

describe("loadConfig", () => {
  it("needs nothing: port 3000, ./data/careline.db, the fake provider", () => {
    expect(ok({})).toEqual({
      port: 3000,
      databaseUrl: defaultDatabaseUrl,
      databaseAuthToken: undefined,
      databaseEncryptionKey: undefined,
      publicBaseUrl: undefined,
      sms: { provider: "fake" },
      crisisWords: undefined,
      mail: { transport: "capture" },
      blobs: { store: "files", directory: "data/blobs" },
      chart: { sink: "fhir", directory: "data/chart" }
    })
    expect(defaultDatabaseUrl).toBe("file:./data/careline.db")
  })

  it("reads Twilio's settings; Twilio answers opt-out keywords unless told otherwise", () => {
    const config = ok({ ...twilio, PORT: "8080", TWILIO_AUTH_TOKEN_SECONDARY: "old-token" })
    expect(config.port).toBe(8080)
    expect(config.publicBaseUrl).toBe("https://careline.example.org")
    expect(config.sms).toMatchObject({ provider: "twilio", accountSid: twilio.TWILIO_ACCOUNT_SID, handlesOptOut: true, apiBaseUrl: undefined })
    expect(config.sms.provider === "twilio" && Redacted.value(config.sms.authToken)).toBe("super-secret-token")
    expect(ok({ ...twilio, TWILIO_HANDLES_OPT_OUT: "false" }).sms).toMatchObject({ handlesOptOut: false })
    expect(ok({ ...twilio, TWILIO_HANDLES_OPT_OUT: "No" }).sms).toMatchObject({ handlesOptOut: false })
  })

  it("keeps secrets out of anything printed", () => {
    const config = ok({ ...twilio, DATABASE_ENCRYPTION_KEY: "disk-key-123" })
    const printed = `${JSON.stringify(config)} ${String(config.databaseEncryptionKey)} ${String(config.sms.provider === "twilio" && config.sms.authToken)}`
    expect(printed).not.toContain("super-secret-token")
    expect(printed).not.toContain("disk-key-123")
  })

  it("splits CRISIS_WORDS on commas, trimming and dropping empty entries", () => {
    expect(ok({ CRISIS_WORDS: " suicide, overdose ,, kill myself " }).crisisWords).toEqual(["suicide", "overdose", "kill myself"])
  })

  it("sends email over SMTP_URL from MAIL_FROM; without SMTP_URL the mail is captured", () => {
    const config = ok({ SMTP_URL: "smtp://user:mail-secret@mail.example.org:587", MAIL_FROM: "Careline <careline@example.org>" })
    expect(config.mail).toMatchObject({ transport: "smtp", from: "Careline <careline@example.org>" })
    expect(config.mail.transport === "smtp" && Redacted.value(config.mail.url)).toBe("smtp://user:mail-secret@mail.example.org:587")
    expect(JSON.stringify(config)).not.toContain("mail-secret")
    expect(ok({ MAIL_FROM: "careline@example.org" }).mail).toEqual({ transport: "capture" })
  })

  it("refuses an SMTP_URL that is not smtp(s), or without MAIL_FROM, naming what is needed and never the value", () => {
    expect(problems({ SMTP_URL: "smtp://mail.example.org" }).problems).toEqual([
      "MAIL_FROM: is required when SMTP_URL is set (the address emails come from)"
    ])
    const error = problems({ SMTP_URL: "http://user:mail-secret@mail.example.org", MAIL_FROM: "not an address\nBcc: x@y.z" })
    expect(error.problems).toEqual([
      expect.stringMatching(/^SMTP_URL: an SMTP URL like smtp:\/\//),
      expect.stringMatching(/^MAIL_FROM: the sender's email address/)
    ])
    expect(error.message).not.toContain("mail-secret")
  })

  it("treats an empty variable as unset", () => {
    expect(ok({ PORT: "", DATABASE_ENCRYPTION_KEY: "", SMS_PROVIDER: "" }).port).toBe(3000)
  })

  it("with twilio, names every missing setting at once", () => {
    const error = problems({ SMS_PROVIDER: "twilio" })
    expect(error.problems).toEqual([
      "TWILIO_ACCOUNT_SID: is required when SMS_PROVIDER is twilio",
      "TWILIO_AUTH_TOKEN: is required when SMS_PROVIDER is twilio",
      "PUBLIC_BASE_URL: is required when SMS_PROVIDER is twilio"
    ])
    expect(error.message).toMatch(/^Careline cannot start: 3 settings need fixing/)
  })

  it("lists every invalid setting with what it needs, never its value", () => {
    const error = problems({
      ...twilio,
      PORT: "99999",
      SMS_PROVIDER: "carrier-pigeon",
      TWILIO_ACCOUNT_SID: "ACnot-a-sid-but-secretish",
      PUBLIC_BASE_URL: "careline.example.org",
      TWILIO_HANDLES_OPT_OUT: "maybe",
      DATABASE_URL: "postgres://db"
    })
    expect(error.problems).toEqual([
      "PORT: a port number from 1 to 65535",
      expect.stringMatching(/^DATABASE_URL: a libSQL URL/),
      'SMS_PROVIDER: Expected "fake" | "twilio"',
      expect.stringMatching(/^TWILIO_ACCOUNT_SID: a Twilio Account SID/),
      expect.stringMatching(/^PUBLIC_BASE_URL: an http\(s\) URL/),
      "TWILIO_HANDLES_OPT_OUT: true or false"
    ])
    for (const secret of ["ACnot-a-sid-but-secretish", "super-secret-token", "99999", "postgres://db"]) {
      expect(error.message).not.toContain(secret)
    }
  })

  it("keeps attachments and FHIR notes beside a file database, in memory for :memory:", () => {
    expect(ok({ DATABASE_URL: "file:/var/lib/careline/main.db" })).toMatchObject({
      blobs: { store: "files", directory: "/var/lib/careline/blobs" },
      chart: { sink: "fhir", directory: "/var/lib/careline/chart" }
    })
    expect(ok({ DATABASE_URL: ":memory:" })).toMatchObject({ blobs: { store: "memory" }, chart: { sink: "memory" } })
    expect(ok({ DATABASE_URL: "libsql://db.example.org" })).toMatchObject({ blobs: { directory: "data/blobs" }, chart: { directory: "data/chart" } })
    expect(ok({ DATABASE_URL: ":memory:", BLOB_DIRECTORY: "/srv/blobs", CHART_FHIR_DIR: "/srv/fhir" })).toMatchObject({
      blobs: { store: "files", directory: "/srv/blobs" },
      chart: { sink: "fhir", directory: "/srv/fhir" }
    })
  })

  it("sends notes to an EHR webhook when CHART_WEBHOOK_URL is set, with its secret kept out of anything printed", () => {
    const config = ok({ CHART_WEBHOOK_URL: "https://ehr.example.org/careline", CHART_WEBHOOK_SECRET: "ehr-secret-1" })
    expect(config.chart).toMatchObject({ sink: "webhook", url: "https://ehr.example.org/careline" })
    expect(config.chart.sink === "webhook" && config.chart.secret !== undefined && Redacted.value(config.chart.secret)).toBe("ehr-secret-1")
    expect(JSON.stringify(config)).not.toContain("ehr-secret-1")
    expect(String(config.chart.sink === "webhook" ? config.chart.secret : "")).not.toContain("ehr-secret-1")
  })

  it("refuses a bad webhook URL, both sinks at once, and a secret without a URL, naming each variable", () => {
    const failed = (env: Record<string, string>) => {
      const result = loadConfig(env)
      return Result.isFailure(result) ? result.failure.problems.join("\n") : "accepted"
    }
    expect(failed({ CHART_WEBHOOK_URL: "ftp://ehr" })).toContain("CHART_WEBHOOK_URL")
    expect(failed({ CHART_WEBHOOK_URL: "https://ehr.example.org", CHART_FHIR_DIR: "/srv/fhir" })).toContain(
      "CHART_FHIR_DIR: set either CHART_WEBHOOK_URL (an EHR's webhook) or CHART_FHIR_DIR (FHIR files), not both"
    )
    expect(failed({ CHART_WEBHOOK_SECRET: "x" })).toContain("CHART_WEBHOOK_SECRET: is used only with CHART_WEBHOOK_URL")
  })
})
