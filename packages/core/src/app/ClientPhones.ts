import { Effect, Option } from "effect"
import { AccessDenied, canAccessClient } from "../AccessPolicy.js"
import type { Client } from "../Client.js"
import type { ChannelId, ClientId, StaffId } from "../Ids.js"
import { InvalidClient, newClientProblem } from "../NewClient.js"
import type { Phone, PhoneLabel } from "../PhoneNumber.js"
import { Conversations } from "../ports/Conversations.js"
import { Directory } from "../ports/Directory.js"
import { audit } from "./Audit.js"
import { requireClient, requireStaff } from "./Lookup.js"
import { authorizeChannel } from "./Visibility.js"

/** Anyone who may access the client may keep their numbers up to date (S0, S4); every change is audited. */
const reachableClient = (staffId: StaffId, clientId: ClientId) =>
  Effect.gen(function* () {
    const actor = yield* requireStaff(staffId)
    const client = yield* requireClient(clientId)
    const decision = canAccessClient(actor, client, yield* Directory.use((d) => d.assignmentsOfClient(client.id)))
    if (decision._tag === "Denied") return yield* new AccessDenied({ reason: decision.reason })
    return { actor, client }
  })

export interface UpdatePhones {
  readonly staffId: StaffId
  readonly clientId: ClientId
  /** The client's numbers as they should be; "okay to text" stays as recorded (it is changed by attestation only). */
  readonly phones: ReadonlyArray<Omit<Phone, "okayToText">>
}

/**
 * Sets a client's numbers: labels, which is primary (where texts go), numbers added or removed.
 * Exactly one primary, no number twice. Consent stays with each number in the ledger.
 */
export const updatePhones = (input: UpdatePhones) =>
  Effect.gen(function* () {
    const { actor, client } = yield* reachableClient(input.staffId, input.clientId)
    const problem = newClientProblem({ name: client.name, phones: input.phones })
    if (problem !== undefined) return yield* new InvalidClient({ reason: problem })
    const okay = new Map(client.phones.map((p) => [p.number, p.okayToText]))
    const phones: ReadonlyArray<Phone> = input.phones.map((p) => ({ number: p.number, label: p.label, primary: p.primary, okayToText: okay.get(p.number) ?? false }))
    const updated = yield* Directory.use((d) => d.updateClient(client.id, (current): Client => ({ ...current, phones })))
    const added = phones.filter((p) => !okay.has(p.number)).length
    const removed = client.phones.filter((p) => !phones.some((n) => n.number === p.number)).length
    yield* audit({
      organisationId: client.organisationId,
      actor: { _tag: "Staff", staffId: actor.id },
      action: "client.phones",
      clientId: client.id,
      detail: `phones=${phones.length} added=${added} removed=${removed}`
    })
    return Option.getOrElse(updated, () => ({ ...client, phones }))
  })

export interface AttachContact {
  readonly staffId: StaffId
  /** The channel of an unknown number (S4). */
  readonly channelId: ChannelId
  readonly clientId: ClientId
  readonly label: PhoneLabel
}

/**
 * Attaches an unknown number's channel to a client (S4 "update an existing contact"): the number is
 * added to the client's phones (primary only if they had none) and the channel becomes theirs. The
 * staff member must see the channel and be able to access the client.
 */
export const attachContact = (input: AttachContact) =>
  Effect.gen(function* () {
    const { channel } = yield* authorizeChannel(input.staffId, input.channelId)
    if (channel.clientId !== undefined && channel.clientId !== input.clientId) {
      return yield* new InvalidClient({ reason: "This number already belongs to a client." })
    }
    const { actor, client } = yield* reachableClient(input.staffId, input.clientId)
    const updated = yield* Directory.use((d) =>
      d.updateClient(client.id, (current): Client =>
        current.phones.some((p) => p.number === channel.phone)
          ? current
          : { ...current, phones: [...current.phones, { number: channel.phone, label: input.label, primary: !current.phones.some((p) => p.primary), okayToText: false }] }))
    yield* Conversations.use((c) =>
      c.updateChannel(channel.id, (current) => (current.clientId === undefined ? { ...current, clientId: client.id } : current)))
    yield* audit({
      organisationId: client.organisationId,
      actor: { _tag: "Staff", staffId: actor.id },
      action: "client.phones",
      clientId: client.id,
      channelId: channel.id,
      detail: "contact attached"
    })
    return Option.getOrElse(updated, () => client)
  })
