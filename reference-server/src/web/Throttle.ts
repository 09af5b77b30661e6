/** Failed sign-ins allowed per email and per address within the window before sign-in is refused for a while. */
const maxFailures = 5
const windowMs = 15 * 60_000

/**
 * Sign-in throttling in memory: after 5 failures for one email or from one address within 15
 * minutes, further attempts are refused until the oldest failure leaves the window. A success
 * clears the email's count. One process only (the reference server is one).
 */
export class SignInThrottle {
  readonly #failures = new Map<string, Array<number>>()

  /** Milliseconds until another attempt is allowed for these keys; 0 when allowed now. */
  waitMs(keys: ReadonlyArray<string>, now: number): number {
    let wait = 0
    for (const key of keys) {
      const recent = this.#recent(key, now)
      if (recent.length >= maxFailures) wait = Math.max(wait, recent[0]! + windowMs - now)
    }
    return wait
  }

  failed(keys: ReadonlyArray<string>, now: number): void {
    for (const key of keys) this.#failures.set(key, [...this.#recent(key, now), now])
  }

  succeeded(key: string): void {
    this.#failures.delete(key)
  }

  #recent(key: string, now: number): Array<number> {
    const recent = (this.#failures.get(key) ?? []).filter((at) => now - at < windowMs)
    if (recent.length === 0) this.#failures.delete(key)
    return recent
  }
}
