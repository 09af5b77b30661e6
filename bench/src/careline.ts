// The Careline server as the benchmarks start it: the `careline` executable, with the Node flags on its
// `#!` line (`#!/usr/bin/env -S node …`, as an installed `careline` runs) and any extra ones given.
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

/** The `careline` executable. */
export const careline = fileURLToPath(new URL("../../reference-server/bin/careline.js", import.meta.url))

const shippedNodeArgs = readFileSync(careline, "utf8").split("\n")[0]!.split(" node ")[1]?.split(" ") ?? []

/** Node's arguments for a server process: the shipped flags, `BENCH_SERVER_NODE_ARGS` (e.g. `"--cpu-prof --cpu-prof-dir=/tmp/prof"`), then the executable. */
export const carelineNodeArgs = [
  ...shippedNodeArgs,
  ...(process.env["BENCH_SERVER_NODE_ARGS"] ?? "").split(" ").filter((arg) => arg !== ""),
  careline
]
