import { Clock, Effect, Option } from "effect"
import type { AuditActor } from "../AuditEvent.js"
import { type ConsentSource, type ConsentState, type ConsentStatus, foldLedger } from "../Consent.js"
import type { ClientId, OrganisationId } from "../Ids.js"
import type { PhoneNumber } from "../PhoneNumber.js"
import { ConsentLedger } from "../ports/ConsentLedger.js"
import { audit } from "./Audit.js"

/** The current consent of a number: always the fold of its ledger. */
export const consentOf = (organisationId: OrganisationId, phone: PhoneNumber) =>
  ConsentLedger.use((ledger) => ledger.history(organisationId, phone)).pipe(Effect.map(foldLedger))

export interface ConsentChange {
  readonly state: ConsentState
  readonly source: ConsentSource
}

export interface ConsentSubject {
  readonly organisationId: OrganisationId
  readonly phone: PhoneNumber
  readonly evidence: string
  readonly actor: AuditActor
  readonly clientId: ClientId | undefined
}

/**
 * Decides on a number's consent and records the change, if any, atomically with respect to other
 * decisions on the same number: the change is appended only if the ledger is still the one the
 * decision was made on, else the decision is made again on the newer ledger. So two STOPs that
 * arrive together record one opt-out and confirm it once.
 */
export const transitionConsent = <D extends { readonly change: Option.Option<ConsentChange> }>(
  subject: ConsentSubject,
  decide: (status: ConsentStatus) => D
) =>
  Effect.gen(function* () {
    const ledger = yield* ConsentLedger
    while (true) {
      const history = yield* ledger.history(subject.organisationId, subject.phone)
      const decision = decide(foldLedger(history))
      if (Option.isNone(decision.change)) return decision
      const change = decision.change.value
      const entry = {
        organisationId: subject.organisationId,
        phone: subject.phone,
        at: yield* Clock.currentTimeMillis,
        state: change.state,
        source: change.source,
        evidence: subject.evidence
      }
      if (yield* ledger.appendIfCurrent(entry, history.length)) {
        yield* audit({
          organisationId: subject.organisationId,
          actor: subject.actor,
          action: "consent.change",
          ...(subject.clientId === undefined ? {} : { clientId: subject.clientId }),
          detail: `state=${change.state} source=${change.source}`
        })
        return decision
      }
    }
  })
