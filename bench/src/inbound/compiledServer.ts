// Compiles the reference server's `careline` CLI into one ES module with esbuild (as one would deploy
// it), so the inbound benchmark can also measure the server without tsx compiling TypeScript in a
// loader thread at start. Only Careline's own sources are bundled; every npm package stays external
// and loads as usual. `import.meta.url` keeps each source file's own URL, so assets and migrations are
// found where they are in the repository.
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { build } from "esbuild"

const repository = fileURLToPath(new URL("../../../", import.meta.url))

/** Builds `<outDir>/careline.mjs` and returns its path. */
export const compileServer = async (outDir: string): Promise<string> => {
  const outfile = join(outDir, "careline.mjs")
  await build({
    stdin: {
      contents: `import { main } from ${JSON.stringify(join(repository, "reference-server/src/cli.ts"))}\nprocess.exit(await main(process.argv.slice(2)))\n`,
      resolveDir: repository,
      loader: "ts"
    },
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    jsx: "automatic",
    jsxImportSource: "hono/jsx",
    logLevel: "error",
    plugins: [{
      name: "careline-sources-only",
      setup(b) {
        // Workspace packages (@careline/*) resolve to their TypeScript sources and are bundled; the rest is external.
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@careline/") ? undefined : { path: args.path, external: true }))
        b.onLoad({ filter: /\.tsx?$/ }, async (args) => ({
          contents: (await readFile(args.path, "utf8")).replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
          loader: args.path.endsWith(".tsx") ? "tsx" : "ts"
        }))
      }
    }]
  })
  return outfile
}
