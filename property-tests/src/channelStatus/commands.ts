import {
  archive,
  type ChannelId,
  type ChannelRef,
  Conversations,
  hide,
  listInbox,
  markDone,
  markOpen,
  mute,
  ProviderMessageId,
  readChannel,
  receiveInbound,
  replyInChannel,
  sendSms,
  unarchive
} from "@careline/core"
import { type Effect, Option } from "effect"
import type * as fc from "fast-check"
import { expect } from "vitest"
import { clientPhones, clients, lineNumbers, lines, staff } from "../Scenario.js"
import { outcomeTag, type World, type WorldServices } from "../World.js"
import {
  type ChannelStatusModel,
  filters,
  listedUnder,
  modelInbound,
  modelMark,
  modelOpened,
  modelReply
} from "./ChannelModel.js"

export interface ChannelStatusReal {
  readonly world: World
  inboundCount: number
}

type ChannelCommand = fc.AsyncCommand<ChannelStatusModel, ChannelStatusReal>

const coordLine = lineNumbers[lines.coord]!

const channelIdOf = async (real: ChannelStatusReal, client: number): Promise<ChannelId> => {
  const found = await real.world.run(Conversations.use((c) => c.findChannel(lines.coord, clientPhones[client]!)))
  if (Option.isNone(found)) throw new Error(`no channel for c${client + 1} on the coordinator's line`)
  return found.value.id
}

/**
 * After every command: each client's channel on the coordinator's line is stored exactly as the
 * model says (exists, status, archived, unread count, messages), and the coordinator's inbox lists
 * it under a filter iff the model does, with the model's unread and muted flags.
 */
const checkAll = async (model: ChannelStatusModel, real: ChannelStatusReal) => {
  const stored = new Map<string, number>()
  for (const [index, phone] of clientPhones.entries()) {
    const found = await real.world.run(Conversations.use((c) => c.findChannel(lines.coord, phone)))
    const expected = model.channels.get(index)
    expect(Option.isSome(found), `c${index + 1} has a channel`).toBe(expected !== undefined)
    if (Option.isNone(found) || expected === undefined) continue
    const channel = found.value
    stored.set(channel.id, index)
    expect(
      { status: channel.status, archived: channel.archived, unreadCount: channel.unreadCount },
      `channel of c${index + 1}`
    ).toEqual({ status: expected.status, archived: expected.archived, unreadCount: expected.unreadCount })
    const messages = await real.world.run(Conversations.use((c) => c.listMessages(channel.id, { limit: 1_000 })))
    expect(messages.length, `messages of c${index + 1}`).toBe(expected.messages)
  }
  for (const filter of filters) {
    const rows = await real.world.run(listInbox({ staffId: staff.coord, filter }))
    const listed = rows.filter((row) => stored.has(row.channel.id)).map((row) => stored.get(row.channel.id)!)
    const expected = [...model.channels.entries()].filter(([, c]) => listedUnder(c, filter)).map(([i]) => i)
    expect(listed.sort(), `inbox filter "${filter}"`).toEqual(expected.sort())
    for (const row of rows.filter((r) => stored.has(r.channel.id))) {
      const channel = model.channels.get(stored.get(row.channel.id)!)!
      expect({ unread: row.unread, muted: row.muted }).toEqual({ unread: channel.status === "unread", muted: channel.muted })
    }
  }
}

const expectOk = async <A, E extends { readonly _tag: string }>(real: ChannelStatusReal, effect: Effect.Effect<A, E, WorldServices>) => {
  expect(outcomeTag(await real.world.exit(effect))).toBe("ok")
}

export class Inbound implements ChannelCommand {
  constructor(readonly client: number, readonly body: string) {}
  check = () => true
  async run(model: ChannelStatusModel, real: ChannelStatusReal) {
    real.inboundCount += 1
    await expectOk(real, receiveInbound({
      providerMessageId: ProviderMessageId.make(`SMcs${real.inboundCount}`),
      from: clientPhones[this.client]!,
      to: coordLine,
      body: this.body
    }))
    modelInbound(model, this.client)
    await checkAll(model, real)
  }
  toString = () => `Inbound(c${this.client + 1}, ${JSON.stringify(this.body)})`
}

/** Replies from the channel when it exists, or starts it with `sendSms` from the coordinator's own line. */
export class Reply implements ChannelCommand {
  constructor(readonly client: number, readonly viaChannel: boolean) {}
  check = (model: Readonly<ChannelStatusModel>) => !this.viaChannel || model.channels.has(this.client)
  async run(model: ChannelStatusModel, real: ChannelStatusReal) {
    const body = "Thanks, see you on Tuesday"
    await expectOk(real, this.viaChannel
      ? replyInChannel({ staffId: staff.coord, channelId: await channelIdOf(real, this.client), body })
      : sendSms({ staffId: staff.coord, clientId: clients[this.client]!, body }))
    modelReply(model, this.client)
    await checkAll(model, real)
  }
  toString = () => `${this.viaChannel ? "ReplyInChannel" : "SendSms"}(c${this.client + 1})`
}

export class Read implements ChannelCommand {
  constructor(readonly client: number) {}
  check = (model: Readonly<ChannelStatusModel>) => model.channels.has(this.client)
  async run(model: ChannelStatusModel, real: ChannelStatusReal) {
    const channelId = await channelIdOf(real, this.client)
    const page = await real.world.run(readChannel({ staffId: staff.coord, channelId }))
    modelOpened(model, this.client)
    const expected = model.channels.get(this.client)!
    expect({ status: page.channel.status, unreadCount: page.channel.unreadCount, messages: page.messages.length })
      .toEqual({ status: expected.status, unreadCount: expected.unreadCount, messages: Math.min(expected.messages, 50) })
    await checkAll(model, real)
  }
  toString = () => `Read(c${this.client + 1})`
}

type Action = "markOpen" | "markDone" | "archive" | "unarchive" | "mute" | "hide"

const actions: Record<Action, (ref: ChannelRef) => Effect.Effect<unknown, { readonly _tag: string }, WorldServices>> =
  { markOpen, markDone, archive, unarchive, mute, hide }

const modelAction: Record<Action, (model: ChannelStatusModel, client: number) => void> = {
  markOpen: (m, c) => modelMark(m, c, "open"),
  markDone: (m, c) => modelMark(m, c, "done"),
  archive: (m, c) => { m.channels.get(c)!.archived = true },
  unarchive: (m, c) => { m.channels.get(c)!.archived = false },
  mute: (m, c) => { m.channels.get(c)!.muted = true },
  hide: (m, c) => { m.channels.get(c)!.hidden = true }
}

/** The coordinator marks, archives, mutes or hides one of their channels. */
export class Act implements ChannelCommand {
  constructor(readonly client: number, readonly action: Action) {}
  check = (model: Readonly<ChannelStatusModel>) => model.channels.has(this.client)
  async run(model: ChannelStatusModel, real: ChannelStatusReal) {
    const channelId = await channelIdOf(real, this.client)
    await expectOk(real, actions[this.action]({ staffId: staff.coord, channelId }))
    modelAction[this.action](model, this.client)
    await checkAll(model, real)
  }
  toString = () => `${this.action}(c${this.client + 1})`
}
