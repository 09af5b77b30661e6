import { Context, type Effect } from "effect"
import type { ConsentEntry } from "../Consent.js"
import type { OrganisationId } from "../Ids.js"
import type { PhoneNumber } from "../PhoneNumber.js"
import type { StorageError } from "./StorageError.js"

type Io<A> = Effect.Effect<A, StorageError>

/** Append-only consent history per (organisation, phone); the state is always its fold. */
export class ConsentLedger extends Context.Service<ConsentLedger, {
  readonly append: (entry: ConsentEntry) => Io<void>
  /** Oldest first, in append order. */
  readonly history: (organisationId: OrganisationId, phone: PhoneNumber) => Io<ReadonlyArray<ConsentEntry>>
}>()("@careline/core/ConsentLedger") {}
