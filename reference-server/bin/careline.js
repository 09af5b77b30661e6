#!/usr/bin/env node
// `careline …`: runs the TypeScript CLI through tsx's loader, so the server needs no build step.
import { register } from "tsx/esm/api"

register()
const { main } = await import("../src/cli.ts")
process.exit(await main(process.argv.slice(2)))
