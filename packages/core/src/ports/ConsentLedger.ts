import { Context, type Effect } from "effect"
import type { ConsentEntry } from "../Consent.js"
import type { OrganisationId } from "../Ids.js"
import type { PhoneNumber } from "../PhoneNumber.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/** Append-only consent history per (organisation, phone); the state is always its fold. */
export class ConsentLedger extends Context.Service<ConsentLedger, {
  readonly append: (entry: ConsentEntry) => Io<void>
  /**
   * Appends only if the number's history still has `seen` entries, and says whether it did: two
   * concurrent decisions on the same number cannot both apply (e.g. two confirmations for one STOP).
   */
  readonly appendIfCurrent: (entry: ConsentEntry, seen: number) => Io<boolean>
  /** Oldest first, in append order. */
  readonly history: (organisationId: OrganisationId, phone: PhoneNumber) => Io<ReadonlyArray<ConsentEntry>>
}>()("@careline/core/ConsentLedger") {}
