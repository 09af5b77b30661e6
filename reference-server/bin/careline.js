#!/usr/bin/env node
// `careline …`: compiles the TypeScript CLI with esbuild (well under a second) and runs the result, so
// the server needs no separate build step and runs no TypeScript loader.
import { compileCli } from "./compile.js"

const { main } = await import(await compileCli())
process.exit(await main(process.argv.slice(2)))
