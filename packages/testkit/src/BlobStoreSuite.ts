import { BlobId, BlobStore } from "@careline/core"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { runWith } from "./runEffect.js"

/** A valid, obviously made-up blob id for `n`. */
const blob = (n: number): BlobId => BlobId.make(`blob_${n.toString().padStart(6, "0")}`)

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text)

type Command =
  | { readonly _tag: "Put"; readonly n: number; readonly bytes: Uint8Array }
  | { readonly _tag: "Delete"; readonly n: number }

const arbCommand: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant("Put" as const), n: fc.integer({ min: 1, max: 5 }), bytes: fc.uint8Array({ maxLength: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("Delete" as const), n: fc.integer({ min: 1, max: 5 }) }) }
)

/**
 * The behaviour every `BlobStore` adapter must show: bytes come back exactly as put (empty, binary,
 * large), an unknown id is `None`, a put replaces, a delete removes for good and is a no-op for an
 * unknown id, and neither the caller's buffer nor a returned one is shared with the store.
 *
 * @example
 * ```ts
 * blobStoreSuite("memory", MemoryBlobStore.layer)
 * ```
 */
export const blobStoreSuite = (name: string, layer: Layer.Layer<BlobStore, unknown>) =>
  describe(`BlobStore (${name})`, () => {
    const run = runWith(layer)

    it("gives back the bytes as they were put, and None for an id never put", () =>
      run(Effect.gen(function* () {
        const store = yield* BlobStore
        const binary = Uint8Array.from({ length: 256 }, (_, i) => i)
        yield* store.put(blob(1), bytesOf("%PDF-1.7 hello"))
        yield* store.put(blob(2), binary)
        yield* store.put(blob(3), new Uint8Array(0))
        expect(Option.getOrThrow(yield* store.get(blob(1)))).toEqual(bytesOf("%PDF-1.7 hello"))
        expect(Option.getOrThrow(yield* store.get(blob(2)))).toEqual(binary)
        expect(Option.getOrThrow(yield* store.get(blob(3)))).toEqual(new Uint8Array(0))
        expect(Option.isNone(yield* store.get(blob(4)))).toBe(true)
      })))

    it("keeps a 10 MB blob byte for byte", () =>
      run(Effect.gen(function* () {
        const store = yield* BlobStore
        const big = new Uint8Array(10 * 1024 * 1024)
        for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 251
        yield* store.put(blob(1), big)
        const back = Option.getOrThrow(yield* store.get(blob(1)))
        expect(back.length).toBe(big.length)
        expect(Buffer.from(back).equals(Buffer.from(big))).toBe(true)
      })))

    it("a second put under the same id replaces the bytes", () =>
      run(Effect.gen(function* () {
        const store = yield* BlobStore
        yield* store.put(blob(1), bytesOf("first version, longer"))
        yield* store.put(blob(1), bytesOf("second"))
        expect(Option.getOrThrow(yield* store.get(blob(1)))).toEqual(bytesOf("second"))
      })))

    it("delete removes the bytes for good; deleting an unknown id is a no-op; others stay", () =>
      run(Effect.gen(function* () {
        const store = yield* BlobStore
        yield* store.put(blob(1), bytesOf("one"))
        yield* store.put(blob(2), bytesOf("two"))
        yield* store.delete(blob(1))
        yield* store.delete(blob(1))
        yield* store.delete(blob(9))
        expect(Option.isNone(yield* store.get(blob(1)))).toBe(true)
        expect(Option.getOrThrow(yield* store.get(blob(2)))).toEqual(bytesOf("two"))
      })))

    it("shares no buffer with the caller: changing the bytes put or got changes nothing stored", () =>
      run(Effect.gen(function* () {
        const store = yield* BlobStore
        const bytes = bytesOf("original")
        yield* store.put(blob(1), bytes)
        bytes.fill(0)
        const got = Option.getOrThrow(yield* store.get(blob(1)))
        got.fill(0)
        expect(Option.getOrThrow(yield* store.get(blob(1)))).toEqual(bytesOf("original"))
      })))

    it("refuses an id that is not a BlobId (a path) with a StorageError, writing nothing", () =>
      run(Effect.gen(function* () {
        const store = yield* BlobStore
        for (const bad of ["../escape", "a/b/c/d/e/f", "", "..", "x".repeat(65)]) {
          const put = yield* Effect.flip(store.put(bad as BlobId, bytesOf("no")))
          expect(put._tag).toBe("StorageError")
          const got = yield* Effect.flip(store.get(bad as BlobId))
          expect(got._tag).toBe("StorageError")
        }
      })))

    it("behaves like a map from id to bytes under any sequence of puts and deletes", () =>
      fc.assert(
        fc.asyncProperty(fc.array(arbCommand, { maxLength: 25 }), (commands) =>
          run(Effect.gen(function* () {
            const store = yield* BlobStore
            const model = new Map<number, Uint8Array>()
            for (const command of commands) {
              if (command._tag === "Put") {
                yield* store.put(blob(command.n), command.bytes)
                model.set(command.n, Uint8Array.from(command.bytes))
              } else {
                yield* store.delete(blob(command.n))
                model.delete(command.n)
              }
            }
            for (let n = 1; n <= 5; n++) {
              const got = yield* store.get(blob(n))
              const expected = model.get(n)
              if (expected === undefined) expect(Option.isNone(got)).toBe(true)
              else expect(Option.getOrThrow(got)).toEqual(expected)
            }
          }))
        ),
        { numRuns: 40 }
      ))
  })
