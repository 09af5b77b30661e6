import { Directory, type OrganisationSettings, QueueId, requireOrganisation, setQueueAfterHoursReply, updateOrganisationSettings } from "@careline/core"
import { Effect, Result } from "effect"
import type { Context } from "hono"
import { Hono } from "hono"
import { IdText } from "../../../http/Input.js"
import type { ServerRuntime } from "../../../Runtime.js"
import type { WebEnv } from "../../../web/WebEnv.js"
import { attempt, decodeForm, formOf, load, page, type PageStatus, roleGate } from "../admin/AdminKit.js"
import { decodeCrisisWordsForm, decodeHolidayForm, decodeHoursForm, decodeQueueReplyForm, decodeTemplatesForm } from "./SettingsForms.js"
import { decodePortalSettingsForm } from "./PortalSettings.js"
import { type FormError, SettingsPage } from "./SettingsPage.js"

const savedKinds = new Set(["hours", "holidays", "templates", "crisis", "queue", "portal"])

const loadSettings = (c: Context<WebEnv>) =>
  Effect.gen(function* () {
    const { staff } = c.get("signedIn")
    const organisation = yield* requireOrganisation(staff.organisationId)
    const queues = yield* Directory.use((d) => d.listQueues(staff.organisationId))
    return { organisation, queues }
  })

/** The settings page, with a form's refusal shown beside it (and what was typed) when there is one. */
const render = async (c: Context<WebEnv>, runtime: ServerRuntime, status: PageStatus, error?: FormError, saved?: string) => {
  const loaded = await load(c, runtime, "settings", loadSettings(c))
  if (Result.isFailure(loaded)) return loaded.failure
  const view = { ...loaded.success, csrfToken: c.get("signedIn").csrfToken, saved, error }
  return page(c, "Settings", "settings", <SettingsPage view={view} />, status)
}

const savedTo = (c: Context<WebEnv>, kind: string, anchor: string) => c.redirect(`/settings?saved=${kind}#${anchor}`, 303)

/** Saves organisation settings through the core (which checks the role again and audits the change). */
const saveSettings = async (c: Context<WebEnv>, runtime: ServerRuntime, settings: OrganisationSettings, form: string, values: FormError["values"], kind: string) => {
  const done = await attempt(c, runtime, "settings", updateOrganisationSettings({ actorId: c.get("signedIn").staff.id, settings }))
  if (done._tag === "Failed") return done.response
  if (done._tag === "Refused") return render(c, runtime, done.status, { form, problems: [done.reason], values })
  return savedTo(c, kind, form === "crisis" ? "crisis" : form)
}

/** The organisation's stored holidays (for the hours form, which keeps them, and the holiday forms). */
const storedHours = (c: Context<WebEnv>, runtime: ServerRuntime) =>
  load(c, runtime, "settings", Effect.map(loadSettings(c), (s) => s.organisation.businessHours))

/**
 * `GET /settings` and its forms (supervisors and admins only; others get 403): business hours,
 * holidays, message templates, each queue's after-hours reply, crisis words, and the client portal
 * and email settings. Each form is
 * validated (a refusal is shown in the page with a 4xx and nothing is saved), then saved through the
 * core, which audits it.
 */
export const settingsRoutes = (runtime: ServerRuntime) => {
  const gate = roleGate(["supervisor", "admin"], "settings", "supervisors and admins")
  return new Hono<WebEnv>()
    .use("/settings", gate)
    .use("/settings/*", gate)
    .get("/settings", (c) => {
      const saved = c.req.query("saved")
      return render(c, runtime, 200, undefined, saved !== undefined && savedKinds.has(saved) ? saved : undefined)
    })
    .post("/settings/hours", async (c) => {
      const values = await formOf(c)
      const hours = await storedHours(c, runtime)
      if (Result.isFailure(hours)) return hours.failure
      const decoded = decodeHoursForm(values, hours.success.holidays)
      if (Result.isFailure(decoded)) return render(c, runtime, 422, { form: "hours", problems: decoded.failure, values })
      return saveSettings(c, runtime, { businessHours: decoded.success }, "hours", values, "hours")
    })
    .post("/settings/holidays", async (c) => {
      const values = await formOf(c)
      const decoded = decodeHolidayForm(values)
      if (Result.isFailure(decoded)) return render(c, runtime, 422, { form: "holidays", problems: decoded.failure, values })
      const hours = await storedHours(c, runtime)
      if (Result.isFailure(hours)) return hours.failure
      if (hours.success.holidays.includes(decoded.success.date)) {
        return render(c, runtime, 422, { form: "holidays", problems: [`${decoded.success.date} is already a holiday.`], values })
      }
      const holidays = [...hours.success.holidays, decoded.success.date].sort()
      return saveSettings(c, runtime, { businessHours: { ...hours.success, holidays } }, "holidays", values, "holidays")
    })
    .post("/settings/holidays/remove", async (c) => {
      const values = await formOf(c)
      const decoded = decodeHolidayForm(values)
      if (Result.isFailure(decoded)) return render(c, runtime, 422, { form: "holidays", problems: decoded.failure, values: {} })
      const hours = await storedHours(c, runtime)
      if (Result.isFailure(hours)) return hours.failure
      const holidays = hours.success.holidays.filter((d) => d !== decoded.success.date)
      if (holidays.length === hours.success.holidays.length) return savedTo(c, "holidays", "holidays")
      return saveSettings(c, runtime, { businessHours: { ...hours.success, holidays } }, "holidays", {}, "holidays")
    })
    .post("/settings/templates", async (c) => {
      const values = await formOf(c)
      const decoded = decodeTemplatesForm(values)
      if (Result.isFailure(decoded)) return render(c, runtime, 422, { form: "templates", problems: decoded.failure, values })
      return saveSettings(c, runtime, { templates: decoded.success }, "templates", values, "templates")
    })
    .post("/settings/crisis-words", async (c) => {
      const values = await formOf(c)
      const decoded = decodeCrisisWordsForm(values)
      if (Result.isFailure(decoded)) return render(c, runtime, 422, { form: "crisis", problems: decoded.failure, values })
      return saveSettings(c, runtime, { crisisWords: decoded.success }, "crisis", values, "crisis")
    })
    .post("/settings/portal", async (c) => {
      const values = await formOf(c)
      const decoded = decodePortalSettingsForm(values)
      if (Result.isFailure(decoded)) return render(c, runtime, 422, { form: "portal", problems: decoded.failure, values })
      return saveSettings(c, runtime, decoded.success, "portal", values, "portal")
    })
    .post("/settings/queues/:id/after-hours", async (c) => {
      const values = await formOf(c)
      const id = decodeForm(IdText)(c.req.param("id"))
      if (Result.isFailure(id)) return render(c, runtime, 404, { form: "queues", problems: ["That queue does not exist."], values })
      const form = `queue:${id.success}`
      const decoded = decodeQueueReplyForm(values)
      if (Result.isFailure(decoded)) return render(c, runtime, 422, { form, problems: decoded.failure, values })
      const queueId = QueueId.make(id.success)
      const done = await attempt(c, runtime, "settings", setQueueAfterHoursReply({
        actorId: c.get("signedIn").staff.id,
        queueId,
        ...(decoded.success === undefined ? {} : { text: decoded.success })
      }))
      if (done._tag === "Failed") return done.response
      if (done._tag === "Refused") return render(c, runtime, done.status, { form, problems: [done.reason], values })
      return savedTo(c, "queue", "queues")
    })
}
