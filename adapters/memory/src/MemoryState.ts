import type {
  Assignment,
  AuditEvent,
  Channel,
  ChannelId,
  ChannelPreference,
  Client,
  ClientId,
  ConsentEntry,
  InboundDelivery,
  Line,
  LineId,
  Message,
  MessageId,
  Organisation,
  OrganisationId,
  OutboxEntry,
  OutboxId,
  ProviderMessageId,
  Queue,
  QueueId,
  Staff,
  StaffId
} from "@careline/core"
import { Effect, HashMap, Option, Ref } from "effect"

/**
 * Everything the in-memory stores hold, as one immutable value. Every store operation is a single
 * `Ref.modify` over it, so each one is atomic — including `recordOutbound`, which touches two stores.
 */
export interface MemoryState {
  readonly organisations: HashMap.HashMap<OrganisationId, Organisation>
  readonly staff: HashMap.HashMap<StaffId, Staff>
  readonly clients: HashMap.HashMap<ClientId, Client>
  readonly lines: HashMap.HashMap<LineId, Line>
  readonly queues: HashMap.HashMap<QueueId, Queue>
  /** Per client, in append order. */
  readonly assignments: HashMap.HashMap<ClientId, ReadonlyArray<Assignment>>
  readonly channels: HashMap.HashMap<ChannelId, Channel>
  readonly messages: HashMap.HashMap<MessageId, Message>
  readonly messageByProviderId: HashMap.HashMap<ProviderMessageId, MessageId>
  /** Texts logged by `logInbound` and not yet routed (or left `Unrouted`), oldest first. */
  readonly inboundLog: ReadonlyArray<InboundDelivery>
  /** Keyed by {@link preferenceKey}. */
  readonly preferences: HashMap.HashMap<string, ChannelPreference>
  readonly outbox: HashMap.HashMap<OutboxId, OutboxEntry>
  /** Per {@link consentKey}, in append order. */
  readonly consent: HashMap.HashMap<string, ReadonlyArray<ConsentEntry>>
  /** Per organisation, in append order. */
  readonly audit: HashMap.HashMap<OrganisationId, ReadonlyArray<AuditEvent>>
}

export type MemoryRef = Ref.Ref<MemoryState>

/** A query: a pure function of one snapshot of the state. */
export const read = <A>(ref: MemoryRef, f: (state: MemoryState) => A): Effect.Effect<A> => Effect.map(Ref.get(ref), f)

export const emptyState: MemoryState = {
  organisations: HashMap.empty(),
  staff: HashMap.empty(),
  clients: HashMap.empty(),
  lines: HashMap.empty(),
  queues: HashMap.empty(),
  assignments: HashMap.empty(),
  channels: HashMap.empty(),
  messages: HashMap.empty(),
  messageByProviderId: HashMap.empty(),
  inboundLog: [],
  preferences: HashMap.empty(),
  outbox: HashMap.empty(),
  consent: HashMap.empty(),
  audit: HashMap.empty()
}

export const preferenceKey = (channelId: ChannelId, staffId: StaffId): string => `${channelId}\u0000${staffId}`
export const consentKey = (organisationId: OrganisationId, phone: string): string => `${organisationId}\u0000${phone}`

/** Appends to the array stored under `key` (copy on write: stored arrays are never mutated). */
export const appendAt = <K, V>(map: HashMap.HashMap<K, ReadonlyArray<V>>, key: K, value: V): HashMap.HashMap<K, ReadonlyArray<V>> =>
  HashMap.set(map, key, [...listAt(map, key), value])

export const listAt = <K, V>(map: HashMap.HashMap<K, ReadonlyArray<V>>, key: K): ReadonlyArray<V> =>
  Option.getOrElse(HashMap.get(map, key), () => [])

export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export const byId = <A extends { readonly id: string }>(a: A, b: A): number => compareStrings(a.id, b.id)
