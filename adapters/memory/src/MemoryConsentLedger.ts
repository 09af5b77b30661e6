import { ConsentLedger } from "@careline/core"
import { Ref } from "effect"
import { appendAt, consentKey, listAt, type MemoryRef, read } from "./MemoryState.js"

/** `ConsentLedger` over the shared in-memory state: append-only, one list per (organisation, phone). */
export const makeConsentLedger = (ref: MemoryRef) =>
  ConsentLedger.of({
    append: (entry) =>
      Ref.update(ref, (s) => ({ ...s, consent: appendAt(s.consent, consentKey(entry.organisationId, entry.phone), entry) })),
    history: (organisationId, phone) => read(ref, (s) => listAt(s.consent, consentKey(organisationId, phone)))
  })
