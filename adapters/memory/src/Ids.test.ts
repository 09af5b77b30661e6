import { Ids } from "@careline/core"
import { runWith } from "@careline/testkit"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as RandomIds from "./RandomIds.js"
import * as SequentialIds from "./SequentialIds.js"

const take = (count: number, effect: Effect.Effect<string, never, Ids>) =>
  Effect.all(Array.from({ length: count }, () => effect))

describe("SequentialIds", () => {
  const run = runWith(SequentialIds.layer)

  it("numbers ids from one counter, zero-padded so they sort in creation order", () =>
    run(
      Effect.gen(function* () {
        const ids = yield* Ids
        expect([yield* ids.next("msg"), yield* ids.next("ch"), yield* ids.next("msg")]).toEqual([
          "msg_000001",
          "ch_000002",
          "msg_000003"
        ])
        const many = yield* take(20, ids.next("msg"))
        expect([...many].sort()).toEqual(many)
      })
    ))

  it("gives distinct 32-hex-character secrets, the same sequence on every build", async () => {
    const secrets = await run(take(50, Ids.use((ids) => ids.secret)))
    for (const secret of secrets) expect(secret).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(secrets).size).toBe(secrets.length)
    expect(await run(take(50, Ids.use((ids) => ids.secret)))).toEqual(secrets)
  })

  it("gives unique ids under concurrency", async () => {
    const ids = await run(Effect.all(Array.from({ length: 100 }, () => Ids.use((i) => i.next("x"))), { concurrency: "unbounded" }))
    expect(new Set(ids).size).toBe(100)
  })
})

describe("RandomIds", () => {
  const run = runWith(RandomIds.layer)

  it("prefixes a UUID", async () => {
    const [a, b] = await run(take(2, Ids.use((ids) => ids.next("msg"))))
    expect(a).toMatch(/^msg_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(a).not.toBe(b)
  })

  it("gives 256-bit base64url secrets", async () => {
    const [a, b] = await run(take(2, Ids.use((ids) => ids.secret)))
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a).not.toBe(b)
  })
})
