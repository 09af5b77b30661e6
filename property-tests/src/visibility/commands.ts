import {
  assign,
  Conversations,
  listInbox,
  ProviderMessageId,
  readChannel,
  receiveInbound,
  setQueueMembers,
  setStaffRole,
  type StaffId,
  type StaffRole,
  unassign
} from "@careline/core"
import { Effect, Option } from "effect"
import type * as fc from "fast-check"
import { expect } from "vitest"
import { clientPhones, clients, lineList, queueId, staff, unknownPhone } from "../Scenario.js"
import { outcomeTag, type World } from "../World.js"
import { assignmentKey, channelKey, sees, type VisibilityModel, visibleKeys } from "./VisibilityModel.js"

export interface VisibilityReal {
  readonly world: World
  inboundCount: number
}

type VisibilityCommand = fc.AsyncCommand<VisibilityModel, VisibilityReal>

/** Staff whose role, assignments and queue membership the commands change (the admin acts). */
export const mutableStaff = [staff.spec1, staff.spec2, staff.coord, staff.sup, staff.front] as const
export const everyone = [...mutableStaff, staff.admin, staff.outsider] as const
const phones = [...clientPhones, unknownPhone]

export class Assign implements VisibilityCommand {
  constructor(readonly who: StaffId, readonly client: number, readonly on: boolean) {}
  check = () => true
  async run(model: VisibilityModel, real: VisibilityReal) {
    const input = { actorId: staff.admin, staffId: this.who, clientId: clients[this.client]! }
    await real.world.run(this.on ? assign(input) : unassign(input))
    const key = assignmentKey(this.who, clients[this.client]!)
    if (this.on) model.assignments.add(key)
    else model.assignments.delete(key)
  }
  toString = () => `${this.on ? "Assign" : "Unassign"}(${this.who}, c${this.client + 1})`
}

export class SetRole implements VisibilityCommand {
  constructor(readonly who: StaffId, readonly role: StaffRole) {}
  check = () => true
  async run(model: VisibilityModel, real: VisibilityReal) {
    await real.world.run(setStaffRole({ actorId: staff.admin, staffId: this.who, role: this.role }))
    model.roles.set(this.who, this.role)
  }
  toString = () => `SetRole(${this.who}, ${this.role})`
}

export class SetMembers implements VisibilityCommand {
  constructor(readonly members: ReadonlyArray<StaffId>) {}
  check = () => true
  async run(model: VisibilityModel, real: VisibilityReal) {
    await real.world.run(setQueueMembers({ actorId: staff.admin, queueId, members: this.members }))
    model.members = new Set(this.members)
  }
  toString = () => `SetMembers([${this.members.join(", ")}])`
}

export class Inbound implements VisibilityCommand {
  constructor(readonly from: number, readonly line: number) {}
  check = () => true
  async run(model: VisibilityModel, real: VisibilityReal) {
    const [lineId, number] = lineList[this.line]!
    const phone = phones[this.from]!
    real.inboundCount += 1
    await real.world.run(receiveInbound({ providerMessageId: ProviderMessageId.make(`SMv${real.inboundCount}`), from: phone, to: number, body: "hello" }))
    const key = channelKey(lineId, phone)
    const channel = model.channels.get(key) ?? { lineId, phone, clientId: clients[this.from], inbound: 0 }
    channel.inbound += 1
    model.channels.set(key, channel)
  }
  toString = () => `Inbound(${this.from === 3 ? "unknown" : `c${this.from + 1}`} → line ${this.line})`
}

/** The inbox lists exactly the channels the model says this staff member may see. */
export class CheckInbox implements VisibilityCommand {
  constructor(readonly who: StaffId) {}
  check = () => true
  async run(model: VisibilityModel, real: VisibilityReal) {
    const rows = await real.world.run(listInbox({ staffId: this.who }))
    expect(rows.map((r) => channelKey(r.channel.lineId, r.channel.phone)).sort()).toEqual(visibleKeys(model, this.who))
  }
  toString = () => `CheckInbox(${this.who})`
}

/** Reading a channel is allowed exactly when the model says so, and then shows its whole history. */
export class Read implements VisibilityCommand {
  constructor(readonly who: StaffId, readonly pick: number) {}
  check = (model: Readonly<VisibilityModel>) => model.channels.size > 0
  async run(model: VisibilityModel, real: VisibilityReal) {
    const channel = [...model.channels.values()][this.pick % model.channels.size]!
    const found = await real.world.run(Conversations.use((c) => c.findChannel(channel.lineId, channel.phone)))
    const channelId = Option.getOrThrow(found).id
    const exit = await real.world.exit(
      readChannel({ staffId: this.who, channelId, limit: 10_000 }).pipe(
        Effect.map(({ messages }) => messages.filter((m) => m.direction === "inbound").length)
      )
    )
    if (sees(model, this.who, channel)) {
      expect(outcomeTag(exit)).toBe("ok")
      expect(exit._tag === "Success" ? exit.value : -1, "the whole history is visible").toBe(channel.inbound)
    } else {
      expect(outcomeTag(exit)).toBe("AccessDenied")
    }
  }
  toString = () => `Read(${this.who}, #${this.pick})`
}
