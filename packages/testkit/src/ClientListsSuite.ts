import { type ClientList, ClientListId, ClientLists, compareClientLists, type Directory } from "@careline/core"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parentIdPools, T0 } from "./fixtures.js"
import { pooledDirectory, seedDirectory } from "./ParentRecords.js"
import { runWith } from "./runEffect.js"

const [org1] = parentIdPools.organisations
const [staff1, staff2] = parentIdPools.staff
const clients = parentIdPools.clients

const listOf = (n: number, overrides: Partial<ClientList> = {}): ClientList => ({
  id: ClientListId.make(`list_${n}`),
  organisationId: org1!,
  ownerId: staff1!,
  name: `List ${n}`,
  clientIds: [clients[0]!, clients[1]!],
  createdAt: T0,
  updatedAt: T0,
  ...overrides
})

const arbList: fc.Arbitrary<ClientList> = fc
  .record({
    n: fc.integer({ min: 1, max: 6 }),
    owner: fc.constantFrom(staff1!, staff2!),
    name: fc.constantFrom("Group", "group B", "Évening", "Zeta", "<b>x</b>", "Group"),
    members: fc.uniqueArray(fc.constantFrom(...clients), { maxLength: clients.length }),
    at: fc.integer({ min: 0, max: 1000 })
  })
  .map(({ n, owner, name, members, at }) => listOf(n, { ownerId: owner, name, clientIds: members, createdAt: T0, updatedAt: T0 + at }))

type Command = { readonly _tag: "Save"; readonly list: ClientList } | { readonly _tag: "Remove"; readonly n: number }

const arbCommand: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: arbList.map((list) => ({ _tag: "Save" as const, list })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }).map((n) => ({ _tag: "Remove" as const, n })) }
)

/**
 * The behaviour every `ClientLists` adapter must show, after storing the organisations, staff and
 * clients the lists refer to through the layer's `Directory`.
 *
 * @example
 * ```ts
 * clientListsSuite("memory", MemoryStores.layer)
 * ```
 */
export const clientListsSuite = (name: string, layer: Layer.Layer<ClientLists | Directory, unknown>) =>
  describe(`ClientLists (${name})`, () => {
    const run = runWith(layer)
    const seed = seedDirectory(pooledDirectory)

    it("gives back a saved list as it was saved, members in their order", () =>
      run(Effect.gen(function* () {
        const lists = yield* ClientLists
        yield* seed
        const list = listOf(1, { clientIds: [clients[2]!, clients[0]!, clients[4]!] })
        yield* lists.save(list)
        expect(yield* lists.get(list.id)).toEqual(Option.some(list))
        expect(yield* lists.get(ClientListId.make("list_9"))).toEqual(Option.none())
      })))

    it("a save replaces the name and the members; a list may be empty", () =>
      run(Effect.gen(function* () {
        const lists = yield* ClientLists
        yield* seed
        yield* lists.save(listOf(1))
        const renamed = listOf(1, { name: "Renamed", clientIds: [clients[3]!], updatedAt: T0 + 5 })
        yield* lists.save(renamed)
        expect(yield* lists.get(renamed.id)).toEqual(Option.some(renamed))
        const empty = { ...renamed, clientIds: [] }
        yield* lists.save(empty)
        expect(yield* lists.get(renamed.id)).toEqual(Option.some(empty))
      })))

    it("lists a staff member's own lists only, by name", () =>
      run(Effect.gen(function* () {
        const lists = yield* ClientLists
        yield* seed
        yield* lists.save(listOf(1, { name: "zeta" }))
        yield* lists.save(listOf(2, { name: "Alpha" }))
        yield* lists.save(listOf(3, { name: "beta", ownerId: staff2! }))
        expect((yield* lists.listsOf(staff1!)).map((l) => l.name)).toEqual(["Alpha", "zeta"])
        expect((yield* lists.listsOf(staff2!)).map((l) => l.id)).toEqual(["list_3"])
      })))

    it("removes a list and says whether there was one", () =>
      run(Effect.gen(function* () {
        const lists = yield* ClientLists
        yield* seed
        yield* lists.save(listOf(1))
        expect(yield* lists.remove(ClientListId.make("list_1"))).toBe(true)
        expect(yield* lists.remove(ClientListId.make("list_1"))).toBe(false)
        expect(yield* lists.get(ClientListId.make("list_1"))).toEqual(Option.none())
        expect(yield* lists.listsOf(staff1!)).toEqual([])
        // The id can be used again, with no member left over.
        const again = listOf(1, { clientIds: [clients[4]!] })
        yield* lists.save(again)
        expect(yield* lists.get(again.id)).toEqual(Option.some(again))
      })))

    it("property: after any saves and removals, the store answers like a map of the last save of each id", () =>
      fc.assert(
        fc.asyncProperty(fc.array(arbCommand, { maxLength: 15 }), (commands) =>
          run(Effect.gen(function* () {
            const lists = yield* ClientLists
            yield* seed
            const model = new Map<string, ClientList>()
            for (const command of commands) {
              if (command._tag === "Save") {
                yield* lists.save(command.list)
                model.set(command.list.id, command.list)
              } else {
                const id = ClientListId.make(`list_${command.n}`)
                expect(yield* lists.remove(id)).toBe(model.delete(id))
              }
            }
            for (let n = 1; n <= 6; n++) {
              const id = ClientListId.make(`list_${n}`)
              expect(yield* lists.get(id)).toEqual(Option.fromUndefinedOr(model.get(id)))
            }
            for (const owner of [staff1!, staff2!]) {
              expect(yield* lists.listsOf(owner)).toEqual([...model.values()].filter((l) => l.ownerId === owner).sort(compareClientLists))
            }
          }))
        ),
        { numRuns: 25 }
      ))
  })
