#!/usr/bin/env -S node --max-old-space-size=256
// `careline …`: compiles the TypeScript CLI with esbuild (well under a second) and runs the result, so
// the server needs no separate build step and runs no TypeScript loader.
// The heap limit is ~5× what the server keeps live under a burst of webhooks; stating one also makes
// V8 collect sooner (inbound benchmark: peak RSS ~190 MB with it, 250–330 MB without).
import { compileCli } from "./compile.js"

const { main } = await import(await compileCli())
process.exit(await main(process.argv.slice(2)))
