import { type CarriedSms, FakeSmsControl } from "@careline/adapter-fake-sms"
import { PhoneNumber, receiveInbound } from "@careline/core"
import { Effect, Fiber, Option, Schema, Stream } from "effect"
import { type Context, Hono } from "hono"
import { streamSSE } from "hono/streaming"
import { ServerConfig } from "../../../Config.js"
import { json, runEffect } from "../../../http/Respond.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { fromOurSite } from "../../../web/Csrf.js"
import { findClientNumber, findLine, type OrganisationBook, phoneBook } from "./PhoneBook.js"
import { type Pair, Screen, SimulatorPage, Thread } from "./SimulatorPage.js"

interface SimulatorEnv {
  readonly Variables: { readonly control: FakeSmsControl["Service"]; readonly publicBaseUrl: string | undefined }
}

const keepAliveMs = 25_000
const maxBody = 1600

const isPhoneNumber = Schema.is(PhoneNumber)

/** "+1 (312) 555-0199" → "+13125550199": people type numbers with spaces and dashes. */
const normalise = (typed: string) => typed.replace(/[\s().-]/g, "")

/** Whether a carried text is between this handset and this line. */
const between = (phone: string, line: string) => (sms: CarriedSms) =>
  (sms.direction === "from_phone" && sms.from === phone && sms.to === line) || (sms.direction === "to_phone" && sms.to === phone && sms.from === line)

type Picked = { readonly _tag: "Pair"; readonly pair: Pair } | { readonly _tag: "Problem"; readonly problem: string } | { readonly _tag: "Nothing" }

/** The handset and line a request names (`phone`, or a typed `number`, and `line`), checked against the book. */
const pick = (books: ReadonlyArray<OrganisationBook>, input: { phone?: string; number?: string; line?: string }): Picked => {
  const typed = normalise(input.number ?? "")
  const phone = typed !== "" ? typed : (input.phone ?? "")
  const lineNumber = input.line ?? ""
  if (phone === "" && lineNumber === "") return { _tag: "Nothing" }
  if (phone === "") return { _tag: "Problem", problem: "Pick a client's number or type one." }
  if (!isPhoneNumber(phone)) return { _tag: "Problem", problem: `"${phone}" is not a phone number: type it in international form, like +13125550199.` }
  if (lineNumber === "") return { _tag: "Problem", problem: "Pick the Careline line to text." }
  const line = findLine(books, lineNumber)
  if (line === undefined) return { _tag: "Problem", problem: "No Careline line has that number: pick one from the list." }
  if (findLine(books, phone) !== undefined) return { _tag: "Problem", problem: "That number is one of Careline's own lines: pick a client's phone." }
  const who = findClientNumber(books, phone)?.name
  return { _tag: "Pair", pair: { phone, line, ...(who === undefined ? {} : { who }) } }
}

const notFound = () => json({ error: { code: "not_found", message: "Not found." } }, 404)

/**
 * The demo phone simulator (`/simulator`), mounted in the open: it plays a client's handset, so no
 * staff session. It exists only with the fake SMS provider (404 otherwise). Its texts go through the
 * same inbound path as a provider's webhook; what it shows is the fake provider's traffic, so replies
 * appear as soon as the outbox hands them over (live, over `GET /simulator/events`).
 */
export const simulatorRoutes = (runtime: ServerRuntime) => {
  const texts = (control: FakeSmsControl["Service"], pair: Pair) =>
    Effect.map(control.traffic, (all) => all.filter(between(pair.phone, pair.line.number)))

  return new Hono<SimulatorEnv>()
    // `/simulator/*` also matches `/simulator` itself.
    .use("/simulator/*", async (c, next) => gate(c, next))
    .get("/simulator", async (c) => {
      const typed = c.req.query("number")
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const books = yield* phoneBook
        const picked = pick(books, { phone: c.req.query("phone") ?? "", number: typed ?? "", line: c.req.query("line") ?? "" })
        const shown = picked._tag === "Pair" ? yield* texts(c.get("control"), picked.pair) : []
        return { books, picked, shown }
      }))
      if (!outcome.ok) return outcome.response
      const { books, picked, shown } = outcome.value
      return c.html(
        <SimulatorPage
          books={books}
          texts={shown}
          {...(picked._tag === "Pair" ? { pair: picked.pair } : {})}
          {...(picked._tag === "Problem" ? { problem: picked.problem } : {})}
          {...(typed === undefined || typed === "" ? {} : { typed })}
          {...(c.req.query("line") === undefined ? {} : { line: c.req.query("line")! })}
        />,
        picked._tag === "Problem" ? 400 : 200
      )
    })
    .get("/simulator/thread", async (c) => {
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const picked = pick(yield* phoneBook, { phone: c.req.query("phone") ?? "", line: c.req.query("line") ?? "" })
        return picked._tag === "Pair" ? { picked, shown: yield* texts(c.get("control"), picked.pair) } : { picked, shown: [] }
      }))
      if (!outcome.ok) return outcome.response
      const { picked, shown } = outcome.value
      if (picked._tag !== "Pair") return c.html(<li class="error" role="alert">{picked._tag === "Problem" ? picked.problem : "Pick a phone and a line."}</li>, 400)
      return c.html(<Thread texts={shown} timeZone={picked.pair.line.timeZone} />)
    })
    .post("/simulator/send", async (c) => {
      if (!fromOurSite(c, c.get("publicBaseUrl"))) return c.text("Send texts from the simulator's own page.", 403)
      const form = await c.req.parseBody()
      const field = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : "")
      const body = field("body")
      const control = c.get("control")
      const outcome = await runEffect(runtime, Effect.gen(function* () {
        const picked = pick(yield* phoneBook, { phone: field("phone"), line: field("line") })
        if (picked._tag !== "Pair") return { picked, problem: picked._tag === "Problem" ? picked.problem : "Pick a phone and a line.", shown: [] }
        const problem = body.trim() === "" ? "Write a text first." : body.length > maxBody ? `A text can have at most ${maxBody} characters.` : undefined
        if (problem === undefined) {
          const sms = yield* control.inbound({ from: PhoneNumber.make(picked.pair.phone), to: PhoneNumber.make(picked.pair.line.number), body })
          yield* receiveInbound(sms)
        }
        return { picked, problem, shown: yield* texts(control, picked.pair) }
      }))
      if (!outcome.ok) return outcome.response
      const { picked, problem, shown } = outcome.value
      if (picked._tag !== "Pair") return c.html(<p id="sim-screen" class="error" role="alert">{problem}</p>, 400)
      if (c.req.header("hx-request") === undefined && problem === undefined) {
        return c.redirect(`/simulator?${new URLSearchParams({ phone: picked.pair.phone, line: picked.pair.line.number })}`, 303)
      }
      return c.html(
        <Screen pair={picked.pair} texts={shown} {...(problem === undefined ? {} : { error: problem, draft: body.slice(0, maxBody) })} />,
        problem === undefined ? 200 : 400
      )
    })
    .get("/simulator/events", async (c) => {
      const outcome = await runEffect(runtime, Effect.map(phoneBook, (books) => pick(books, { phone: c.req.query("phone") ?? "", line: c.req.query("line") ?? "" })))
      if (!outcome.ok) return outcome.response
      const picked = outcome.value
      if (picked._tag !== "Pair") return c.text("Pick a phone and a line.", 400)
      const control = c.get("control")
      c.header("cache-control", "no-store")
      return streamSSE(c, async (stream) => {
        const forward = Effect.scoped(Effect.gen(function* () {
          const carried = yield* control.subscribe
          // Listening now: one refresh at once covers whatever was carried since the page was drawn.
          yield* Effect.promise(() => stream.writeSSE({ event: "sms", data: "connected" }))
          yield* carried.pipe(
            Stream.filter(between(picked.pair.phone, picked.pair.line.number)),
            Stream.runForEach((sms) => Effect.promise(() => stream.writeSSE({ event: "sms", data: sms.direction })))
          )
        }))
        const fiber = runtime.runFork(forward)
        const keepAlive = setInterval(() => void stream.write(": keep-alive\n\n"), keepAliveMs)
        await new Promise<void>((resolve) => stream.onAbort(resolve))
        clearInterval(keepAlive)
        await runtime.runPromise(Fiber.interrupt(fiber))
      })
    })

  async function gate(c: Context<SimulatorEnv>, next: () => Promise<void>) {
    const outcome = await runEffect(runtime, Effect.gen(function* () {
      const config = yield* ServerConfig
      const control = yield* Effect.serviceOption(FakeSmsControl)
      return { config, control }
    }))
    if (!outcome.ok) return outcome.response
    const { config, control } = outcome.value
    if (config.sms.provider !== "fake" || Option.isNone(control)) return notFound()
    c.set("control", control.value)
    c.set("publicBaseUrl", config.publicBaseUrl)
    c.header("cache-control", "no-store")
    await next()
  }
}
