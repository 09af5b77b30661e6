import { FakeSms, FakeSmsControl } from "@careline/adapter-fake-sms"
import { MemoryNotifier, MemoryStores, SequentialIds } from "@careline/adapter-memory"
import { attestConsent, Directory, listInbox, makeOutboxDispatcher, receiveInbound, sendSms } from "@careline/core"
import { makeClient, makeLine, makeOrganisation, makeStaff } from "@careline/testkit"
import { Effect, Layer } from "effect"

const org = makeOrganisation()                                    // "Harbour Care"
const sam = makeStaff({ role: "specialist" })
const casey = makeClient()                                        // primary mobile +15550000001
const line = makeLine({ owner: { _tag: "Staff", staffId: sam.id } })

export const conversation = Effect.gen(function* () {
  const directory = yield* Directory
  yield* directory.putOrganisation(org)
  yield* directory.putStaff(sam)
  yield* directory.putClient(casey)
  yield* directory.putLine(line)
  yield* directory.startAssignment({ staffId: sam.id, clientId: casey.id, from: 0 })
  yield* attestConsent({ staffId: sam.id, clientId: casey.id })   // "okay to text"
  yield* sendSms({ staffId: sam.id, clientId: casey.id, body: "Hi Casey, still on for 3pm?" })
  yield* (yield* makeOutboxDispatcher).dispatchDue()              // hands it to the provider
  const phone = yield* FakeSmsControl                             // plays the client's handset
  yield* receiveInbound(yield* phone.inbound({ from: casey.phones[0]!.number, to: line.number, body: "Yes, see you then" }))
  return yield* listInbox({ staffId: sam.id })                    // one channel, unread, newest first
})

export const layer = Layer.mergeAll(MemoryStores.layer, SequentialIds.layer, MemoryNotifier.layer, FakeSms.layer)
