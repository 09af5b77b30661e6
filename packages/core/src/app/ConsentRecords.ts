import { Clock, Effect } from "effect"
import { type ConsentSource, type ConsentState, foldLedger } from "../Consent.js"
import type { ClientId, OrganisationId } from "../Ids.js"
import type { AuditActor } from "../AuditEvent.js"
import type { PhoneNumber } from "../PhoneNumber.js"
import { ConsentLedger } from "../ports/ConsentLedger.js"
import { audit } from "./Audit.js"

/** The current consent of a number: always the fold of its ledger. */
export const consentOf = (organisationId: OrganisationId, phone: PhoneNumber) =>
  ConsentLedger.use((ledger) => ledger.history(organisationId, phone)).pipe(Effect.map(foldLedger))

export interface ConsentChange {
  readonly organisationId: OrganisationId
  readonly phone: PhoneNumber
  readonly state: ConsentState
  readonly source: ConsentSource
  readonly evidence: string
  readonly actor: AuditActor
  readonly clientId: ClientId | undefined
}

/** Appends a ledger row and its audit event. */
export const recordConsent = (change: ConsentChange) =>
  Effect.gen(function* () {
    const at = yield* Clock.currentTimeMillis
    yield* ConsentLedger.use((ledger) => ledger.append({
      organisationId: change.organisationId,
      phone: change.phone,
      at,
      state: change.state,
      source: change.source,
      evidence: change.evidence
    }))
    yield* audit({
      organisationId: change.organisationId,
      actor: change.actor,
      action: "consent.change",
      ...(change.clientId === undefined ? {} : { clientId: change.clientId }),
      detail: `state=${change.state} source=${change.source}`
    })
  })
