#!/usr/bin/env node
// `careline …`: runs the TypeScript CLI through tsx's loader, so the server needs no build step.
import { fileURLToPath } from "node:url"
import { register } from "tsx/esm/api"

// This package's tsconfig (JSX through hono/jsx), wherever the command is run from.
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) })
const { main } = await import("../src/cli.ts")
process.exit(await main(process.argv.slice(2)))
