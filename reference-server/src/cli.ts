import { runCommandLine } from "./commands/CommandLine.js"

/** The `careline` command (see `bin/careline.js`): arguments from the command line, settings from the environment. */
export const main = (argv: ReadonlyArray<string>): Promise<number> =>
  runCommandLine(argv, process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`)
  })
