import { type PortalSmsChannel, portalSmsChannels } from "@careline/core"
import { Hono } from "hono"
import { runEffect } from "../../../http/Respond.js"
import type { ServerRuntime } from "../../../Runtime.js"
import { portalNotFound, portalPage } from "../../../web/PortalPage.js"
import type { PortalEnv } from "../../../web/WebEnv.js"
import { exactTime } from "../messages/Format.js"

const when = (at: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(at)

const Conversation = (props: { readonly entry: PortalSmsChannel; readonly timeZone: string }) => (
  <section class="card stack portal-sms" aria-labelledby={`sms-${props.entry.channel.id}`}>
    <h2 id={`sms-${props.entry.channel.id}`}>With {props.entry.with}</h2>
    {props.entry.messages.length === 0 ? <p class="muted">No texts yet.</p> : (
      <ol class="portal-sms-messages">
        {[...props.entry.messages].reverse().map((message) => (
          <li class={message.direction === "inbound" ? "from-client" : "from-team"}>
            <p class="muted small">
              {message.direction === "inbound" ? "You" : props.entry.with}
              {" · "}
              <time datetime={new Date(message.at).toISOString()} title={exactTime(message.at, props.timeZone)}>{when(message.at, props.timeZone)}</time>
            </p>
            <p class="portal-sms-body">{message.body}</p>
          </li>
        ))}
      </ol>
    )}
  </section>
)

/**
 * `/portal/sms`: the client's own text conversations, read-only, newest activity first — only when
 * their organisation shows SMS in the portal (404 otherwise); each conversation shown is audited.
 */
export const portalSmsRoutes = (runtime: ServerRuntime) =>
  new Hono<PortalEnv>().get("/portal/sms", async (c) => {
    const { client, organisation } = c.get("signedInClient")
    if (organisation.portalShowsSms !== true) return portalNotFound(c)
    const outcome = await runEffect(runtime, portalSmsChannels(client))
    if (!outcome.ok) return outcome.response.status === 404 ? portalNotFound(c) : outcome.response
    const timeZone = client.timeZone ?? organisation.businessHours.timeZone
    return portalPage(c, { title: "Text messages", section: "sms" }, (
      <div class="stack">
        <h1>Text messages</h1>
        <p class="muted">Your text messages with {organisation.name}, to read here. To answer, reply from your phone.</p>
        {outcome.value.length === 0 ? <p class="muted">No text messages yet.</p> : outcome.value.map((entry) => <Conversation entry={entry} timeZone={timeZone} />)}
      </div>
    ))
  })
