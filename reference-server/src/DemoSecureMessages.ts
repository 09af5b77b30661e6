import { type Client, composeThread, replyToThread, type Staff } from "@careline/core"
import { Effect } from "effect"

/** The people the demo's secure messages are between (see `seedDemoOrganisation`). */
export interface SecureCast {
  readonly therapist: Staff
  readonly coordinator: Staff
  readonly frontDesk: Staff
  readonly clients: ReadonlyArray<Client>
}

const staffRef = (staff: Staff) => ({ _tag: "Staff", staffId: staff.id }) as const
const clientRef = (client: Client) => ({ _tag: "Client", clientId: client.id }) as const

/**
 * A few secure-message threads (S1) so the demo shows them, all through the core's services: Theo ↔
 * Hana (1:1, Hana replied: unread for Theo), Theo + Fran (front office) with Ira (one client: anyone
 * may reply to all), the coordinator to Alex and Bea with Theo (two clients: replies are off, for
 * privacy), and Jo writing to Theo from the portal.
 */
export const seedDemoSecureMessages = (cast: SecureCast) =>
  Effect.gen(function* () {
    const [alex, bea, , , , , , hana, ira, jo] = cast.clients as [Client, Client, Client, Client, Client, Client, Client, Client, Client, Client]
    const theo = { _tag: "Staff", staff: cast.therapist } as const
    const fran = { _tag: "Staff", staff: cast.frontDesk } as const
    const cory = { _tag: "Staff", staff: cast.coordinator } as const

    const worksheet = yield* composeThread(theo, {
      recipients: [clientRef(hana)],
      subject: "Worksheet for Wednesday",
      body: "Hi Hana,\n\nAs promised, here is the thought record we talked about. Try filling in one row a day before Wednesday's call; there are no wrong answers.\n\nTheo",
      attachments: []
    })
    yield* replyToThread({ _tag: "Client", client: hana }, worksheet, {
      body: "Thanks Theo! I did two rows already. Is it okay if some days I skip the 'evidence' column?",
      attachments: []
    })

    const reschedule = yield* composeThread(theo, {
      recipients: [clientRef(ira), staffRef(cast.frontDesk)],
      subject: "Rescheduling next week's session",
      body: "Hi Ira, I'm away next Tuesday. Fran at the front desk can offer you Thursday at 11am or Friday at 3pm instead.",
      attachments: []
    })
    yield* replyToThread(fran, reschedule, {
      body: "Hi Ira, I've pencilled in Thursday at 11am. Reply here if Friday suits you better.",
      attachments: []
    })

    yield* composeThread(cory, {
      recipients: [clientRef(alex), clientRef(bea), staffRef(cast.therapist)],
      subject: "Thursday group moves to the community room",
      body: "Hello everyone, from this week the Thursday group meets in the community room on the ground floor. Same time, 6pm.",
      attachments: []
    })

    yield* composeThread({ _tag: "Client", client: jo }, {
      recipients: [staffRef(cast.therapist)],
      subject: "Question about the breathing exercise",
      body: "Hi Theo, should I do the 4-7-8 breathing before bed only, or also in the morning?",
      attachments: []
    })
  })
