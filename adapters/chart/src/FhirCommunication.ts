import type { ChartNote } from "@careline/core"

/** A FHIR R4 `Communication` (the parts Careline fills in): a note sent to the client's clinical record. */
export interface FhirCommunication {
  readonly resourceType: "Communication"
  readonly id: string
  readonly identifier: ReadonlyArray<{ readonly system: string; readonly value: string }>
  readonly status: "completed"
  readonly category: ReadonlyArray<{ readonly text: string }>
  readonly subject: { readonly reference: string }
  readonly sender: { readonly reference: string }
  readonly sent: string
  readonly payload: ReadonlyArray<{ readonly contentString: string }>
}

/** The identifier system under which Careline's notes are known (with the organisation, so two organisations never collide). */
export const identifierSystem = "urn:careline:chart-note"

/**
 * The note as a FHIR R4 `Communication`: the client is the `subject` (a Patient), the staff member the
 * `sender` (a Practitioner), `sent` is when it was charted, the text is the payload. References use
 * Careline's ids; an EHR that knows them by other ids maps them on receipt.
 *
 * @example
 * ```ts
 * const resource = toCommunication(note, "3f6c…")
 * ```
 */
export const toCommunication = (note: ChartNote, id: string): FhirCommunication => ({
  resourceType: "Communication",
  id,
  identifier: [{ system: identifierSystem, value: `${note.organisationId}/${id}` }],
  status: "completed",
  category: [{ text: "Careline messaging note" }],
  subject: { reference: `Patient/${note.clientId}` },
  sender: { reference: `Practitioner/${note.author}` },
  sent: new Date(note.at).toISOString(),
  payload: [{ contentString: note.text }]
})
