import { type Client, contactLabel as coreContactLabel, type PhoneLabel, type PhoneNumber } from "@careline/core"

/**
 * How a contact is shown everywhere in the staff app (S4): "Name – Mobile" for a client's number,
 * the bare number for an unknown sender. The core's rule, so the inbox rows the core builds and the
 * pages agree.
 *
 * @example
 * contactLabel(casey, "+15550000001") // "Casey One – Mobile"
 * contactLabel(undefined, "+15550000009") // "+15550000009"
 */
export const contactLabel = (client: Client | undefined, phone: PhoneNumber): string => coreContactLabel(client, phone)

/** "Mobile", "Home", "Work". */
export const phoneLabelText = (label: PhoneLabel): string => `${label[0]!.toUpperCase()}${label.slice(1)}`
