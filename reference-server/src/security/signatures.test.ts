import { createHmac } from "node:crypto"
import { TwilioDouble } from "@careline/adapter-twilio"
import { AuditLog, ClientCredentials, Conversations, InboundProcessor } from "@careline/core"
import { Effect } from "effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Listening, listenOverHttp } from "../testing/Listening.js"
import { giveEmail, invitationPathFor, portalPassword, postPublic } from "../testing/Portal.js"
import { startTestServer, type TestServer, world } from "../testing/TestServer.js"
import { publicBaseUrl, twilioEnv } from "../testing/Twilio.js"

/**
 * Signature fuzzing (issue 7): a webhook signed for one request and delivered as another — a value,
 * a name, the URL, the order of the signed string or its whitespace changed — is 403 and nothing is
 * stored or processed. The valid request, sent as signed, goes through (so the refusals are real).
 */

const numRuns = 40
const double = await TwilioDouble.start()
let server: TestServer
let overHttp: Listening
beforeAll(async () => {
  server = await startTestServer(twilioEnv(double.url))
  overHttp = await listenOverHttp(server)
}, 30_000)
afterAll(async () => {
  await overHttp.close()
  await server.close()
  await double.close()
})

const client1 = world.clients.c1.phones[0]!.number
const line1 = world.lines.spec1.number

/** Every message of every channel of the world and the audit log's length: what a webhook could add to. */
const stored = () =>
  server.runtime.runPromise(Effect.gen(function* () {
    yield* InboundProcessor.use((p) => p.settled)
    const audit = (yield* AuditLog.use((log) => log.list(world.staff.admin.organisationId, {}))).length
    const conversations = yield* Conversations
    let messages = 0
    for (const line of Object.values(world.lines)) {
      for (const client of Object.values(world.clients)) {
        const channel = yield* conversations.findChannel(line.id, client.phones[0]!.number)
        if (channel._tag === "Some") messages += (yield* conversations.listMessages(channel.value.id, { limit: 1000 })).length
      }
    }
    return { audit, messages }
  }))

type Params = Record<string, string>

/** Twilio's scheme: HMAC-SHA1 over the URL and each `name + value`, in the order given (Twilio sorts by name). */
const signOver = (url: string, pairs: ReadonlyArray<readonly [string, string]>, authToken = TwilioDouble.testAuthToken) =>
  createHmac("sha1", authToken).update(url + pairs.map(([k, v]) => k + v).join(""), "utf8").digest("base64")

/** The two ways in: the app's Hono routes, and the `node:http` listener `careline serve` answers webhooks with. */
const transports = {
  "the app's Hono routes": (pathAndQuery: string, init: RequestInit) => Promise.resolve(server.app.request(pathAndQuery, init)),
  "careline serve's node:http listener": (pathAndQuery: string, init: RequestInit) => fetch(`${overHttp.baseUrl}${pathAndQuery}`, { ...init, redirect: "manual" })
}
type Transport = keyof typeof transports

const deliverVia = (transport: Transport) => (pathAndQuery: string, params: Params, signature: string, rawBody?: string) =>
  transports[transport](pathAndQuery, {
    method: "POST",
    body: rawBody ?? new URLSearchParams(params).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }
  })

const inbound = (body: string, sid: string): Params => TwilioDouble.inboundForm({ from: client1, to: line1, body, messageSid: sid })

let sequence = 0
const nextSid = () => `SM${(++sequence).toString(16).padStart(32, "0")}`

/** A change of one request into another that its signature does not cover. */
type Tamper = (path: string, params: Params) => { readonly path: string; readonly params: Params; readonly raw?: string }

const tampers: ReadonlyArray<fc.Arbitrary<readonly [string, Tamper]>> = [
  fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.nat()).map(([extra, k]) => ["value changed", (path: string, params: Params) => {
    const names = Object.keys(params)
    const name = names[k % names.length]!
    return { path, params: { ...params, [name]: params[name] + extra } }
  }] as const),
  fc.nat().map((k) => ["name changed", (path: string, params: Params) => {
    const names = Object.keys(params)
    const name = names[k % names.length]!
    const { [name]: value, ...rest } = params
    return { path, params: { ...rest, [`${name}x`]: value! } }
  }] as const),
  fc.tuple(fc.stringMatching(/^[A-Za-z]{1,10}$/), fc.string({ maxLength: 10 })).map(([name, value]) => ["parameter added", (path: string, params: Params) =>
    ({ path, params: { ...params, [`X${name}`]: value } })] as const),
  fc.nat().map((k) => ["parameter removed", (path: string, params: Params) => {
    const names = Object.keys(params)
    const { [names[k % names.length]!]: _, ...rest } = params
    return { path, params: rest }
  }] as const),
  // (A bare trailing "?" is not among them: an empty query names the same URL, and the server reads it so.)
  fc.constantFrom("?a=1", "?Body=x", "/", "x", "//", "%2F").map((suffix) => ["URL changed", (path: string, params: Params) => ({ path: `${path}${suffix}`, params })] as const),
  fc.constantFrom(" ", "\n", "\t", "%20").map((space) => ["whitespace in a value", (path: string, params: Params) =>
    ({ path, params: { ...params, Body: `${params["Body"]}${decodeURIComponent(space)}` } })] as const)
]

describe.each(Object.keys(transports) as Array<Transport>)("Twilio webhook signature fuzzing, through %s", (transport) => {
  const deliver = deliverVia(transport)

  it("a correctly signed inbound text is stored (the baseline)", async () => {
    const before = await stored()
    const params = inbound("baseline", nextSid())
    const url = `${publicBaseUrl}/webhooks/twilio/messages`
    const response = await deliver("/webhooks/twilio/messages", params, TwilioDouble.signWebhook(TwilioDouble.testAuthToken, url, params))
    expect(response.status).toBe(200)
    // The text, and the opt-in request it answers with (the client has not said yes yet).
    expect((await stored()).messages).toBeGreaterThan(before.messages)
  })

  it("any change to a value, a name, the parameters or the URL after signing → 403, nothing stored", async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(...tampers), fc.constantFrom("/webhooks/twilio/messages", "/webhooks/twilio/status"), fc.string({ maxLength: 40 }), async ([, tamper], path, body) => {
      const params = path.endsWith("messages") ? inbound(body, nextSid()) : TwilioDouble.statusForm({ messageSid: nextSid(), status: "delivered" })
      const signature = TwilioDouble.signWebhook(TwilioDouble.testAuthToken, `${publicBaseUrl}${path}`, params)
      const changed = tamper(path, params)
      fc.pre(JSON.stringify(changed) !== JSON.stringify({ path, params }))
      const before = await stored()
      const response = await deliver(changed.path, changed.params, signature, changed.raw)
      // Another path is another route (or none: the staff app sends a stranger to sign in); the webhook's own path refuses.
      if (changed.path.replace(/\?.*$/, "") === path) expect(response.status).toBe(403)
      else expect([303, 403, 404]).toContain(response.status)
      expect(await stored()).toEqual(before)
    }), { numRuns })
  })

  it("a signature over the parameters in any other order, or with whitespace added to the signed string → 403", async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 40 }), fc.nat(), fc.constantFrom(" ", "\n", "&", "="), async (body, seed, space) => {
      const params = inbound(body, nextSid())
      const url = `${publicBaseUrl}/webhooks/twilio/messages`
      const sorted = Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      // The scheme as Twilio signs matches the package's own signature: the forgeries below differ from it only as described.
      expect(signOver(url, sorted)).toBe(TwilioDouble.signWebhook(TwilioDouble.testAuthToken, url, params))
      const shuffled = [...sorted]
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = (seed + i * 7) % (i + 1)
        ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
      }
      if (JSON.stringify(shuffled) === JSON.stringify(sorted)) shuffled.reverse()
      const before = await stored()
      const forgeries = [
        signOver(url, shuffled),
        signOver(`${url}${space}`, sorted),
        signOver(url, sorted.map(([k, v], i) => (i === seed % sorted.length ? [k, `${v}${space}`] as const : [k, v] as const))),
        signOver(url, sorted.map(([k, v]) => [k, `${v}`] as const), `${TwilioDouble.testAuthToken} `),
        ` ${signOver(url, sorted)}`.slice(0, -1)
      ]
      for (const signature of forgeries) {
        const response = await deliver("/webhooks/twilio/messages", params, signature)
        expect(response.status, signature).toBe(403)
      }
      expect(await stored()).toEqual(before)
    }), { numRuns })
  })
})

// Issue 6: the portal's secrets — an emailed invitation link's token and a client's session cookie. Any
// change to either (a character, cut short, made longer, its case) reaches nothing: no invitation, no
// account, no session, no portal page; the genuine one still works (so the refusals are real).

/** A different string of the same alphabet: one character changed, cut, extended, or a letter's case flipped. */
const tampered = (secret: string) =>
  fc.oneof(
    fc.tuple(fc.nat({ max: secret.length - 1 }), fc.constantFrom(..."ABCXYZabcxyz0189-_")).map(([i, ch]) => secret.slice(0, i) + ch + secret.slice(i + 1)),
    fc.integer({ min: 1, max: secret.length - 1 }).map((n) => secret.slice(0, n)),
    fc.constantFrom("A", "z", "0", "_").map((ch) => `${secret}${ch}`),
    fc.nat({ max: secret.length - 1 }).map((i) => {
      const ch = secret[i]!
      return secret.slice(0, i) + (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) + secret.slice(i + 1)
    })
  ).filter((t) => t !== secret)

describe("portal secrets", () => {
  it("a changed invitation token finds no invitation, creates no account; a changed session cookie opens no portal page", async () => {
    const coordinator = await server.signIn("coordinator")
    const email = "robin.signatures@example.org"
    await giveEmail(server, world.clients.c2.id, email)
    expect((await coordinator.request(`/clients/${world.clients.c2.id}/portal/invite`, { form: { _csrf: coordinator.csrfToken } })).status).toBe(303)
    const path = await invitationPathFor(server, email)
    const token = path.split("/").pop()!
    const account = () => server.runtime.runPromise(ClientCredentials.use((c) => c.accountOf(world.clients.c2.id)))
    await fc.assert(fc.asyncProperty(tampered(token), async (forged) => {
      const page = await server.app.request(`/portal/invite/${forged}`)
      expect(page.status, forged).toBeGreaterThanOrEqual(400)
      expect(await page.text()).not.toContain("Harbour Care")
    }), { numRuns })
    // A few posts only: failed attempts are throttled, and the genuine link must still be tried after them.
    await fc.assert(fc.asyncProperty(tampered(token), async (forged) => {
      const response = await postPublic(server, `/portal/invite/${forged}`, { password: portalPassword, confirm: portalPassword })
      expect(response.status, forged).toBeGreaterThanOrEqual(400)
      expect(response.headers.get("set-cookie")).toBeNull()
    }), { numRuns: 3 })
    expect((await account())._tag).toBe("None")
    const joined = await postPublic(server, path, { password: portalPassword, confirm: portalPassword })
    expect(joined.status).toBe(303)
    expect((await account())._tag).toBe("Some")
    const cookie = joined.headers.get("set-cookie")!.split(";")[0]!
    const [name, session] = cookie.split("=") as [string, string]
    expect((await server.app.request("/portal/messages", { headers: { cookie } })).status).toBe(200)
    await fc.assert(fc.asyncProperty(tampered(session), async (forged) => {
      const response = await server.app.request("/portal/messages", { headers: { cookie: `${name}=${forged}` } })
      expect(response.status, forged).toBe(303)
      expect(response.headers.get("location")).toMatch(/^\/portal\/sign-in/)
    }), { numRuns })
  }, 60_000)
})
