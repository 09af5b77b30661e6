import {
  addLine,
  Credentials,
  createQueue,
  createStaff,
  Directory,
  issueApiTokenFor,
  PasswordHash,
  type PhoneNumber,
  revokeApiTokensOf,
  setClientActive,
  setQueueAfterHoursReply,
  setStaffActive,
  setStaffPassword,
  TokenHash,
  updateOrganisationSettings
} from "@careline/core"
import { MemoryCredentials } from "@careline/adapter-memory"
import { T0 } from "@careline/testkit"
import { Effect, type Exit, Option } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { clientPhones, clients, lineNumbers, lines, org, queueId, seedScenario, staff } from "./Scenario.js"
import { auditTrail, clientTexts, optIn, sentTexts } from "./scenarios/Harness.js"
import { makeWorld, outcomeTag, type World, type WorldServices } from "./World.js"

let base: World
let world: {
  readonly run: <A, E>(effect: Effect.Effect<A, E, WorldServices | Credentials>) => Promise<A>
  readonly exit: <A, E>(effect: Effect.Effect<A, E, WorldServices | Credentials>) => Promise<Exit.Exit<A, E>>
  readonly drainOutbox: () => Promise<void>
}
/** The world's stores, plus credentials (sessions, tokens, passwords) in memory: deactivation must end them. */
beforeEach(async () => {
  base = await makeWorld(seedScenario)
  const credentials = await Effect.runPromise(Effect.provide(Effect.gen(function* () {
    return yield* Credentials
  }), MemoryCredentials.layer))
  const withCredentials = <A, E>(effect: Effect.Effect<A, E, WorldServices | Credentials>) => Effect.provideService(effect, Credentials, credentials)
  world = {
    run: (effect) => base.run(withCredentials(effect)),
    exit: (effect) => base.exit(withCredentials(effect)),
    drainOutbox: () => base.drainOutbox()
  }
})
afterEach(() => base.dispose())

const hash = (n: number) => TokenHash.make(n.toString(16).padStart(64, "0"))
const password = PasswordHash.make("scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$BBBBBBBBBBBBBBBB")
const actionsOf = async (action: string) => (await world.run(auditTrail)).filter((e) => e.action === action)
const organisation = () => world.run(Effect.map(Directory.use((d) => d.getOrganisation(org)), Option.getOrThrow))

const weekdays = { timeZone: "America/Chicago", weekly: [{ day: "mon" as const, opens: "08:30", closes: "16:00" }], holidays: ["2026-12-25"] }

describe("organisation settings", () => {
  it("supervisors and admins change hours, templates and crisis words; audited by what changed, not the text", async () => {
    await world.run(updateOrganisationSettings({ actorId: staff.sup, settings: { businessHours: weekdays } }))
    const templates = { ...(await organisation()).templates, welcome: "Welcome canary" }
    await world.run(updateOrganisationSettings({ actorId: staff.admin, settings: { templates, crisisWords: ["overdose"] } }))
    const stored = await organisation()
    expect(stored.businessHours).toEqual(weekdays)
    expect(stored.templates.welcome).toBe("Welcome canary")
    expect(stored.crisisWords).toEqual(["overdose"])
    const events = await actionsOf("organisation.settings")
    expect(events.map((e) => [e.actor, e.detail])).toEqual([
      [{ _tag: "Staff", staffId: staff.sup }, "changed=businessHours"],
      [{ _tag: "Staff", staffId: staff.admin }, "changed=templates,crisisWords"]
    ])
    expect(JSON.stringify(await world.run(auditTrail))).not.toContain("canary")
  })

  it("refuses specialists, coordinators, front office and invalid settings, changing nothing", async () => {
    const before = await organisation()
    for (const actorId of [staff.spec1, staff.coord, staff.front]) {
      expect(outcomeTag(await world.exit(updateOrganisationSettings({ actorId, settings: { crisisWords: ["x"] } })))).toBe("AccessDenied")
    }
    const backwards = { ...weekdays, weekly: [{ day: "mon" as const, opens: "17:00", closes: "09:00" }] }
    expect(outcomeTag(await world.exit(updateOrganisationSettings({ actorId: staff.admin, settings: { businessHours: backwards } })))).toBe("AdministrationRefused")
    expect(await organisation()).toEqual(before)
    expect(await actionsOf("organisation.settings")).toEqual([])
  })

  it("a queue's own after-hours reply answers texts to its line instead of the organisation's", async () => {
    const templates = { ...(await organisation()).templates, afterHours: "Organisation closed." }
    await world.run(updateOrganisationSettings({ actorId: staff.admin, settings: { templates } }))
    await world.run(setQueueAfterHoursReply({ actorId: staff.sup, queueId, text: "Front desk closed." }))
    await world.run(optIn(clients[0]))
    await world.run(clientTexts(clientPhones[0], lineNumbers[lines.queue]!, "anyone?"))
    await world.run(clientTexts(clientPhones[0], lineNumbers[lines.org]!, "anyone?"))
    await world.drainOutbox()
    expect((await world.run(sentTexts)).map((s) => [s.from, s.body])).toEqual([
      [lineNumbers[lines.queue], "Front desk closed."],
      [lineNumbers[lines.org], "Organisation closed."]
    ])
    await world.run(setQueueAfterHoursReply({ actorId: staff.admin, queueId }))
    const queue = Option.getOrThrow(await world.run(Directory.use((d) => d.getQueue(queueId))))
    expect(queue.afterHoursReply).toBeUndefined()
    expect((await actionsOf("queue.settings")).map((e) => e.detail)).toEqual([`queue=${queueId} afterHours=set`, `queue=${queueId} afterHours=cleared`])
    expect(outcomeTag(await world.exit(setQueueAfterHoursReply({ actorId: staff.spec1, queueId, text: "x" })))).toBe("AccessDenied")
    expect(outcomeTag(await world.exit(setQueueAfterHoursReply({ actorId: staff.outsider, queueId, text: "x" })))).toBe("AccessDenied")
  })
})

describe("staff administration", () => {
  it("an admin creates staff with a password hash; an email is used once; others are refused", async () => {
    const created = await world.run(createStaff({ actorId: staff.admin, name: " Nia ", email: "nia@example.org", role: "coordinator", password }))
    expect(created).toMatchObject({ organisationId: org, name: "Nia", email: "nia@example.org", role: "coordinator", active: true })
    expect(await world.run(Credentials.use((c) => c.passwordOf(created.id)))).toEqual(Option.some(password))
    expect(outcomeTag(await world.exit(createStaff({ actorId: staff.admin, name: "Other", email: "NIA@example.org", role: "specialist" })))).toBe("AdministrationRefused")
    expect(outcomeTag(await world.exit(createStaff({ actorId: staff.sup, name: "Other", email: "x@example.org", role: "admin" })))).toBe("AccessDenied")
    expect((await actionsOf("staff.create")).map((e) => e.detail)).toEqual([`staff=${created.id} role=coordinator`])
  })

  it("deactivation ends every session and revokes every token at once; reactivation restores the account only", async () => {
    await world.run(Effect.gen(function* () {
      const credentials = yield* Credentials
      yield* credentials.startSession(hash(1), staff.spec1, T0)
      yield* credentials.startSession(hash(2), staff.spec1, T0)
      yield* credentials.issueApiToken(staff.spec1, hash(3), T0)
    }))
    const gone = await world.run(setStaffActive({ actorId: staff.admin, staffId: staff.spec1, active: false }))
    expect(gone.active).toBe(false)
    const after = await world.run(Effect.gen(function* () {
      const credentials = yield* Credentials
      return [yield* credentials.sessionOf(hash(1)), yield* credentials.sessionOf(hash(2)), yield* credentials.staffOfApiToken(hash(3))]
    }))
    expect(after.map((found) => found._tag)).toEqual(["None", "None", "None"])
    expect((await world.run(setStaffActive({ actorId: staff.admin, staffId: staff.spec1, active: true }))).active).toBe(true)
    expect((await actionsOf("staff.active")).map((e) => e.detail)).toEqual([
      `staff=${staff.spec1} active=false sessions=2 tokens=1`,
      `staff=${staff.spec1} active=true`
    ])
    expect(outcomeTag(await world.exit(setStaffActive({ actorId: staff.admin, staffId: staff.admin, active: false })))).toBe("AdministrationRefused")
    expect(outcomeTag(await world.exit(setStaffActive({ actorId: staff.sup, staffId: staff.spec2, active: false })))).toBe("AccessDenied")
    expect(outcomeTag(await world.exit(setStaffActive({ actorId: staff.outsider, staffId: staff.spec2, active: false })))).toBe("AccessDenied")
  })

  it("a password reset replaces the hash and ends the person's sessions", async () => {
    await world.run(Credentials.use((c) => c.startSession(hash(1), staff.spec2, T0)))
    await world.run(setStaffPassword({ actorId: staff.admin, staffId: staff.spec2, password }))
    expect(await world.run(Credentials.use((c) => c.passwordOf(staff.spec2)))).toEqual(Option.some(password))
    expect(Option.isNone(await world.run(Credentials.use((c) => c.sessionOf(hash(1)))))).toBe(true)
    expect((await actionsOf("staff.password")).map((e) => e.detail)).toEqual([`staff=${staff.spec2}`])
    expect(JSON.stringify(await world.run(auditTrail))).not.toContain("scrypt")
  })

  it("issues and revokes API tokens, audited; never for a deactivated person", async () => {
    await world.run(issueApiTokenFor({ actorId: staff.admin, staffId: staff.coord, tokenHash: hash(7) }))
    expect(await world.run(Credentials.use((c) => c.staffOfApiToken(hash(7))))).toEqual(Option.some(staff.coord))
    expect(await world.run(revokeApiTokensOf({ actorId: staff.admin, staffId: staff.coord }))).toBe(1)
    expect(Option.isNone(await world.run(Credentials.use((c) => c.staffOfApiToken(hash(7)))))).toBe(true)
    await world.run(setStaffActive({ actorId: staff.admin, staffId: staff.front, active: false }))
    expect(outcomeTag(await world.exit(issueApiTokenFor({ actorId: staff.admin, staffId: staff.front, tokenHash: hash(8) })))).toBe("AdministrationRefused")
    expect(outcomeTag(await world.exit(issueApiTokenFor({ actorId: staff.coord, staffId: staff.coord, tokenHash: hash(9) })))).toBe("AccessDenied")
    expect((await actionsOf("token.issue")).length).toBe(1)
    expect((await actionsOf("token.revoke")).map((e) => e.detail)).toEqual([`staff=${staff.coord} tokens=1`])
  })
})

describe("clients, queues and lines", () => {
  it("an admin deactivates and reactivates a client, audited with the client", async () => {
    expect((await world.run(setClientActive({ actorId: staff.admin, clientId: clients[1], active: false }))).active).toBe(false)
    expect(outcomeTag(await world.exit(setClientActive({ actorId: staff.coord, clientId: clients[1], active: true })))).toBe("AccessDenied")
    expect((await actionsOf("client.active")).map((e) => [e.clientId, e.detail])).toEqual([[clients[1], "active=false"]])
  })

  it("an admin creates a queue and adds lines owned by staff, the organisation or a queue; numbers are unique", async () => {
    const queue = await world.run(createQueue({ actorId: staff.admin, name: "Nights", members: [staff.spec1, staff.spec1, staff.sup] }))
    expect(queue.members).toEqual([staff.spec1, staff.sup])
    expect(outcomeTag(await world.exit(createQueue({ actorId: staff.admin, name: " nights ", members: [] })))).toBe("AdministrationRefused")
    expect(outcomeTag(await world.exit(createQueue({ actorId: staff.admin, name: "Elsewhere", members: [staff.outsider] })))).toBe("AdministrationRefused")
    const number = "+15557770100" as PhoneNumber
    const line = await world.run(addLine({ actorId: staff.admin, number, owner: { _tag: "Queue", queueId: queue.id }, ratePerSecond: 3 }))
    expect(Option.getOrThrow(await world.run(Directory.use((d) => d.findLineByNumber(number))))).toEqual(line)
    expect(outcomeTag(await world.exit(addLine({ actorId: staff.admin, number, owner: { _tag: "Organisation" }, ratePerSecond: 1 })))).toBe("AdministrationRefused")
    expect(outcomeTag(await world.exit(addLine({ actorId: staff.admin, number: "+15557770101" as PhoneNumber, owner: { _tag: "Staff", staffId: staff.outsider }, ratePerSecond: 1 })))).toBe("AdministrationRefused")
    expect(outcomeTag(await world.exit(addLine({ actorId: staff.sup, number: "+15557770102" as PhoneNumber, owner: { _tag: "Organisation" }, ratePerSecond: 1 })))).toBe("AccessDenied")
    expect((await actionsOf("line.add")).map((e) => e.detail)).toEqual([`line=${line.id} owner=queue:${queue.id} rate=3`])
    expect((await actionsOf("queue.create")).map((e) => e.detail)).toEqual([`queue=${queue.id} members=2`])
  })
})
