import { ConsentLedger } from "@careline/core"
import { Ref } from "effect"
import { appendAt, consentKey, listAt, type MemoryRef, read } from "./MemoryState.js"

/** `ConsentLedger` over the shared in-memory state: append-only, one list per (organisation, phone). */
export const makeConsentLedger = (ref: MemoryRef) =>
  ConsentLedger.of({
    append: (entry) =>
      Ref.update(ref, (s) => ({ ...s, consent: appendAt(s.consent, consentKey(entry.organisationId, entry.phone), entry) })),
    appendIfCurrent: (entry, seen) =>
      Ref.modify(ref, (s) => {
        const key = consentKey(entry.organisationId, entry.phone)
        return listAt(s.consent, key).length === seen ? [true, { ...s, consent: appendAt(s.consent, key, entry) }] : [false, s]
      }),
    history: (organisationId, phone) => read(ref, (s) => listAt(s.consent, consentKey(organisationId, phone)))
  })
