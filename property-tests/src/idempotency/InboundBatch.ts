import { type InboundSms, type PhoneNumber, ProviderMessageId } from "@careline/core"
import * as fc from "fast-check"
import { clientPhones, lineNumbers, unknownPhone } from "../Scenario.js"

/**
 * A small pool of provider message ids, each always carrying the same from/to/body (a provider
 * re-delivering a webhook repeats it exactly), and a batch drawn from it in two orders.
 */
export interface InboundBatch {
  readonly pool: ReadonlyArray<InboundSms>
  /** Indexes into `pool`, with repeats, in delivery order. */
  readonly first: ReadonlyArray<number>
  /** The same multiset in another order. */
  readonly second: ReadonlyArray<number>
}

const sender = fc.constantFrom<PhoneNumber>(...clientPhones, unknownPhone)
const line = fc.constantFrom<PhoneNumber>(...Object.values(lineNumbers))
const body = fc.constantFrom("hello", "running late", "see you soon", "ok thanks")

const arbPool = fc
  .array(fc.record({ from: sender, to: line, body }), { minLength: 1, maxLength: 5 })
  .map((texts) => texts.map((t, i): InboundSms => ({ ...t, providerMessageId: ProviderMessageId.make(`SMpool${i + 1}`) })))

export const arbInboundBatch: fc.Arbitrary<InboundBatch> = arbPool.chain((pool) =>
  fc.array(fc.nat({ max: pool.length - 1 }), { minLength: 1, maxLength: 16 }).chain((first) =>
    fc.shuffledSubarray([...first], { minLength: first.length, maxLength: first.length })
      .map((second): InboundBatch => ({ pool, first, second }))
  )
)

/** A channel is one (line, client phone); this is its key in the checks. */
export const channelKey = (to: PhoneNumber, from: PhoneNumber): string => `${to} <- ${from}`
