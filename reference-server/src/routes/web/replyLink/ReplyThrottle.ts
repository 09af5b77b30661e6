/**
 * A sliding-window limit per key, in memory (the reference server is one process): how many times
 * something may happen within the window. Keeps the public reply page from being used to flood a
 * channel or to try tokens.
 */
export class ReplyThrottle {
  readonly #events = new Map<string, Array<number>>()

  constructor(readonly limit: number, readonly windowMs: number) {}

  /** Whether one more event for every key fits in the window now; if so, it is counted. */
  take(keys: ReadonlyArray<string>, now: number): boolean {
    const recent = keys.map((key) => [key, (this.#events.get(key) ?? []).filter((at) => now - at < this.windowMs)] as const)
    if (recent.some(([, events]) => events.length >= this.limit)) return false
    for (const [key, events] of recent) this.#events.set(key, [...events, now])
    return true
  }
}
